import { run } from "../exec/index.js";

/** The git state of a directory, for provenance. */
export interface GitState {
  /** `git rev-parse HEAD`, or null outside a git repository (or without git, or before the first commit). */
  readonly sha: string | null;
  /**
   * Whether what a build of the directory reads differs from `sha`: a tracked file changed
   * anywhere in the repository, or an untracked, not ignored file inside the directory (a new
   * source file). Notebooks, pages and flamebook's own `.flamebook/` do not count. Null as above.
   */
  readonly dirty: boolean | null;
  /** The first few paths that made it dirty, relative to the repository (` M src/lib.rs`, `?? src/new.rs`), for messages. */
  readonly changes?: readonly string[];
}

/** Untracked files that no build reads: flamebook's and Jupyter's outputs. */
const NOT_SOURCES = /(^|\/)\.flamebook(\/|$)|\.(ipynb|html)$|(^|\/)\.ipynb_checkpoints(\/|$)/;

/**
 * Reads the commit and dirtiness of the repository holding `dir` (see {@link GitState.dirty}).
 * Never throws for a missing git or a directory outside any repository: both fields are null
 * then. Aborting still rejects.
 *
 * @example
 * const { sha, dirty } = await gitState("notebooks/crates/clone-in-loop");
 * // { sha: "3f2c…", dirty: false }
 */
export async function gitState(
  dir: string,
  opts: { signal?: AbortSignal; env?: Record<string, string | undefined> } = {},
): Promise<GitState> {
  const common = { cwd: dir, env: opts.env, signal: opts.signal, captureStdout: true, timeoutMs: 30_000 };
  try {
    const head = await run("git", ["rev-parse", "--verify", "HEAD"], common);
    // -z: paths as they are (no quoting), NUL-separated; tracked changes in the whole repository
    const tracked = await run("git", ["status", "--porcelain", "-z", "--untracked-files=no"], common);
    // untracked files under `dir` only, each listed (not collapsed to their directory)
    const untracked = await run("git", ["status", "--porcelain", "-z", "--untracked-files=all", "--", "."], common);
    const changes = [
      ...entries(tracked.stdout),
      ...entries(untracked.stdout).filter((e) => e.startsWith("?? ") && !NOT_SOURCES.test(e.slice(3))),
    ];
    const sha = head.stdout.trim();
    return { sha: /^[0-9a-f]{40,64}$/.test(sha) ? sha : null, dirty: changes.length > 0, ...(changes.length > 0 ? { changes: changes.slice(0, 5) } : {}) };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return { sha: null, dirty: null };
  }
}

/** `git status --porcelain -z` entries, `XY path` (a rename's second path dropped). */
function entries(z: string): string[] {
  const parts = z.split("\0");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length < 4) continue;
    out.push(p);
    if (p[0] === "R" || p[0] === "C") i++; // the source path of a rename or copy follows
  }
  return out;
}
