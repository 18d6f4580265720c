import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { toFolded } from "../../src/fold/to-folded.js";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { parseInput } from "../../src/samples/read-lines.js";
import { perfScript } from "../../src/samples/perf/perf-script.js";
import { fixture } from "../helpers/golden.js";

/** What each corpus file must give: a FormatError at a line, or a profile (with a warning). */
const expected: Record<string, { error: number; match: RegExp } | { samples: number | "some"; warning?: RegExp }> = {
  "empty.txt": { samples: 0, warning: /no samples/ },
  "blank-lines.txt": { samples: 0, warning: /no samples/ },
  "truncated-mid-line.txt": { samples: "some", warning: /ends in the middle of a line.*dropped/ },
  "truncated-mid-record.txt": { samples: "some" },
  "binary-ff.bin": { error: 1, match: /expected a sample header/ },
  "elf-header.bin": { error: 1, match: /expected a sample header.*\\x7fELF/ },
  "wrong-field-order.txt": { error: 1, match: /expected a sample header/ },
  "frames-without-header.txt": { error: 1, match: /expected a sample header.* before frame lines/ },
  // like stackcollapse-perf and inferno, a stray line inside a record is skipped, with a warning
  "frame-without-address.txt": { samples: "some", warning: /skipped 1 line that is neither a sample header nor a frame line \(the first at line 3: '\tmain\+0x1f/ },
  "folded-instead.txt": { error: 1, match: /expected a sample header/ },
  "crlf.txt": { samples: "some" },
};

test("perfScript.read: every file of the malformed corpus has an expected outcome", () => {
  assert.deepEqual(readdirSync(fixture("perf-script", "malformed")).sort(), Object.keys(expected).sort());
});

for (const [name, want] of Object.entries(expected)) {
  test(`perfScript.read: malformed/${name} gives ${"error" in want ? `an error at line ${want.error}` : "a valid profile"}`, async () => {
    const path = fixture("perf-script", "malformed", name);
    let result: Profile | undefined;
    let error: unknown;
    try {
      result = await parseInput(perfScript.parser(), { path });
    } catch (e) {
      error = e;
    }
    if ("error" in want) {
      assert.ok(error instanceof FormatError, `expected a FormatError, got ${String(error)}`);
      assert.equal(error.line, want.error);
      assert.match(error.message, want.match);
      assert.ok(error.message.startsWith(`flamebook: ${path}: perf-script line ${want.error}: expected`), error.message);
      assert.match(error.message, /perf script -i perf\.data/, "says how to make a good file");
      assert.ok(!/[\u0000-\u0008]/.test(error.message), "binary bytes are escaped in the message");
    } else {
      assert.equal(error, undefined, `unexpected error: ${String(error)}`);
      const n = result!.samples.stack.length;
      if (want.samples === "some") assert.ok(n > 0);
      else assert.equal(n, want.samples);
      if (want.warning) assert.ok(result!.warnings.some((w) => want.warning!.test(w)), JSON.stringify(result!.warnings));
    }
  });
}

test("perfScript.read: CRLF input gives the same stacks as LF input", async () => {
  const crlf = await parseInput(perfScript.parser(), { path: fixture("perf-script", "malformed", "crlf.txt") });
  const text = (await import("node:fs")).readFileSync(fixture("perf-script", "malformed", "crlf.txt"), "utf8").replace(/\r\n/g, "\n");
  const lf = await parseInput(perfScript.parser(), text);
  assert.deepEqual(toFolded(crlf), toFolded(lf));
});

test("perfScript.read: a truncated record is dropped, the complete ones before it are kept", async () => {
  const cut = await parseInput(perfScript.parser(), { path: fixture("perf-script", "malformed", "truncated-mid-line.txt") });
  const whole = await parseInput(perfScript.parser(), { path: fixture("perf-script", "clone-in-loop.before.perf.txt") });
  const headers = (await import("node:fs")).readFileSync(fixture("perf-script", "malformed", "truncated-mid-line.txt"), "utf8").match(/^\S.*cpu-clock:/gm)!.length;
  assert.equal(cut.samples.stack.length, headers - 1, "every record but the cut one");
  assert.ok(whole.samples.stack.length > cut.samples.stack.length);
});
