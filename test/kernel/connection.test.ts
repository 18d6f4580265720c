import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endpoint, parseConnection, readConnectionFile } from "../../kernel/connection.js";

const good = { transport: "tcp", ip: "127.0.0.1", shell_port: 1, control_port: 2, iopub_port: 3, stdin_port: 4, hb_port: 5, key: "k", signature_scheme: "hmac-sha256" };

test("readConnectionFile: reads a valid file", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-conn-"));
  try {
    const f = join(dir, "kernel.json");
    writeFileSync(f, JSON.stringify(good));
    const info = readConnectionFile(f);
    assert.equal(info.key, "k");
    assert.equal(endpoint(info, info.shell_port), "tcp://127.0.0.1:1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readConnectionFile: a missing file names the path", () => {
  assert.throws(() => readConnectionFile("/nonexistent/kernel-x.json"), /cannot read connection file \/nonexistent\/kernel-x\.json/);
});

test("readConnectionFile: invalid JSON names the path", () => {
  const dir = mkdtempSync(join(tmpdir(), "fb-conn-"));
  try {
    const f = join(dir, "bad.json");
    writeFileSync(f, "{");
    assert.throws(() => readConnectionFile(f), new RegExp(`${f.replace(/[/.]/g, "\\$&")} is not valid JSON`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parseConnection: a bad port or scheme names the field", () => {
  assert.throws(() => parseConnection({ ...good, hb_port: "x" }, "c.json"), /c\.json: "hb_port" must be a port number/);
  assert.throws(() => parseConnection({ ...good, signature_scheme: "hmac-md5" }, "c.json"), /signature_scheme/);
});

test("parseConnection: empty key and ipc transport are accepted", () => {
  const info = parseConnection({ ...good, key: "", transport: "ipc", ip: "/tmp/k" }, "c.json");
  assert.equal(info.key, "");
  assert.equal(endpoint(info, 7), "ipc:///tmp/k-7");
});
