import { test } from "node:test";
import assert from "node:assert/strict";
import { isPackageFile, skipPackageWatches } from "../../kernel/package-watches.js";

test("isPackageFile: files under node_modules (TypeScript's lib included), not the notebook's own", () => {
  assert.equal(isPackageFile("/p/node_modules/@types/node/fs.d.ts"), true);
  assert.equal(isPackageFile("/p/node_modules/@tslab/typescript-for-tslab/lib/lib.es2022.d.ts"), true);
  assert.equal(isPackageFile("C:\\p\\node_modules\\x\\index.d.ts"), true);
  assert.equal(isPackageFile("/home/me/nb/helpers.ts"), false);
  assert.equal(isPackageFile("/home/me/node_modules_backup/x.ts"), false);
});

test("skipPackageWatches: package files get a no-op watcher, other files the real one; patching twice is patching once", () => {
  const watched: string[] = [];
  const closed: string[] = [];
  const sys = {
    watchFile(path: string) {
      watched.push(path);
      return { close: () => void closed.push(path) };
    },
  };
  skipPackageWatches(sys);
  skipPackageWatches(sys);
  sys.watchFile("/p/node_modules/flamebook/dist/esm/index.d.ts").close();
  sys.watchFile("/nb/local.ts").close();
  assert.deepEqual(watched, ["/nb/local.ts"]);
  assert.deepEqual(closed, ["/nb/local.ts"]);
});
