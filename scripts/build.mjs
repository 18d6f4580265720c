#!/usr/bin/env node
// Builds dist/ (`npm run build`):
//   dist/esm/  tsc -p tsconfig.json: one .js + .d.ts (+ maps) per src file; the `import` entry, the
//              top-level `types`, and dist/esm/cli/main.js for bin/flamebook.js (when src/cli/main.ts exists).
//   dist/cjs/   esbuild bundle (format cjs, dependencies external) of the public API and the internals,
//              flamebook.cjs, one bundle so that both share one copy of every module (process groups,
//              display host…); index.cjs (the `main` and `require` entry: src/index.ts's names) and
//              internals.cjs ("flamebook/internals") take their half of it. For tslab cells, which are
//              compiled to CommonJS and use classic resolution.
//   dist/widgets/  the widget front end (scripts/build-widgets.mjs): anywidget ESM, AMD module, standalone script.
//   dist/kernel/   the Jupyter kernel (kernel/*.ts and the src/ files it imports), bundled by esbuild into
//              ES modules: main.js (what the kernelspec runs with plain node) and in-process.js (`flamebook run`).
// Everything is written to a sibling temp dir (same depth as dist/, so source-map paths stay right) and
// renamed into place at the end: a failed build leaves the previous dist/ untouched and exits non-zero.
// A lock in node_modules/.cache serialises concurrent builds (parallel test files call this). If src/
// changes while tsc and esbuild run (other people editing), the build starts over, so the ESM and CJS
// halves always come from the same sources.
//
// Flags: --if-stale  build only when the inputs (src/, tsconfig.json, package.json, this script) differ
//                    by content from those of the last build (node_modules/.cache/flamebook-build.json).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

/** Outputs whose presence makes a dist/ complete; the oldest of them dates the build. */
const OUTPUTS = ["dist/esm/index.js", "dist/esm/index.d.ts", "dist/esm/internals.d.ts", "dist/cjs/index.cjs", "dist/cjs/internals.cjs", "dist/cjs/flamebook.cjs", "dist/widgets/anywidget.js", "dist/widgets/standalone.js", "dist/widgets/jupyter-widgets.js", "dist/kernel/main.js", "dist/kernel/in-process.js"];
/** Inputs whose change makes dist/ stale. */
const INPUTS = ["src", "widgets", "kernel", "tsconfig.json", "package.json", "scripts/build.mjs", "scripts/build-widgets.mjs"];

/**
 * Bundles `entry` into one CommonJS file with esbuild (dependencies and node builtins stay external).
 *
 * esbuild leaves `import.meta` empty in cjs output. So every `import.meta.url`, `.dirname` and `.filename`
 * in a file under `srcRoot` is rewritten to the location of that file's ESM twin under `esmRoot`
 * (src/a/b.ts -> <esmRoot>/a/b.js), computed at run time from the bundle's `__dirname` (inline, not a
 * banner: a banner would come before esbuild's "use strict" and turn strict mode off). Relative lookups
 * such as `new URL("../../package.json", import.meta.url)` then find the same file from both builds.
 * Only the path from the bundle to `esmRoot` is baked in, so the two may move together.
 * Any other use of `import.meta` fails the build rather than silently becoming `undefined`.
 *
 * @example await bundleCjs({ entry: "src/index.ts", srcRoot: "src", esmRoot: "dist/esm", outfile: "dist/cjs/index.cjs" })
 * @returns the output size in bytes
 */
export async function bundleCjs({ entry, srcRoot, esmRoot, outfile, sourcemap = true }) {
  const esbuild = await import("esbuild");
  const outDir = dirname(outfile);
  /** @type {import("esbuild").Plugin} */
  const importMetaPlugin = {
    name: "flamebook-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const rel = relative(srcRoot, args.path);
        if (rel.startsWith("..") || rel.includes("node_modules")) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta")) return undefined;
        const twin = join(esmRoot, rel).replace(/\.([cm]?)[jt]sx?$/, ".$1js");
        const fromBundle = JSON.stringify(relative(outDir, twin).split(sep).join("/"));
        const file = `require("node:path").join(__dirname, ${fromBundle})`;
        const contents = text
          .replace(/\bimport\.meta\.url\b/g, `require("node:url").pathToFileURL(${file}).href`)
          .replace(/\bimport\.meta\.filename\b/g, `(${file})`)
          .replace(/\bimport\.meta\.dirname\b/g, `require("node:path").dirname(${file})`);
        const loader = /\.[cm]?tsx?$/.test(args.path) ? (args.path.endsWith("x") ? "tsx" : "ts") : "js";
        return { contents, loader, resolveDir: dirname(args.path) };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap,
    keepNames: true, // bundling renames colliding identifiers; keep fn.name / class names as written
    plugins: [importMetaPlugin],
    logLevel: "silent",
  });
  const leftovers = result.warnings.filter((w) => w.text.includes("import.meta"));
  if (leftovers.length > 0) {
    const shown = await esbuild.formatMessages(leftovers, { kind: "error" });
    throw new Error(`import.meta is not supported in the CJS bundle here:\n${shown.join("\n")}`);
  }
  for (const w of await esbuild.formatMessages(result.warnings, { kind: "warning" })) process.stderr.write(w);
  return (await stat(outfile)).size;
}

