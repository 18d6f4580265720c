import { test, after } from "node:test";
import assert from "node:assert/strict";
import { CELL_SIGNAL, createCellExecutor } from "../../kernel/executor.js";

const ex = createCellExecutor(process.cwd());
after(() => ex.close());

test("createCellExecutor.execute: the last expression is the value, not logged", async () => {
  assert.deepEqual(await ex.execute("const a1: number = 41; a1 + 1"), { status: "ok", hasValue: true, value: 42 });
  assert.deepEqual(await ex.execute("const a2 = 1;"), { status: "ok", hasValue: false });
});

test("createCellExecutor.execute: a type error is an error with the diagnostics", async () => {
  const r = await ex.execute("const s1: string = 1;");
  assert.equal(r.status, "error");
  assert.match(r.status === "error" ? r.evalue : "", /1:7 - Type 'number' is not assignable to type 'string'/);
});

test("createCellExecutor.execute: a thrown error keeps name, message and the cell's frames only", async () => {
  const r = await ex.execute("throw new RangeError('boom')");
  assert.equal(r.status, "error");
  if (r.status !== "error") return;
  assert.equal(r.ename, "RangeError");
  assert.equal(r.evalue, "boom");
  assert.ok(!r.traceback.some((l) => /tslab[\\/]dist|node:vm/.test(l)), r.traceback.join("\n"));
});

test("createCellExecutor.execute: declarations of a failed cell stay usable", async () => {
  const r = await ex.execute("const kept: number = 7; throw new Error('after declaring')");
  assert.equal(r.status, "error");
  assert.deepEqual(await ex.execute("kept * 2"), { status: "ok", hasValue: true, value: 14 });
  assert.deepEqual(await ex.execute("const more = kept + 1; more"), { status: "ok", hasValue: true, value: 8 });
});

test("createCellExecutor.interrupt: aborts the cell signal and stops awaiting", async () => {
  // The cell clears its own timer on abort, as library code honouring the signal does.
  const p = ex.execute(
    "const sig = (globalThis as any)[Symbol.for('flamebook.cellSignal')] as AbortSignal;\n" +
      "await new Promise((r) => { const t = setTimeout(r, 60000); sig.addEventListener('abort', () => clearTimeout(t)); }); 'late'",
  );
  await new Promise((r) => setTimeout(r, 200));
  const signal = (globalThis as Record<symbol, unknown>)[CELL_SIGNAL] as AbortSignal;
  ex.interrupt();
  const r = await p;
  assert.equal(r.status, "error");
  assert.match(r.status === "error" ? r.evalue : "", /Interrupted/);
  assert.equal(signal.aborted, true);
});

test("createCellExecutor.complete/inspect/isComplete: answer from tslab's converter", async () => {
  await ex.execute("const num1: number = 3;");
  const c = ex.complete("num1.toF", 8);
  assert.deepEqual(c, { matches: ["toFixed"], cursor_start: 5, cursor_end: 8 });
  assert.match(ex.inspect("num1", 2) ?? "", /const num1: number/);
  assert.deepEqual(ex.isComplete("function f() {"), { status: "incomplete", indent: "  " });
  assert.deepEqual(ex.isComplete("1 + 1"), { status: "complete" });
});

test("createCellExecutor.execute: shorthand properties see earlier cells' variables (tslab bug worked around)", async () => {
  assert.deepEqual(await ex.execute("const shortFreq = 997; const shortRuns = 3;"), { status: "ok", hasValue: false });
  const r = await ex.execute("const f = () => ({ shortFreq }); const shortOut = { shortFreq, shortRuns, x: 1 }; [shortOut, f()]");
  assert.equal(r.status, "ok", JSON.stringify(r));
  assert.deepEqual((r as { value: unknown }).value, [{ shortFreq: 997, shortRuns: 3, x: 1 }, { shortFreq: 997 }]);
});

test("expandShorthandProperties: only object-literal shorthands change; others are untouched", async () => {
  const { expandShorthandProperties } = await import("../../kernel/shorthand.js");
  assert.equal(expandShorthandProperties("const o = { a, b: 2, c };"), "const o = { a: a, b: 2, c: c };");
  assert.equal(expandShorthandProperties("const { a, b } = o; function f({ x }: T) {}"), "const { a, b } = o; function f({ x }: T) {}");
  assert.equal(expandShorthandProperties("({ a = 1 } = o);"), "({ a: a = 1 } = o);");
  const s = "const s = '{ a }';";
  assert.equal(expandShorthandProperties(s), s);
});
