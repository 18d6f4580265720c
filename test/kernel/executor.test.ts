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

/** Records what cells show through the display host (as the kernel core installs it). */
async function recordDisplays(run: () => Promise<void>) {
  const { setDisplayHost } = await import("../../src/display/display.js");
  const shown: { bundle: Record<string, unknown>; displayId?: string; update: boolean }[] = [];
  const clears: boolean[] = [];
  setDisplayHost({ display: (bundle, o) => void shown.push({ bundle, ...o }), clearOutput: (w) => void clears.push(w) });
  try {
    await run();
  } finally {
    setDisplayHost(undefined);
  }
  return { shown, clears };
}

test("cell globals: display, display.html|markdown|svg|png|json|update and clearOutput need no import", async () => {
  const { shown, clears } = await recordDisplays(async () => {
    const r = await ex.execute('display.html("<b>hi</b>")');
    assert.equal(r.status, "ok", JSON.stringify(r));
    const r2 = await ex.execute(
      'const gh = display("a"); gh.update("b"); display.update(gh.id, "c");\n' +
        'display.markdown("*m*"); display.svg("<svg/>"); display.png(new Uint8Array([1])); display.json({ k: 1 });\n' +
        "clearOutput(); clearOutput(true);",
    );
    assert.equal(r2.status, "ok", JSON.stringify(r2));
  });
  assert.equal(shown[0]!.bundle["text/html"], "<b>hi</b>");
  const [a, b, c] = shown.slice(1, 4);
  assert.deepEqual([a!.update, b!.update, c!.update], [false, true, true]);
  assert.ok(a!.displayId && a!.displayId === b!.displayId && b!.displayId === c!.displayId, "one display id for the handle and display.update");
  assert.deepEqual(
    shown.slice(4).map((s) => Object.keys(s.bundle).find((k) => k !== "text/plain")),
    ["text/markdown", "image/svg+xml", "image/png", "application/json"],
  );
  assert.deepEqual(clears, [false, true]);
  assert.equal(new Set(shown.map((s) => s.displayId)).size, 6, "each display(…) gets its own id");
});

