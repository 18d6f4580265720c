import assert from "node:assert/strict";
import { test } from "node:test";
import * as aq from "arquero";
import { tableBundle } from "../../src/render/table-bundle.js";

test("tableBundle: escaped HTML with a row limit and caption, aligned text", () => {
  const t = aq.table({ name: ["<img src=x onerror=alert(1)>", "main", "b"], total: [1.5, 20, 3] });
  const b = tableBundle(t, { limit: 2 });
  assert.match(b["text/html"]!, /3 rows × 2 columns, showing the first 2/);
  assert.ok(!b["text/html"]!.includes("<img"), "no raw HTML from cell values");
  assert.match(b["text/html"]!, /&lt;img src=x onerror=alert\(1\)&gt;/);
  const text = b["text/plain"]!.split("\n");
  assert.equal(text[0], "name                          total");
  assert.equal(text[1], "<img src=x onerror=alert(1)>  1.500");
  assert.equal(text[2], "main                             20", "numbers right-aligned");
  assert.equal(text.at(-1), "(3 rows × 2 columns, showing the first 2)");
});
