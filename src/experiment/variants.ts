import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { cargo } from "../build/index.js";
import type { BuildResult } from "../build/types.js";
import { run } from "../exec/index.js";
import type { VariantSpec } from "./record.js";
import { mkdirStore } from "../fs/self-ignored.js";

/** The part of an experiment's spec every variant starts from. */
export interface VariantBase {
  /** The crate directory (for builds). */
  crate?: string;
  /** The binary target. */
  bin?: string;
  /** A prebuilt executable, for variants that give neither `exe` nor a crate to build. */
  exe?: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

/** A variant ready to run: its executable, arguments and environment, and how it was made. */
export interface ResolvedVariant {
  readonly name: string;
  readonly spec: VariantSpec;
  readonly exe: string;
  readonly exeSha256: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly build?: BuildResult;
  readonly git?: { sha: string; dirty: boolean; ref?: string; worktree?: string; changes?: string[] };
}

/** What resolving needs besides the specs. */
export interface ResolveOptions {
  /** The store root (`.flamebook`): git worktrees go to `<root>/worktrees/<sha>`. */
  storeRoot: string;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * Builds (or finds) the executable of one variant. A `git` revision is checked out in its own
 * worktree under `<store>/worktrees/<sha>` (the user's checkout is never touched) and built
 * there; `features`/`noDefaultFeatures` change the cargo build; `exe` skips building; `args` and
 * `env` replace or extend the base ones.
 *
 * @example
 * const v = await resolveVariant("after", { features: ["reuse-buffer"] }, { crate: "notebooks/crates/clone-in-loop", bin: "wordfreq", args: ["200000"], env: {} }, { storeRoot: ".flamebook" });
 * v.exe; // "/…/target/profiling/flamebook-snapshots/…/wordfreq"
 */
export async function resolveVariant(name: string, spec: VariantSpec, base: VariantBase, opts: ResolveOptions): Promise<ResolvedVariant> {
  const args = [...(spec.args ?? base.args)];
  const env = { ...base.env, ...spec.env };
  if (spec.exe !== undefined || (base.crate === undefined && base.exe !== undefined)) {
    const exe = resolve(spec.exe ?? base.exe!);
    if (!existsSync(exe)) throw new Error(`flamebook: variant "${name}": the executable ${exe} does not exist; build it first or give { features } / { git } with a crate.`);
    return { name, spec, exe, exeSha256: await fileSha256(exe), args, env };
  }
  if (base.crate === undefined) throw new Error(`flamebook: variant "${name}" needs something to run: give the experiment a { crate } to build, or the variant an { exe }.`);
  let crateDir = resolve(base.crate);
  let git: ResolvedVariant["git"];
  if (spec.git !== undefined) {
    const checkout = await gitWorktree(crateDir, spec.git, opts);
    crateDir = checkout.crateDir;
    git = { sha: checkout.sha, dirty: false, ref: spec.git, worktree: checkout.worktree };
  }
  opts.onProgress?.(`building ${name}: cargo build${spec.features?.length ? ` --features ${spec.features.join(",")}` : ""}${spec.git ? ` at ${spec.git}` : ""}`);
  const build = await cargo.build(crateDir, {
    ...(base.bin !== undefined ? { bin: base.bin } : {}),
    features: [...(spec.features ?? [])],
    noDefaultFeatures: spec.noDefaultFeatures ?? false,
    signal: opts.signal,
    onProgress: (line) => opts.onProgress?.(line),
  });
  git ??= build.gitSha ? { sha: build.gitSha, dirty: build.dirty ?? false, ...(build.gitChanges ? { changes: [...build.gitChanges] } : {}) } : undefined;
  return { name, spec, exe: build.exe, exeSha256: build.sha256, args, env, build, ...(git ? { git } : {}) };
}

/**
 * A detached worktree of `rev` for the repository holding `crateDir`, under the store (made once
 * per commit and reused), and the crate's directory inside it.
 */
async function gitWorktree(crateDir: string, rev: string, opts: ResolveOptions): Promise<{ sha: string; worktree: string; crateDir: string }> {
  const common = { cwd: crateDir, signal: opts.signal, captureStdout: true, timeoutMs: 60_000 };
  const top = await run("git", ["rev-parse", "--show-toplevel"], common).catch(() => {
    throw new Error(`flamebook: a variant asks for git revision "${rev}", but ${crateDir} is not in a git repository.`);
  });
  const root = top.stdout.trim();
  const parsed = await run("git", ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { ...common, check: false });
  const sha = parsed.stdout.trim();
  if (parsed.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new Error(`flamebook: git revision "${rev}" not found in ${root}; give a commit, tag or branch that \`git rev-parse ${rev}\` knows.`);
  }
  const worktree = join(resolve(opts.storeRoot), "worktrees", sha);
  if (!existsSync(join(worktree, ".git"))) {
    mkdirStore(join(resolve(opts.storeRoot), "worktrees"));
    opts.onProgress?.(`git worktree add --detach ${worktree} ${sha.slice(0, 12)}`);
    await run("git", ["worktree", "add", "--detach", "--force", worktree, sha], { ...common, cwd: root });
  }
  return { sha, worktree, crateDir: join(worktree, relative(root, crateDir)) };
}

/**
 * SHA-256 of a file, streamed.
 *
 * @example await fileSha256("/usr/bin/true") // "3f…"
 */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
