import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gitState } from "../../src/build/git.js";
import { mkdirStore } from "../../src/fs/self-ignored.js";

const dir = mkdtempSync(join(tmpdir(), "fb-git-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A repository with a crate in `crate/` and a README at the top, one commit. */
function repo(): { root: string; crate: string; git: (...a: string[]) => string } {
  const root = mkdtempSync(join(dir, "repo-"));
  const git = (...a: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...a], { cwd: root, encoding: "utf8" });
  git("init", "-q");
  const crate = join(root, "crate");
  mkdirSync(join(crate, "src"), { recursive: true });
  writeFileSync(join(crate, "Cargo.toml"), '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n');
  writeFileSync(join(crate, "src", "main.rs"), "fn main() {}\n");
  writeFileSync(join(root, "README.md"), "# r\n");
  git("add", "-A");
  git("commit", "-qm", "one");
  return { root, crate, git };
}

test("mkdirStore: .flamebook ignores itself, so recordings and git worktrees in it leave `git status` clean and `git add -A` quiet", () => {
  const { root, git } = repo();
  mkdirStore(join(root, ".flamebook", "recordings"));
  writeFileSync(join(root, ".flamebook", "recordings", "x.perf.data"), "data");
  assert.equal(readFileSync(join(root, ".flamebook", ".gitignore"), "utf8").split("\n").filter((l) => !l.startsWith("#"))[0], "*");
  git("worktree", "add", "-q", "--detach", join(root, ".flamebook", "worktrees", "abc"), "HEAD");
  assert.equal(git("status", "--porcelain"), "");
  const add = spawnSync("git", ["add", "-A"], { cwd: root, encoding: "utf8" });
  assert.equal(add.status, 0);
  assert.doesNotMatch(add.stderr, /embedded git repository/);
  assert.equal(git("status", "--porcelain"), "");
});

test("gitState: flamebook's own outputs (.flamebook, notebooks, pages) and untracked files outside the crate are not 'dirty'", async () => {
  const { root, crate } = repo();
  mkdirStore(join(root, ".flamebook", "experiments"));
  writeFileSync(join(crate, "profile.out.ipynb"), "{}");
  writeFileSync(join(crate, "wordfreq.flamegraph.html"), "<!doctype html>");
  mkdirSync(join(crate, ".ipynb_checkpoints"));
  writeFileSync(join(crate, ".ipynb_checkpoints", "x-checkpoint.ipynb"), "{}");
  writeFileSync(join(root, "notes.txt"), "mine");
  const s = await gitState(crate);
  assert.equal(s.dirty, false, JSON.stringify(s));
  assert.match(s.sha ?? "", /^[0-9a-f]{40}$/);
});

test("gitState: a new source file in the crate or a changed tracked file anywhere is 'dirty', and says which", async () => {
  const a = repo();
  writeFileSync(join(a.crate, "src", "extra.rs"), "pub fn f() {}\n");
  assert.deepEqual(await gitState(a.crate), { sha: a.git("rev-parse", "HEAD").trim(), dirty: true, changes: ["?? crate/src/extra.rs"] }); // paths relative to the repository
  const b = repo();
  writeFileSync(join(b.root, "README.md"), "# changed\n");
  const s = await gitState(b.crate);
  assert.equal(s.dirty, true);
  assert.deepEqual(s.changes, [" M README.md"]);
});

test("gitState: outside a repository both fields are null", async () => {
  const plain = mkdtempSync(join(dir, "plain-"));
  assert.deepEqual(await gitState(plain), { sha: null, dirty: null });
});
