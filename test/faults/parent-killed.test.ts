// Fault: the Node process that started commands through src/exec is SIGKILLed (no exit handler
// runs: what Jupyter's immediate kernel restart does). The commands run in process groups of
// their own, so only the reaper's watchdog can stop them: they must not outlive their parent.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { goneWithin, liveWith, marker, waitFor } from "./env.js";

const runTs = fileURLToPath(new URL("../../src/exec/index.ts", import.meta.url));

test("run: commands of a SIGKILLed parent are killed by the reaper's watchdog", { timeout: 30_000 }, async () => {
  const tag = marker("parent");
  // Two groups: a shell loop, and a shell whose child shell loops too.
  const loop = `while :; do sleep 1; done # ${tag}`;
  const script = `
    import { run } from ${JSON.stringify(runTs)};
    run("sh", ["-c", ${JSON.stringify(loop)}]).catch(() => {});
    run("sh", ["-c", ${JSON.stringify(`sh -c '${loop}'; : outer`)}]).catch(() => {});
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: "ignore" });
  try {
    await waitFor("both commands", 15_000, () => liveWith(tag).filter((p) => p.args.startsWith("sh -c while")).length === 2);
    parent.kill("SIGKILL");
    await new Promise((r) => parent.once("exit", r));
    assert.ok(await goneWithin(tag, 3000), `outlived their parent: ${JSON.stringify(liveWith(tag))}`);
  } finally {
    parent.kill("SIGKILL");
    for (const p of liveWith(tag)) process.kill(p.pid, "SIGKILL");
  }
});
