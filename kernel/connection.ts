/**
 * The Jupyter connection file: where the kernel's five sockets listen and how messages are signed.
 * Spec: https://jupyter-client.readthedocs.io/en/stable/kernels.html#connection-files
 */
import { readFileSync } from "node:fs";

/** The fields of a connection file the kernel uses. */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  iopub_port: number;
  stdin_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

const PORTS = ["shell_port", "control_port", "iopub_port", "stdin_port", "hb_port"] as const;

/**
 * Validates a parsed connection object; `source` names it in errors.
 *
 * @example parseConnection(JSON.parse(text), "/tmp/kernel-1.json")
 */
export function parseConnection(raw: unknown, source: string): ConnectionInfo {
  const fail = (why: string): never => {
    throw new Error(`flamebook kernel: connection file ${source}: ${why}`);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail("expected a JSON object");
  const o = raw as Record<string, unknown>;
  const transport = o.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") fail(`transport must be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  if (typeof o.ip !== "string" || o.ip === "") fail(`"ip" must be a non-empty string`);
  for (const p of PORTS) {
    const v = o[p];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 65535) fail(`"${p}" must be a port number, got ${JSON.stringify(v)}`);
  }
  const key = o.key ?? "";
  if (typeof key !== "string") fail(`"key" must be a string`);
  const scheme = o.signature_scheme ?? "hmac-sha256";
  if (scheme !== "hmac-sha256") fail(`only signature_scheme "hmac-sha256" is supported, got ${JSON.stringify(scheme)}`);
  return {
    transport: transport as "tcp" | "ipc",
    ip: o.ip as string,
    shell_port: o.shell_port as number,
    control_port: o.control_port as number,
    iopub_port: o.iopub_port as number,
    stdin_port: o.stdin_port as number,
    hb_port: o.hb_port as number,
    key: key as string,
    signature_scheme: scheme as string,
    kernel_name: typeof o.kernel_name === "string" ? o.kernel_name : undefined,
  };
}

/**
 * Reads and validates a connection file; errors name the file and the field.
 *
 * @example const info = readConnectionFile(process.argv[2]);
 */
export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`flamebook kernel: cannot read connection file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`flamebook kernel: connection file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConnection(raw, path);
}

/**
 * The ZeroMQ endpoint of one port.
 *
 * @example endpoint(info, info.shell_port) // "tcp://127.0.0.1:53794"
 */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}
