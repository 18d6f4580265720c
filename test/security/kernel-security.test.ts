// Security of the kernel's wire: started by jupyter_client (test/security/kernel_security.py) with
// a connection file on 127.0.0.1, every TCP port the kernel process tree listens on is bound to
// 127.0.0.1 (none to 0.0.0.0 or ::), and exactly the connection file's five ports; execute
// requests signed with a wrong key, unsigned, or validly signed and then replayed with changed
// content never run (their code would create a file; the same code well signed does), and are
// never answered; a badly signed shutdown_request on the control channel does not stop the
// kernel. (Unit tests of the HMAC check are test/kernel/wire.test.ts; the conformance suite sends
// one badly signed request too, test/kernel/kernel_conformance.py.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { PY, jupyterUnavailable, skipUnless } from "../faults/env.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const tmp = mkdtempSync(join(tmpdir(), "fbsec-kernel-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  ip: string;
  ports: number[];
  listening: { family: string; addr: string; port: number }[];
  probe_status: string;
  probe: string;
  forged_answered: string[];
  alive: boolean;
  files: Record<string, boolean>;
}

test("kernel: ports bind to the connection file's IP only; badly signed messages never run", { timeout: 120_000 }, async (t) => {
  if (skipUnless(t, jupyterUnavailable())) return;
  const spec = join(tmp, "jupyter", "kernels", "flamebook-security");
  mkdirSync(spec, { recursive: true });
  const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, "--import", tsx, join(root, "kernel", "main.ts"), "{connection_file}"], display_name: "flamebook (security test)", language: "typescript" }));
  const side = join(tmp, "side");
  mkdirSync(side);
  const env = { ...process.env, JUPYTER_PATH: join(tmp, "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONUNBUFFERED: "1" };
  const child = spawn(PY, ["-Xfrozen_modules=off", join(here, "kernel_security.py"), side], { cwd: tmp, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((res) => child.on("close", res));
  assert.equal(code, 0, `${out}\n${err}`);
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as Result;
  assert.equal(r.ip, "127.0.0.1");
  assert.ok(r.listening.length > 0, "the kernel's listening sockets were found");
  assert.deepEqual(r.listening.filter((l) => l.addr !== "127.0.0.1"), [], "a port is bound beyond 127.0.0.1");
  assert.deepEqual([...new Set(r.listening.map((l) => l.port))].sort((a, b) => a - b), r.ports, "listens on exactly the connection file's ports");
  assert.equal(r.files["signed"], true, "the payload runs when signed with the key (the test is not vacuous)");
  for (const k of ["wrong_key", "unsigned", "modified", "control"]) assert.equal(r.files[k], false, `the ${k} request ran`);
  assert.deepEqual(r.forged_answered, [], "a forged request was answered");
  assert.equal(r.probe_status, "ok");
  assert.equal(r.probe, "'[false,false,false,false,true]'");
  assert.equal(r.alive, true, "a badly signed shutdown_request stopped the kernel");
  assert.match(err, /\[flamebook kernel\].*(signature|HMAC|signed)/i, "the kernel logs the rejection");
});
