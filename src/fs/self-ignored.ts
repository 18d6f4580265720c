import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { writeFileAtomicSync } from "./atomic.js";

/** The name of flamebook's working directory in a project. */
export const STORE_DIR = ".flamebook";

const GITIGNORE = "# Made by flamebook: recordings, experiments, artifacts and worktrees, never committed.\n*\n";

/**
 * Creates `dir` (recursively) and, when it is in or below a `.flamebook` directory, makes that
 * directory ignore itself with a `.gitignore` of `*` (as pytest, mypy and ruff do with their
 * caches): `git status` stays clean, `git add -A` takes none of it and does not warn about the
 * git worktrees inside. Returns `dir`, resolved. An existing `.gitignore` is left as it is.
 *
 * @example
 * mkdirStore(".flamebook/recordings"); // also writes .flamebook/.gitignore
 */
export function mkdirStore(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  for (let d = abs; dirname(d) !== d; d = dirname(d)) {
    if (basename(d) !== STORE_DIR) continue;
    const file = join(d, ".gitignore");
    if (!existsSync(file)) writeFileAtomicSync(file, GITIGNORE, { mkdir: false });
    break;
  }
  return abs;
}