/** The CommonJS entry points: each name of package.json "exports" with a `require`, and the source barrel it takes. */
const CJS_ENTRIES = { index: "src/index.ts", internals: "src/internals.ts" };

/**
 * Bundles every CommonJS entry (CJS_ENTRIES) into one file, `<tmp>/cjs/flamebook.cjs`, and writes
 * one small module per entry that takes its half: `module.exports = require("./flamebook.cjs").index`.
 * One bundle, so that `require("flamebook")` and `require("flamebook/internals")` share every
 * module's state (the process groups to reap, the display host, the widget comms).
 *
 * @example await bundleEntries(".dist-tmp-123") // 812345 (bytes of flamebook.cjs)
 * @returns the bundle's size in bytes
 */
async function bundleEntries(tmp) {
  const entryDir = join(tmp, "cjs-entry");
  await mkdir(entryDir, { recursive: true });
  const entry = join(entryDir, "flamebook.ts");
  const lines = Object.entries(CJS_ENTRIES).map(([name, file]) => `export * as ${name} from ${JSON.stringify(join(root, file))};`);
  await writeFile(entry, lines.join("\n") + "\n");
  const bytes = await bundleCjs({
    entry,
    srcRoot: join(root, "src"),
    esmRoot: join(tmp, "esm"), // only the path relative to the bundle is kept, and tmp/ moves as a whole
    outfile: join(tmp, "cjs", "flamebook.cjs"),
  });
  for (const name of Object.keys(CJS_ENTRIES)) {
    await writeFile(join(tmp, "cjs", `${name}.cjs`), `"use strict";\n// ${CJS_ENTRIES[name]}'s names, from the one bundle (see scripts/build.mjs).\nmodule.exports = require("./flamebook.cjs").${name};\n`);
  }
  await rm(entryDir, { recursive: true, force: true });
  return bytes;
}

/**
 * Bundles the kernel's entry points (kernel/main.ts, kernel/in-process.ts) with the kernel/ and
 * src/ files they import into ES modules under `outDir` (shared code in a chunk), so that the
 * kernel runs on plain node: no TypeScript loader at run time. Dependencies (packages) stay
 * external and must be runtime dependencies. Paths the kernel finds at run time (package.json,
 * dist/, kernel/logos) are found by walking up to the package root, never relative to a source file.
 *
 * @example await bundleKernel("dist/kernel") // { "main.js": 151234, "in-process.js": 812, ... }
 * @returns the size in bytes of each file written
 */
export async function bundleKernel(outDir) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [join(root, "kernel", "main.ts"), join(root, "kernel", "in-process.ts")],
    absWorkingDir: root,
    outdir: outDir,
    bundle: true,
    splitting: true,
    chunkNames: "chunk-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: true,
    keepNames: true,
    metafile: true,
    logLevel: "silent",
  });
  for (const w of await esbuild.formatMessages(result.warnings, { kind: "warning" })) process.stderr.write(w);
  const sizes = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith(".map")) sizes[relative(outDir, join(root, file)).split(sep).join("/")] = out.bytes;
  }
  return sizes;
}

