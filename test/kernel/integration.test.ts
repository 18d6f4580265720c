// Runs jupyter_kernel_test (and our protocol checks in kernel_conformance.py) against the kernel,
// started by jupyter_client from a kernelspec written into a temporary JUPYTER_PATH.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelSpec } from "../../src/cli/kernel-install.js";
import { ensureBuilt } from "../package/fixtures/consumer.js";

const here = dirname(fileURLToPath(import.meta.url));
const PY = "/usr/bin/python3";

function missingPython(): string | undefined {
  const r = spawnSync(PY, ["-c", "import jupyter_client, jupyter_kernel_test"], { encoding: "utf8" });
  if (r.error) return `${PY} not found`;
  if (r.status !== 0) return `${PY} lacks jupyter_client/jupyter_kernel_test (apt install jupyter-client python3-jupyter-kernel-test)`;
  return undefined;
}

const missing = missingPython();
if (missing && process.env.CI) throw new Error(`kernel integration tests need Python packages: ${missing}`);
if (missing) console.log(`# skipping kernel integration tests: ${missing}`);

const jupyterPath = mkdtempSync(join(tmpdir(), "flamebook-kernelspec-"));
let child: ReturnType<typeof spawn> | undefined;
after(() => {
  // The Python side shuts its kernel down; this kills the runner (and with it, the process group) if a test hung.
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  rmSync(jupyterPath, { recursive: true, force: true });
});

test("kernel: jupyter_kernel_test conformance and protocol checks", { skip: missing, timeout: 240_000 }, async () => {
  await ensureBuilt(); // the kernel users get: the compiled dist/kernel/main.js, run by plain node
  const specDir = join(jupyterPath, "kernels", "flamebook-test");
  mkdirSync(specDir, { recursive: true });
  writeFileSync(
    join(specDir, "kernel.json"),
    JSON.stringify({
      argv: kernelSpec().argv,
      display_name: "flamebook (test)",
      language: "typescript",
      interrupt_mode: "message",
    }),
  );
  const env = { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONUNBUFFERED: "1" };
  child = spawn(PY, ["-Xfrozen_modules=off", "-m", "unittest", "-v", "kernel_conformance"], { cwd: here, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((res) => child!.on("close", res));
  const summary = out.split("\n").filter((l) => / \.\.\. |^Ran |^OK|^FAILED|Error|assert/i.test(l)).join("\n");
  assert.equal(code, 0, `kernel_conformance.py failed:\n${out}`);
  assert.match(out, /\nOK/, summary);
  const ran = Number(/Ran (\d+) tests?/.exec(out)?.[1] ?? 0);
  assert.ok(ran >= 26, `expected at least 26 Python tests to run, got ${ran}:\n${summary}`);
  for (const line of out.match(/^perf record interrupted: .*$/gm) ?? []) console.log(line);
  console.log(`kernel_conformance.py: ran ${ran} tests (${(out.match(/ \.\.\. ok$/gm) ?? []).length} ok, ${(out.match(/ \.\.\. skipped/g) ?? []).length} skipped)`);
});
