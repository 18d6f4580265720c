import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parse } from "smol-toml";

/** Directories below the crate whose files are inputs of the build. */
const SOURCE_DIRS = ["src", "benches", "examples"];
/** Files of the crate directory that are inputs of the build. */
const CRATE_FILES = ["Cargo.toml", "Cargo.lock", "build.rs"];
/** Files in the crate directory or any directory above it that change what cargo builds. */
const ANCESTOR_FILES = [".cargo/config.toml", ".cargo/config", "rust-toolchain.toml", "rust-toolchain"];

/** One input of {@link sourceHash}. */
export interface SourceInput {
  /** How the file is named in the hash: relative to the crate, e.g. "src/main.rs" or "../Cargo.lock". */
  name: string;
  /** The absolute path. */
  path: string;
}

/**
 * The files whose content {@link sourceHash} hashes, sorted by name: `Cargo.toml`, `Cargo.lock`
 * and `build.rs` of the crate; every file under `src/`, `benches/` and `examples/` (skipping
 * `target/` and dot-directories); the workspace root's `Cargo.toml` and `Cargo.lock` when the
 * crate is a workspace member (found by walking up to a Cargo.toml with `[workspace]`); and any
 * `.cargo/config.toml` or `rust-toolchain(.toml)` in the crate directory or above it. Path
 * dependencies (`foo = { path = "../foo" }`, also through `workspace = true`) are followed, and
 * their `Cargo.toml`, `build.rs` and `src/` hashed too, so that editing a sibling crate the binary
 * uses changes the hash.
 *
 * @example
 * (await sourceInputs("notebooks/crates/clone-in-loop")).map((f) => f.name);
 * // ["Cargo.lock", "Cargo.toml", "src/bin/wordfreq.rs", "src/lib.rs"]
 */
