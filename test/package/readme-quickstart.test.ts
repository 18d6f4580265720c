// The README's TypeScript code (the quick start, and every other ```ts block) type-checked the way a
// user's code is: in a temp directory where `flamebook` resolves to this package as installed
// (node_modules/flamebook -> the repository, so package.json "exports" picks the BUILT declarations,
// dist/esm/index.d.ts) and `arquero` to the copy the kernel provides, with the project's TypeScript
// (node_modules/typescript, not tslab's older copy), strict. A name the package does not export, a
// method or property that does not exist, an option an options object does not take: each is a type
// error, reported at its README line. Column names are strings to TypeScript, so the blocks are also
// searched for the column and option names that 0.2.0 renamed (CHANGELOG.md).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import ts from "typescript";
import { ensureBuilt, makeConsumer, repoRoot } from "./fixtures/consumer.js";

/** A fenced TypeScript block of a Markdown file. */
interface CodeBlock {
  /** The heading the block is under (its text, without the #s). */
  readonly section: string;
  /** The 1-based line of the block's first code line in the Markdown file. */
  readonly line: number;
  readonly code: string;
}

/**
 * The ```ts (or ```typescript) blocks of a Markdown text, with the indentation of their fence
 * removed from every line (a block inside a list item is indented).
 *
 * @example
 * tsBlocks("## A\n```ts\nconst x = 1;\n```\n"); // [{ section: "A", line: 3, code: "const x = 1;" }]
 */
export function tsBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]!);
    if (heading) section = heading[1]!.trim();
    const fence = /^(\s*)(`{3,})(ts|typescript)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const [, indent, ticks] = fence;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${ticks}\\s*$`).test(lines[j]!); j++) {
      const l = lines[j]!;
      body.push(l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart());
    }
    assert.ok(j < lines.length, `README.md:${i + 1}: the code block opened here is never closed`);
    blocks.push({ section, line: i + 2, code: body.join("\n") });
    i = j;
  }
  return blocks;
}

/** Names 0.2.0 removed or renamed that a type check cannot see (column names and the like, which are strings). */
const OLD_NAMES = [
  "selfPct", "totalPct", "D1missPct", "LLmissPct", "I1missPct",
  "ci_low", "ci_high", "before_self", "after_self", "before_blocks", "after_blocks", "before_bytes", "after_bytes",
  "started_at", "wall_ms", "user_ms", "sys_ms", "exit_code",
  "baseLabel", "beforeTotal", "afterTotal", "beforeSelf", "afterSelf", "_repr_mimebundle_", "durationMs",
];

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const blocks = tsBlocks(readme);

const options: ts.CompilerOptions = {
  strict: true,
  // The consumer's package.json says "type": "module", so each block is an ES module with top-level
  // await, like a notebook cell, and "flamebook" resolves through package.json "exports".
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  noEmit: true,
  skipLibCheck: true,
  // Notebook cells see @types/node's globals (kernel/README.md); nothing else from @types.
  typeRoots: [join(repoRoot, "node_modules", "@types")],
  types: ["node"],
};

let consumer: string;

before(async () => {
  await ensureBuilt();
  consumer = await makeConsumer("flamebook-readme-");
  await writeFile(join(consumer, "package.json"), JSON.stringify({ name: "readme-reader", private: true, type: "module" }));
  // The kernel gives every notebook flamebook's arquero (kernel/own-package.ts); so does this directory.
  const arquero = dirname(createRequire(join(repoRoot, "package.json")).resolve("arquero/package.json"));
  await mkdir(join(consumer, "node_modules"), { recursive: true });
  await symlink(arquero, join(consumer, "node_modules", "arquero"), "dir");
});

after(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

/** Type-checks `files` (name → source) in the consumer directory; returns each error as "name:line:col: message". */
async function typeCheck(files: Record<string, string>): Promise<string[]> {
  const paths = await Promise.all(
    Object.entries(files).map(async ([name, source]) => {
      const path = join(consumer, name);
      await writeFile(path, source);
      return path;
    }),
  );
  const program = ts.createProgram(paths, options);
  const ours = new Set(paths);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || ours.has(d.file.fileName))
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName.slice(consumer.length + 1)}:${line + 1}:${character + 1}: TS${d.code}: ${text}`;
    });
}

test("README.md: a quick start with TypeScript code to check", () => {
  assert.ok(
    blocks.some((b) => /^Quick start/.test(b.section) && /from "flamebook"/.test(b.code)),
    `no \`\`\`ts block importing flamebook under a "Quick start" heading; found: ${blocks.map((b) => `${b.section} (line ${b.line})`).join(", ") || "none"}`,
  );
});

test('"flamebook" resolves to the built declarations, dist/esm/index.d.ts, as an installed package', async () => {
  const file = join(consumer, "resolve.ts");
  const resolved = ts.resolveModuleName("flamebook", file, options, ts.sys).resolvedModule;
  assert.ok(resolved, "flamebook is not found from the consumer directory");
  assert.equal(await realpath(resolved.resolvedFileName), await realpath(join(repoRoot, "dist", "esm", "index.d.ts")));
});

test("the checker is strict and reads flamebook's real types: old names and unknown options are errors", async () => {
  // If flamebook resolved to `any`, or the check were lax, the README could name anything.
  const errors = await typeCheck({
    "control.ts": [
      'import { perf, frameStats } from "flamebook";',
      'const rec = await perf.record("./app");',
      'rec.flamegraph({ baseLabel: "x" });',
      "rec.wallMs;",
      "rec.toFolded();",
      "export {};",
    ].join("\n"),
  });
  for (const want of [/control\.ts:1:\d+: TS(2305|2724): .*'frameStats'/, /control\.ts:3:\d+: TS2353: .*'baseLabel'/, /control\.ts:4:\d+: TS(2339|2551): .*'wallMs'/, /control\.ts:5:\d+: TS2339: .*'toFolded'/]) {
    assert.ok(errors.some((e) => want.test(e)), `expected an error matching ${want}; got:\n${errors.join("\n")}`);
  }
});

test("README.md: every ```ts block type-checks against the built package (strict)", async () => {
  const files = Object.fromEntries(blocks.map((b, i) => [`readme-${i + 1}.ts`, `${b.code}\nexport {};\n`]));
  const errors = await typeCheck(files);
  // Back to README positions: block i's line n is README line (b.line + n − 1).
  const located = errors.map((e) => {
    const m = /^readme-(\d+)\.ts:(\d+):(\d+): (.*)$/s.exec(e);
    if (!m) return e;
    const b = blocks[Number(m[1]) - 1]!;
    return `README.md:${b.line + Number(m[2]) - 1}:${m[3]} (${b.section}): ${m[4]}`;
  });
  assert.deepEqual(located, [], `the README's code does not type-check against dist/esm/index.d.ts:\n${located.join("\n")}`);
});

test("README.md: no ```ts block uses a name 0.2.0 renamed (column names are strings, which the type check cannot see)", () => {
  const found = blocks.flatMap((b) =>
    b.code.split("\n").flatMap((l, n) => OLD_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(l)).map((name) => `README.md:${b.line + n}: ${name} (see CHANGELOG.md)`)),
  );
  assert.deepEqual(found, []);
});