test("cell globals: typed from flamebook's Display (type errors, hover, completion)", async () => {
  const bad = await ex.execute("display.html(42)");
  assert.equal(bad.status, "error");
  assert.match(bad.status === "error" ? bad.evalue : "", /1:14 - Argument of type 'number' is not assignable to parameter of type 'string'/);
  const bad2 = await ex.execute("clearOutput('soon')");
  assert.match(bad2.status === "error" ? bad2.evalue : "", /not assignable to parameter of type 'boolean/);
  assert.match(ex.inspect("display.html", 9) ?? "", /\(method\) Display\.html\(html: string\): DisplayHandle/);
  assert.match(ex.inspect("clearOutput", 3) ?? "", /const clearOutput: \(wait\?: boolean\) => void/);
  assert.match(ex.inspect("display", 3) ?? "", /const display: Display\b[\s\S]*Shows a value as a cell output/);
  assert.deepEqual(ex.complete("clearOu", 7).matches, ["clearOutput"]);
  const members = ex.complete("display.", 8).matches;
  for (const m of ["html", "markdown", "svg", "png", "json", "update"]) assert.ok(members.includes(m), `${m} in ${members.join(" ")}`);
});

test("cell globals: the same functions as `import { display, clearOutput } from \"flamebook\"`, one id sequence", async () => {
  const { ensureBuilt } = await import("../package/fixtures/consumer.js");
  await ensureBuilt();
  const { shown, clears } = await recordDisplays(async () => {
    const r = await ex.execute('import { display as fbDisplay, clearOutput as fbClear } from "flamebook";\nfbDisplay.html("<i>lib</i>"); display.html("<i>global</i>"); fbClear(true);');
    assert.equal(r.status, "ok", JSON.stringify(r));
  });
  assert.deepEqual(shown.map((s) => s.bundle["text/html"]), ["<i>lib</i>", "<i>global</i>"]);
  assert.notEqual(shown[0]!.displayId, shown[1]!.displayId, "the library's copy and the global never reuse an id");
  assert.deepEqual(clears, [true]);
});

/** The traceback of a failing cell, as one string. */
async function traceback(code: string, label: string): Promise<string> {
  const r = await ex.execute(code, { label });
  assert.equal(r.status, "error", JSON.stringify(r));
  return r.status === "error" ? r.traceback.join("\n") : "";
}

test("cell positions: a one-line cell's throw is at line 1 (not tslab's line 2)", async () => {
  const tb = await traceback('throw new Error("x")', "71");
  assert.match(tb, /^In\[71\]:1\nthrow new Error\("x"\)\n {6}\^\n\nError: x\n {4}at In\[71\]:1:7$/, tb);
  assert.doesNotMatch(tb, /evalmachine|:2:7/);
});

test("cell positions: a throw on the third line of a multi-line cell (blank lines, comments, declarations before it)", async () => {
  const tb = await traceback('const before3 = 1;\n\n  throw new RangeError("third " + before3); // why', "72");
  assert.match(tb, /^In\[72\]:3\n  throw new RangeError/, tb);
  assert.match(tb, /RangeError: third 1\n {4}at In\[72\]:3:9$/, tb);
});

test("cell positions: a runtime TypeError, in a function called from a later cell, after await", async () => {
  const tb = await traceback("const nothing: any = null;\nconst len = (v: any) => v.length;\nlen(nothing)", "73");
  assert.match(tb, /TypeError: Cannot read properties of null \(reading 'length'\)\n {4}at len \(In\[73\]:2:27\)\n {4}at In\[73\]:3:1$/, tb);
  const later = await traceback("await new Promise((r) => setTimeout(r, 5));\n\nlen(undefined)", "74");
  assert.match(later, /at len \(In\[73\]:2:27\)\n {4}at In\[74\]:3:1/, later);
  assert.match(later, /^In\[73\]:2\nconst len = \(v: any\) => v\.length;\n {26}\^/, later);
});

test("cell positions: columns after an expanded shorthand property are the cell's own", async () => {
  const tb = await traceback("const sp = 1; const spo = { sp }; const spn: any = null; spn.boom", "75");
  assert.match(tb, /at In\[75\]:1:62$/, tb); // "boom" is at column 62 of the cell as written
  const r = await ex.execute("const sp2 = 2; const spo2 = { sp2 }; const spb: number = 'x';");
  assert.match(r.status === "error" ? r.evalue : "", /^1:44 - Type 'string' is not assignable to type 'number'/);
});

test("cell positions: type errors report the cell's line and column", async () => {
  const r = await ex.execute("const t1 = 1;\n\nconst t2: string =\n    t1;");
  assert.match(r.status === "error" ? r.evalue : "", /^3:7 - Type 'number' is not assignable to type 'string'/);
  const r2 = await ex.execute("const t3 = 1;\nt3.nope;");
  assert.match(r2.status === "error" ? r2.evalue : "", /^2:4 - Property 'nope' does not exist on type '1'/);
});

test("cell positions: Node's header of compiled JavaScript gives way to the cell line; messages stay whole", async () => {
  const parse = await traceback('JSON.parse("{")', "76");
  assert.match(parse, /^In\[76\]:1\nJSON\.parse\("\{"\)\n {5}\^\n\nSyntaxError: /, parse);
  assert.doesNotMatch(parse, /anonymous_script/);
  for (const [code, label] of [['throw new Error("a:1\\nb\\n\\nc")', "77"], ['await 0; throw new Error("a:1\\nb\\n\\nc")', "78"]] as const) {
    const tb = await traceback(code, label);
    assert.match(tb, new RegExp(`^In\\[${label}\\]:1\\n.*\\n *\\^\\n\\nError: a:1\\nb\\n\\nc\\n {4}at In\\[${label}\\]:1:`), tb);
  }
});

test("createCellExecutor.cellStack: errors surfacing after their cell ended (timers, promises) get cell positions too", async () => {
  const r = await ex.execute("const strayAt = 1;\n\nnew Error('stray')", { label: "79" });
  assert.equal(r.status, "ok");
  const stack = ((r as { value: Error }).value.stack ?? "");
  assert.match(stack, /at In\[79\]:\d+:\d+/);
  assert.match(ex.cellStack(stack), /^In\[79\]:3\nnew Error\('stray'\)\n\^\n\nError: stray\n {4}at In\[79\]:3:1/);
});

test("createCellExecutor.execute: a flamebook error for a user's mistake shows its message and the cell's frame, not flamebook's internals", async () => {
  const r = await ex.execute('import { cargo } from "flamebook";\nawait cargo.build("./no-such-crate", { bin: "x" });');
  assert.equal(r.status, "error");
  if (r.status !== "error") return;
  assert.match(r.evalue, /^flamebook: crate directory .*no-such-crate does not exist\. Pass the directory that holds the crate's Cargo\.toml/);
  const frames = r.traceback.filter((l) => /^\s+at /.test(l));
  assert.ok(frames.length > 0 && frames.every((l) => /In\[[^\]]+\]/.test(l)), r.traceback.join("\n"));
  assert.doesNotMatch(r.traceback.join("\n"), /src[\\/]build|dist[\\/]|cargo\.ts/);
});

test("cell globals: a cell may declare its own display (it shadows the global, also in later cells)", async () => {
  assert.deepEqual(await ex.execute("const display = (x: number) => x * 2; display(21)"), { status: "ok", hasValue: true, value: 42 });
  assert.deepEqual(await ex.execute("display(5)"), { status: "ok", hasValue: true, value: 10 });
  assert.deepEqual(await ex.execute("function clearOutput(): string { return 'mine'; } clearOutput()"), { status: "ok", hasValue: true, value: "mine" });
});
