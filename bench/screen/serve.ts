// A static file server on 127.0.0.1 for the screen benchmark: pages and profiles held in memory,
// and directories from disk (speedscope's built app in node_modules). Real HTTP, so the pages
// load as they would from any server; nothing is fetched from elsewhere.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** A running server: its origin, the in-memory files (path → body) and a way to stop it. */
export interface StaticServer {
  readonly origin: string;
  readonly files: Map<string, string | Uint8Array>;
  close(): Promise<void>;
}

/**
 * Serves `files` (URL path → body, settable while running) and, under each `mounts` prefix, the
 * files of a directory. Bodies are sent with a Content-Length and no compression.
 *
 * @example
 * const srv = await serveStatic({ "/speedscope/": "node_modules/speedscope/dist/release" });
 * srv.files.set("/control.html", "<!doctype html>…"); // then open `${srv.origin}/control.html`
 */
export async function serveStatic(mounts: Record<string, string> = {}): Promise<StaticServer> {
  const files = new Map<string, string | Uint8Array>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let body: string | Uint8Array | undefined = files.get(path);
      if (body === undefined) {
        for (const [prefix, dir] of Object.entries(mounts)) {
          if (!path.startsWith(prefix)) continue;
          const rel = normalize(path.slice(prefix.length) || "index.html");
          if (rel.startsWith("..")) break;
          body = await readFile(join(dir, rel)).catch(() => undefined);
        }
      }
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "content-length": bytes.length, "cache-control": "no-store" });
      res.end(bytes);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("serveStatic: no port");
  return {
    origin: `http://127.0.0.1:${addr.port}`,
    files,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
