// Jupyter Server for the JupyterLab notebook test: Debian's jupyter_server, run by a given Python
// (/usr/bin/python3, or a venv's python, whose sys.prefix is then the venv), on 127.0.0.1 and a
// free port, serving the test page from a static directory (ServerApp.extra_static_paths).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** A running server. */
export interface JupyterServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly process: ChildProcess;
  /** What the server printed so far. */
  log(): string;
  /** Stops it (it shuts down its kernels); resolves once it has exited. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/**
 * Starts `<python> -m jupyter_server` with `env`, config in `configDir` (written here: the static
 * directory), notebooks under `rootDir`; resolves once `/api` answers.
 *
 * @example
 * const s = await startJupyterServer({ python: "/tmp/venv/bin/python", env, configDir, rootDir, staticDir, token });
 */
export async function startJupyterServer(o: { python: string; env: NodeJS.ProcessEnv; configDir: string; rootDir: string; staticDir: string; token: string; debug?: boolean }): Promise<JupyterServer> {
  mkdirSync(o.configDir, { recursive: true });
  writeFileSync(join(o.configDir, "jupyter_server_config.json"), JSON.stringify({ ServerApp: { extra_static_paths: [o.staticDir] } }));
  const port = await freePort();
  const args = ["-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0", `--ServerApp.token=${o.token}`, `--ServerApp.root_dir=${o.rootDir}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : [])];
  const proc = spawn(o.python, args, { env: { ...o.env, JUPYTER_CONFIG_DIR: o.configDir }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const onData = (b: Buffer) => {
    log += b.toString();
    if (o.debug) process.stderr.write(b);
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once("exit", () => r()));
    proc.kill("SIGTERM");
    const late = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(late);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter_server exited (${proc.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter_server did not answer /api within 60 s:\n${log}`);
    }
    if (await fetch(`${url}/api`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, process: proc, log: () => log, stop };
}
