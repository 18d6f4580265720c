import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { notebookJson, parseNotebook, readNotebook } from "../../src/notebook/nbformat.js";
import { writeNotebook } from "../../src/notebook/write.js";

const enc = (s: string) => new TextEncoder().encode(s);

test("parseNotebook: lists of lines are joined; notebookJson writes them back as nbformat does", () => {
  const text = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "flamebook" } },
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: ["# Title\n", "text"] },
      {
        cell_type: "code",
        id: "c",
        metadata: { tags: ["parameters"] },
        execution_count: 3,
        source: "const a = 1;\nconst b = 2;",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["x\n", "y\n"] },
          { output_type: "display_data", data: { "text/html": ["<b>\n", "</b>"], "application/vnd.jupyter.widget-view+json": { model_id: "m1" } }, metadata: {} },
        ],
      },
    ],
  });
  const nb = parseNotebook(enc(text), "t.ipynb");
  assert.equal(nb.cells[0]!.source, "# Title\ntext");
  assert.equal(nb.cells[1]!.outputs![0]!.output_type, "stream");
  const again = JSON.parse(notebookJson(nb)) as { cells: { source: string[]; outputs?: { text?: string[]; data?: Record<string, unknown> }[] }[] };
  assert.deepEqual(again.cells[1]!.source, ["const a = 1;\n", "const b = 2;"]);
  assert.deepEqual(again.cells[1]!.outputs![0]!.text, ["x\n", "y\n"]);
  assert.deepEqual(again.cells[1]!.outputs![1]!.data!["application/vnd.jupyter.widget-view+json"], { model_id: "m1" }, "JSON mimes are not split");
  assert.deepEqual(parseNotebook(enc(notebookJson(nb)), "t"), nb, "round trip");
});

test("parseNotebook: bad notebooks name the file, the line and the fix", () => {
  assert.throws(() => parseNotebook(enc('{\n "cells": [\n  {"cell_type": "code",,}\n ]\n}'), "bad.ipynb"), /bad\.ipynb: notebook line 3: expected .* \(the file is not valid JSON\)/);
  assert.throws(() => parseNotebook(enc('{"nbformat": 3, "cells": []}'), "old.ipynb"), /old\.ipynb: notebook line 1: expected nbformat to be 4/);
  assert.throws(
    () => parseNotebook(enc('{\n "nbformat": 4,\n "cells": [\n  {"cell_type": "code",\n   "source": 7}\n ]\n}'), "c.ipynb"),
    (e: Error) => /c\.ipynb: notebook line 5: expected cells\[0\]\.source to be a string or a list of strings, got '7'/.test(e.message) && /Open it in Jupyter and save it again/.test(e.message),
  );
  assert.throws(() => parseNotebook(enc('{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "weird"}]}]}'), "o.ipynb"), /cells\[0\]\.outputs\[0\]\.output_type/);
});

test("readNotebook / writeNotebook: missing files are named; writes leave no temporary files", async () => {
  await assert.rejects(readNotebook("/nonexistent/x.ipynb"), /cannot read the notebook \/nonexistent\/x\.ipynb: no such file/);
  const dir = await mkdtemp(join(tmpdir(), "fb-nb-"));
  const nb = parseNotebook(enc('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'), "e");
  const path = await writeNotebook(join(dir, "sub", "out.ipynb"), nb);
  assert.deepEqual(await readdir(join(dir, "sub")), ["out.ipynb"]);
  assert.deepEqual(JSON.parse(await readFile(path, "utf8")), { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
});
