/**
 * The ZeroMQ side of the kernel: shell/control/stdin ROUTERs, the iopub PUB socket and the
 * heartbeat REP echo, bound from a connection file. It knows frames and signatures, not message
 * semantics: decoded messages go to a handler, rejected ones to the log.
 */
import { Publisher, Reply, Router } from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { decode, encode, type Message } from "./wire.js";

/** A channel a message arrives on or is sent to. */
export type Channel = "shell" | "control" | "stdin" | "iopub";

/** What the transport delivers messages to. */
export interface TransportHandler {
  /** Called once per verified message, as it arrives (not awaited). */
  handle(channel: Exclude<Channel, "iopub">, msg: Message): Promise<void>;
  /** Where rejected messages and socket errors are reported (never iopub). */
  log(text: string): void;
}

/** A bound set of kernel sockets. */
export interface Transport {
  /** Signs and sends a message; sends on one socket are queued, never concurrent. */
  send(channel: Channel, msg: Message): Promise<void>;
  /** Stops the loops and closes every socket. */
  close(): void;
}

interface Sender {
  send(frames: Buffer[]): Promise<void>;
}

/** zeromq 6 throws EBUSY on a send while another is pending, so each socket gets a queue. */
function queued(sock: { send(frames: Buffer[]): Promise<void> }): Sender {
  let tail: Promise<void> = Promise.resolve();
  return {
    send(frames) {
      const next = tail.then(() => sock.send(frames));
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

/**
 * Binds the five sockets of `info` and starts receiving.
 *
 * @example
 * const t = await createTransport(readConnectionFile(file), handler);
 * await t.send("iopub", statusMsg);
 */
export async function createTransport(info: ConnectionInfo, handler: TransportHandler): Promise<Transport> {
  const shell = new Router();
  const control = new Router();
  const stdin = new Router();
  const iopub = new Publisher();
  const hb = new Reply();
  const all = [shell, control, stdin, iopub, hb];
  await Promise.all([
    shell.bind(endpoint(info, info.shell_port)),
    control.bind(endpoint(info, info.control_port)),
    stdin.bind(endpoint(info, info.stdin_port)),
    iopub.bind(endpoint(info, info.iopub_port)),
    hb.bind(endpoint(info, info.hb_port)),
  ]);
  const senders: Record<Channel, Sender> = {
    shell: queued(shell),
    control: queued(control),
    stdin: queued(stdin),
    iopub: queued(iopub),
  };
  let closed = false;

  async function loop(channel: Exclude<Channel, "iopub">, sock: Router): Promise<void> {
    try {
      for await (const frames of sock) {
        const d = decode(frames, info.key);
        if (!d.ok) {
          handler.log(`${channel}: dropped a message: ${d.error}`);
          continue;
        }
        // Not awaited: the handler queues shell requests itself, so it knows what arrived while a
        // cell ran (for stop_on_error) and control requests are never stuck behind a cell.
        handler.handle(channel, d.message).catch((e: unknown) => handler.log(`${channel}: handler failed: ${(e as Error)?.stack ?? String(e)}`));
      }
    } catch (e) {
      if (!closed) handler.log(`${channel}: receive loop stopped: ${(e as Error).message}`);
    }
  }

  async function heartbeat(): Promise<void> {
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch (e) {
      if (!closed) handler.log(`heartbeat stopped: ${(e as Error).message}`);
    }
  }

  void loop("shell", shell);
  void loop("control", control);
  void loop("stdin", stdin);
  void heartbeat();

  return {
    async send(channel, msg) {
      if (closed) return;
      await senders[channel].send(encode(msg, info.key));
    },
    close() {
      if (closed) return;
      closed = true;
      for (const s of all) {
        s.linger = 200;
        s.close();
      }
    },
  };
}
