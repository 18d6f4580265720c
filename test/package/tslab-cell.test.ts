// Notebook cells as tslab runs them: its real converter (TypeScript -> CommonJS, Node10 type resolution
// from the current directory) and its executor (vm + a require() rooted at the notebook dir). The
// notebook dir is a temp dir with node_modules/flamebook -> this repo, so cells load the built package
// through package.json "types" and "main" exactly as an installed flamebook.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as TslabConverter from "tslab/dist/converter.js";
import type * as TslabExecutor from "tslab/dist/executor.js";
import { ensureBuilt, makeConsumer } from "./fixtures/consumer.js";

const require = createRequire(import.meta.url);
const { createConverter } = require("tslab/dist/converter") as typeof TslabConverter;
const { createExecutor } = require("tslab/dist/executor") as typeof TslabExecutor;

type Line = { stream: "log" | "error"; text: string };

let notebookDir: string;
let converter: TslabConverter.Converter | undefined;
let executor: TslabExecutor.Executor | undefined;
let lines: Line[] = [];

/** What tslab's jupyter layer would turn into execute_result / stderr; printf-style like console. */
const consoleLike: TslabExecutor.ConsoleInterface = {
  log: (...args: unknown[]) => lines.push({ stream: "log", text: format(args) }),
  error: (...args: unknown[]) => lines.push({ stream: "error", text: format(args) }),
};
function format(args: unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first !== "string" || !first.includes("%")) return args.map(String).join(" ");
  return first.replace(/%[sd]/g, () => String(rest.shift())) + rest.map((r) => ` ${String(r)}`).join("");
}

/** Runs one cell; returns tslab's success flag and what it printed. */
async function cell(src: string): Promise<{ ok: boolean; log: string[]; error: string[] }> {
  assert.ok(executor, "executor not created");
  lines = [];
  const ok = await executor.execute(src);
  return {
    ok,
    log: lines.filter((l) => l.stream === "log").map((l) => l.text),
    error: lines.filter((l) => l.stream === "error").map((l) => l.text),
  };
}

before(async () => {
  await ensureBuilt();
  notebookDir = await makeConsumer("flamebook-tslab-");
  // The converter resolves `import ... from "flamebook"` (types) from the process's cwd at creation,
  // as in a kernel started in the notebook's directory; the executor's require() uses rootDir.
  const cwd = process.cwd();
  process.chdir(notebookDir);
  try {
    converter = createConverter({ isJS: false, isBrowser: false });
  } finally {
    process.chdir(cwd);
  }
  const conv = converter;
  executor = createExecutor(notebookDir, { node: conv, browser: conv, close: () => conv.close() }, consoleLike);
});

after(async () => {
  executor?.close(); // closes the converter's watch program, which would keep the process alive
  if (notebookDir) await rm(notebookDir, { recursive: true, force: true });
});

test('tslab cell: import { run } from "flamebook/internals" runs a process and the last expression "42" reaches the console', async () => {
  const r = await cell(
    `import { run } from "flamebook/internals";
const r = await run(${JSON.stringify(process.execPath)}, ["-e", "console.log(6*7)"], { captureStdout: true });
r.stdout.trim()`,
  );
  assert.deepEqual(r.error, []);
  assert.equal(r.ok, true);
  assert.deepEqual(r.log, ["42"]);
});

test("tslab cell: a later cell uses the previous cell's flamebook-typed variable and type imports", async () => {
  const r = await cell(
    `import type { RunResult } from "flamebook";
const rr: RunResult = r;
const code: number | null = rr.code;
\`\${rr.args.length} args, exit \${code}\``,
  );
  assert.deepEqual(r.error, []);
  assert.equal(r.ok, true);
  assert.deepEqual(r.log, ["2 args, exit 0"]);
});

test("tslab cell: flamebook's declarations are real types, so a wrong argument to run() is a diagnostic", async () => {
  // If "types" failed to resolve, Node10 resolution without noImplicitAny would type flamebook as any
  // and this cell would run instead.
  const r = await cell(`import { run } from "flamebook/internals";\nrun(123, []);`);
  assert.equal(r.ok, false);
  assert.deepEqual(r.log, []);
  assert.equal(r.error.length, 1, r.error.join("\n"));
  assert.match(r.error[0]!, /^2:5 - Argument of type 'number' is not assignable to parameter of type 'string'/);
});

test('tslab cell: the public API in one cell: open a profile, its tables in the vocabulary, a flamegraph by name', async () => {
  const fixture = new URL("../fixtures/perf-script/threads.perf.txt", import.meta.url).pathname;
  const r = await cell(
    `import { open, aq } from "flamebook";
const p = await open(${JSON.stringify(fixture)});
const joined = p.samples().join(p.threads().select("thread", "start"), "thread");
const fg = p.flamegraph({ focus: "threads::spin", thread: "worker two" });
\`\${joined.numRows() === p.samples().numRows()} \${p.functions().orderby(aq.desc("totalShare")).get("totalShare", 0)} \${fg.options.focus}\``,
  );
  assert.deepEqual(r.error, []);
  assert.equal(r.ok, true);
  assert.deepEqual(r.log, ["true 1 threads::spin"]);
});

test("tslab cell: a type error comes back as a diagnostic, not a crash, and the next cell still runs", async () => {
  const bad = await cell(`const x: number = "s";`);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.log, []);
  assert.deepEqual(bad.error, ["1:7 - Type 'string' is not assignable to type 'number'."]);

  const good = await cell(`import { ExecError } from "flamebook";\nnew ExecError("exit", "m", r).name`);
  assert.deepEqual(good.error, []);
  assert.equal(good.ok, true);
  assert.deepEqual(good.log, ["ExecError"]);
});