export async function sourceInputs(crateDir: string): Promise<SourceInput[]> {
  const dir = resolve(crateDir);
  if (!(await isFile(join(dir, "Cargo.toml")))) {
    throw new Error(`flamebook: no Cargo.toml in ${dir}; pass the crate directory (the one holding Cargo.toml) to sourceHash.`);
  }
  const ancestors: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    ancestors.push(d);
    if (dirname(d) === d) break;
  }
  // Everything is looked up at once: sequential stats of a deep path cost tens of ms on a busy machine.
  const [crateFiles, sourceFiles, workspace, ancestorFiles] = await Promise.all([
    existing(CRATE_FILES.map((f) => join(dir, f))),
    Promise.all(SOURCE_DIRS.map((d) => walk(join(dir, d)))).then((lists) => lists.flat()),
    workspaceRoot(ancestors),
    existing(ancestors.flatMap((d) => ANCESTOR_FILES.map((f) => join(d, f)))),
  ]);
  const workspaceFiles = workspace !== null && workspace !== dir ? await existing(["Cargo.toml", "Cargo.lock"].map((f) => join(workspace, f))) : [];
  const wsText = workspace !== null ? await readFile(join(workspace, "Cargo.toml"), "utf8").catch(() => null) : null;
  const depFiles = await pathDependencyInputs(dir, workspace !== null && wsText !== null ? { dir: workspace, text: wsText } : null);
  const found = new Map<string, string>(); // absolute path -> name
  for (const path of [...crateFiles, ...sourceFiles, ...workspaceFiles, ...ancestorFiles, ...depFiles]) {
    if (!found.has(path)) found.set(path, relative(dir, path).split(sep).join("/"));
  }
  return [...found].map(([path, name]) => ({ name, path })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A sha256 (hex) over the names and contents of a crate's build inputs (see {@link sourceInputs}):
 * equal hashes mean an identical build, so an experiment can reuse stored runs. Build outputs
 * (`target/`) and dot-directories (`.git`) are ignored. Registry and git dependencies are pinned by
 * the Cargo.lock; path dependencies are followed.
 *
 * @example
 * await sourceHash("notebooks/crates/clone-in-loop"); // "5d41402abc4b2a76b9719d911017c592…"
 */
export async function sourceHash(crateDir: string): Promise<string> {
  const inputs = await sourceInputs(crateDir);
  const contents = await Promise.all(inputs.map((f) => readFile(f.path)));
  const h = createHash("sha256");
  h.update("flamebook-source-hash-v1\n");
  inputs.forEach((f, i) => {
    // Name and length first, so that no two different file sets hash the same byte stream.
    h.update(`${f.name}\0${contents[i].byteLength}\0`);
    h.update(contents[i]);
  });
  return h.digest("hex");
}

/** Every regular file below `dir` (following symlinked files, not symlinked directories), skipping `target` and dot-entries. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return [];
  const lists = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith(".") && e.name !== "target")
      .map(async (e): Promise<string[]> => {
        const path = join(dir, e.name);
        if (e.isDirectory()) return walk(path);
        return e.isFile() || (e.isSymbolicLink() && (await isFile(path))) ? [path] : [];
      }),
  );
  return lists.flat();
}

/** The nearest of `dirs` (innermost first) whose Cargo.toml has a `[workspace]` table, or null. */
async function workspaceRoot(dirs: readonly string[]): Promise<string | null> {
  const texts = await Promise.all(dirs.map((d) => readFile(join(d, "Cargo.toml"), "utf8").catch(() => null)));
  const i = texts.findIndex((t) => t !== null && /^\s*\[workspace(\.[\w-]+)?\]/m.test(t));
  return i < 0 ? null : dirs[i];
}

const DEPENDENCY_TABLES = ["dependencies", "build-dependencies", "dev-dependencies"];

/**
 * The input files of the path dependencies of the crate in `dir`, transitively (dev-dependencies
 * only for the crate itself: its benches and examples are hashed). A manifest that does not parse
 * is skipped; cargo reports it when it builds.
 */
async function pathDependencyInputs(dir: string, workspace: { dir: string; text: string } | null): Promise<string[]> {
  const wsDeps = workspace ? asTable(asTable(tomlOf(workspace.text)?.workspace)?.dependencies) : undefined;
  const seen = new Set<string>([dir]);
  const out: string[] = [];
  let queue = await pathDepsOf(dir, true);
  while (queue.length > 0) {
    const next: string[] = [];
    for (const dep of queue) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const [own, src] = await Promise.all([existing(["Cargo.toml", "build.rs"].map((f) => join(dep, f))), walk(join(dep, "src"))]);
      out.push(...own, ...src);
      next.push(...(await pathDepsOf(dep, false)));
    }
    queue = next;
  }
  return out;

  async function pathDepsOf(crate: string, withDev: boolean): Promise<string[]> {
    const manifest = tomlOf(await readFile(join(crate, "Cargo.toml"), "utf8").catch(() => ""));
    if (!manifest) return [];
    const tables = [manifest, ...Object.values(asTable(manifest.target) ?? {}).map(asTable)];
    const dirs: string[] = [];
    for (const t of tables) {
      for (const name of DEPENDENCY_TABLES) {
        if (name === "dev-dependencies" && !withDev) continue;
        for (const [dep, spec] of Object.entries(asTable(t?.[name]) ?? {})) {
          const s = asTable(spec);
          if (typeof s?.path === "string") dirs.push(resolve(crate, s.path));
          else if (s?.workspace === true && workspace) {
            const p = asTable(wsDeps?.[dep])?.path;
            if (typeof p === "string") dirs.push(resolve(workspace.dir, p));
          }
        }
      }
    }
    return dirs;
  }
}

type Table = Record<string, unknown>;

function tomlOf(text: string): Table | undefined {
  try {
    return parse(text) as Table;
  } catch {
    return undefined;
  }
}

function asTable(v: unknown): Table | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Table) : undefined;
}

/** The paths of `paths` that are regular files (or symlinks to them). */
async function existing(paths: readonly string[]): Promise<string[]> {
  const ok = await Promise.all(paths.map(isFile));
  return paths.filter((_, i) => ok[i]);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