/** Runs a command with inherited output; rejects with its exit status. */
function exec(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${[cmd, ...args].join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** sha256 over the paths and contents of every input file (mtimes are not trusted: files edited
 * elsewhere can arrive with older timestamps than our outputs). */
async function inputsHash() {
  const hash = createHash("sha256");
  const walk = async (rel) => {
    const abs = join(root, rel);
    const s = await stat(abs).catch(() => null);
    if (!s) return;
    if (s.isDirectory()) {
      for (const e of (await readdir(abs)).sort()) await walk(join(rel, e));
    } else {
      hash.update(`${rel}\0${s.size}\0`).update(await readFile(abs)).update("\0");
    }
  };
  for (const i of INPUTS) await walk(i);
  return hash.digest("hex");
}

const STAMP = join(root, "node_modules", ".cache", "flamebook-build.json");

/** dist/ is stale unless the stamp of the last build matches both the inputs and the dist/ on disk. */
async function isStale() {
  const stamp = JSON.parse(await readFile(STAMP, "utf8").catch(() => "{}"));
  for (const o of OUTPUTS) if (!existsSync(join(root, o))) return true;
  const cjs = await stat(join(root, "dist/cjs/index.cjs"));
  return stamp.inputs !== (await inputsHash()) || stamp.cjsMtimeMs !== cjs.mtimeMs;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** mkdir-based lock; a lock whose owner died is taken over. */
async function withLock(fn) {
  const lock = join(root, "node_modules", ".cache", "flamebook-build.lock");
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      const owner = Number(await readFile(join(lock, "pid"), "utf8").catch(() => "NaN"));
      const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
      if ((Number.isInteger(owner) && !alive(owner)) || (!Number.isInteger(owner) && age > 10_000)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`build lock held by pid ${owner} for too long: ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function countFiles(dir, suffix) {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(suffix)) n++;
  }
  return n;
}

/** Compiles into `tmp` (tsc, then esbuild); returns what the summary line reports. */
async function compile(tmp) {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  await exec(process.execPath, [tsc, "-p", join(root, "tsconfig.json"), "--outDir", join(tmp, "esm")]);
  const cjsBytes = await bundleEntries(tmp);
  const { bundleWidgets } = await import(pathToFileURL(join(root, "scripts", "build-widgets.mjs")).href);
  const widgetSizes = await bundleWidgets(join(tmp, "widgets"));
  const kernelSizes = await bundleKernel(join(tmp, "kernel"));
  for (const o of OUTPUTS) {
    if (!existsSync(join(tmp, relative("dist", o)))) throw new Error(`build produced no ${o}`);
  }
  return {
    cjsBytes,
    widgetSizes,
    kernelBytes: Object.values(kernelSizes).reduce((a, b) => a + b, 0),
    jsFiles: await countFiles(join(tmp, "esm"), ".js"),
    dtsFiles: await countFiles(join(tmp, "esm"), ".d.ts"),
    cli: existsSync(join(tmp, "esm", "cli", "main.js")),
  };
}

async function build() {
  const started = performance.now();
  const dist = join(root, "dist");
  const tmp = join(root, `.dist-tmp-${process.pid}`);
  const old = join(root, `.dist-old-${process.pid}`);
  // Leftovers of builds that were killed (we hold the lock, so none is running).
  for (const e of await readdir(root)) {
    if (/^\.dist-(tmp|old)-\d+$/.test(e)) await rm(join(root, e), { recursive: true, force: true });
  }
  try {
    // tsc and esbuild read src/ separately: if it changes under us (someone is editing), the two
    // outputs may disagree, so compile again from the new state.
    let info;
    let inputs;
    for (let attempt = 1; ; attempt++) {
      inputs = await inputsHash();
      let error = null;
      info = await compile(tmp).catch((e) => ((error = e), null));
      if ((await inputsHash()) === inputs) {
        if (error) throw error;
        break;
      }
      await rm(tmp, { recursive: true, force: true });
      if (attempt === 3) throw new Error("src/ kept changing during the build; not writing dist/");
      console.error("flamebook build: src/ changed during the build; compiling again");
    }

    if (existsSync(dist)) await rename(dist, old);
    await rename(tmp, dist);
    await rm(old, { recursive: true, force: true });
    const cjsMtimeMs = (await stat(join(dist, "cjs", "index.cjs"))).mtimeMs;
    await writeFile(STAMP, JSON.stringify({ inputs, cjsMtimeMs }) + "\n");

    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `flamebook build: dist/esm ${info.jsFiles} .js + ${info.dtsFiles} .d.ts (tsc), dist/cjs/flamebook.cjs ` +
        `${(info.cjsBytes / 1024).toFixed(1)} KiB (esbuild), cli ${info.cli ? "dist/esm/cli/main.js" : "absent (no src/cli/main.ts)"}, ` +
        `widgets ${Object.entries(info.widgetSizes).map(([n, b]) => `${n} ${(b / 1024).toFixed(1)} KiB`).join(", ")}, ` +
        `kernel dist/kernel ${(info.kernelBytes / 1024).toFixed(1)} KiB (esbuild); ${secs} s`,
    );
  } catch (e) {
    // Put the previous dist back if we got as far as moving it.
    if (!existsSync(dist) && existsSync(old)) await rename(old, dist);
    throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(argv) {
  await withLock(async () => {
    if (argv.includes("--if-stale") && !(await isStale())) {
      console.log("flamebook build: dist/ is up to date");
      return;
    }
    await build();
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`flamebook build FAILED: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  });
}
