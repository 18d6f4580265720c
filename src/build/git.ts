import { run } from "../exec/index.js";

/** The git state of a directory, for provenance. */
export interface GitState {
  /** `git rev-parse HEAD`, or null outside a git repository (or without git, or before the first commit). */
  readonly sha: string | null;
  /** Whether `git status --porcelain` lists anything (untracked files included), or null as above. */
  readonly dirty: boolean | null;
}

/**
 * Reads the commit and dirtiness of the repository holding `dir`. Never throws for a missing
 * git or a directory outside any repository: both fields are null then. Aborting still rejects.
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
    const status = await run("git", ["status", "--porcelain"], common);
    const sha = head.stdout.trim();
    return { sha: /^[0-9a-f]{40,64}$/.test(sha) ? sha : null, dirty: status.stdout.trim().length > 0 };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return { sha: null, dirty: null };
  }
}
