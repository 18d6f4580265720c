import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeAlike } from "../../src/experiment/result.js";

test("mergeAlike: per-run warnings of one kind become one line with number ranges", () => {
  assert.deepEqual(
    mergeAlike([
      "only 345 samples: run longer (at 997 Hz that is a few seconds)",
      "the program exited 1",
      "only 195 samples: run longer (at 997 Hz that is a few seconds)",
      "only 1,204 samples: run longer (at 997 Hz that is a few seconds)",
      "lost 2 samples",
      "lost 2 samples",
    ]),
    ["3 runs: only 195–1,204 samples: run longer (at 997 Hz that is a few seconds)", "the program exited 1", "2 runs: lost 2 samples"],
  );
  assert.deepEqual(mergeAlike([]), []);
  assert.deepEqual(mergeAlike(["no numbers here"]), ["no numbers here"]);
});
