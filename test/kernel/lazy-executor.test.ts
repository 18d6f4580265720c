import { test } from "node:test";
import assert from "node:assert/strict";
import type { CellExecutor, DisplayHook } from "../../kernel/executor.js";
import { createLazyExecutor } from "../../kernel/lazy-executor.js";

/** A factory of fake executors that records what happens to them. */
function fake() {
  const events: string[] = [];
  let made = 0;
  const create = (): CellExecutor => {
    made++;
    events.push("create");
    return {
      execute: async (code) => (events.push(`execute ${code}`), { status: "ok", hasValue: false }),
      complete: (_code, cursor) => (events.push("complete"), { matches: [], cursor_start: cursor, cursor_end: cursor }),
      inspect: () => (events.push("inspect"), undefined),
      isComplete: () => ({ status: "complete" }),
      interrupt: () => void events.push("interrupt"),
      cellStack: (s) => `mapped ${s}`,
      prepare: (code) => void events.push(`prepare ${code}`),
      setDisplayHook: () => void events.push("hook"),
      close: () => void events.push("close"),
    };
  };
  return { events, create, made: () => made };
}

test("createLazyExecutor: nothing is made until a request needs it; then once", async () => {
  const f = fake();
  const ex = createLazyExecutor(f.create);
  assert.equal(ex.created, false);
  assert.equal(ex.cellStack("s"), "s", "no executor: stacks pass through");
  ex.interrupt(); // no cell can be running: nothing to do
  ex.close();
  assert.deepEqual(f.events, []);
  await ex.execute("1");
  ex.complete("x", 1);
  assert.equal(ex.created, true);
  assert.equal(ex.cellStack("s"), "mapped s");
  assert.equal(f.made(), 1);
  assert.deepEqual(f.events, ["create", "execute 1", "complete"]);
});

test("createLazyExecutor.warm: builds, compiles the warm-up code, then preloads, each step after yielding", async () => {
  const f = fake();
  const log: string[] = [];
  const ex = createLazyExecutor(f.create, { warmCode: "import x", preload: () => void f.events.push("preload"), log: (t) => log.push(t) });
  const warming = ex.warm();
  assert.deepEqual(f.events, [], "warm() returns before doing anything (kernel_info is answered first)");
  assert.equal(ex.warm(), warming, "one warm-up");
  await warming;
  assert.deepEqual(f.events, ["create", "prepare import x", "preload"]);
  assert.match(log.join("\n"), /TypeScript ready in \d+ ms/);
  assert.match(log.join("\n"), /warm-up cell compiled in \d+ ms, preloaded in \d+ ms/);
  await ex.execute("2");
  assert.equal(f.made(), 1);
});

test("createLazyExecutor.warm: a cell that ran first makes the warm-up stop after building", async () => {
  const f = fake();
  const ex = createLazyExecutor(f.create, { warmCode: "import x", preload: () => void f.events.push("preload") });
  const warming = ex.warm();
  await ex.execute("first"); // arrives before the warm-up's first step: it builds the executor itself
  await warming;
  assert.deepEqual(f.events, ["create", "execute first"]);
});

test("createLazyExecutor: a display hook set before the executor exists is installed when it is made", async () => {
  const f = fake();
  const ex = createLazyExecutor(f.create);
  const hook: DisplayHook = () => {};
  ex.setDisplayHook(hook);
  assert.deepEqual(f.events, []);
  await ex.execute("1");
  assert.deepEqual(f.events, ["create", "hook", "execute 1"]);
});

test("createLazyExecutor.warm: a failing step is logged, never thrown, and a later request tries again", async () => {
  let fail = true;
  const log: string[] = [];
  const f = fake();
  const ex = createLazyExecutor(
    () => {
      if (fail) throw new Error("no TypeScript");
      return f.create();
    },
    { log: (t) => log.push(t) },
  );
  await ex.warm();
  assert.match(log.join("\n"), /warm-up failed \(cells are not affected\): no TypeScript/);
  assert.equal(ex.created, false);
  const failed = await ex.execute("1");
  assert.equal(failed.status, "error");
  assert.match(failed.status === "error" ? failed.evalue : "", /TypeScript services could not be started: no TypeScript/, "the cell reports it rather than hanging");
  fail = false;
  assert.deepEqual(await ex.execute("1"), { status: "ok", hasValue: false });
});
