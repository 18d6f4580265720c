// What the artifact store keeps and how an experiment record names it: the kinds, the ref schema,
// and which kinds are gzipped.
import { z } from "zod";

/** What an artifact holds. Text kinds are gzipped by default (see {@link defaultCompress}). */
export const artifactKindSchema = z.enum(["perf.data", "perf-script", "callgrind", "cachegrind", "dhat", "build-info", "timings", "stderr"]);
/** What an artifact holds. */
export type ArtifactKind = z.infer<typeof artifactKindSchema>;

/** A stored artifact, as an experiment record names it. */
export const artifactRefSchema = z.object({
  /** sha256 (hex) of the uncompressed content. */
  hash: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in lowercase hex"),
  kind: artifactKindSchema,
  /** Uncompressed size in bytes. */
  bytes: z.number().int().nonnegative(),
  stored: z.enum(["raw", "gzip"]),
  /** Path relative to the store root, e.g. "artifacts/ab/cdef….gz". */
  file: z.string().min(1),
  /** The name the caller gave it (e.g. "perf.data"), for display only. */
  name: z.string().optional(),
});
/** A stored artifact, as an experiment record names it. */
export type ArtifactRef = z.infer<typeof artifactRefSchema>;

/** How to store an artifact. */
export interface PutMeta {
  kind: ArtifactKind;
  /** Gzip the stored file. Default: {@link defaultCompress} of the kind. */
  compress?: boolean;
  /** A display name kept in the ref (e.g. "perf.data"). Default: none. */
  name?: string;
}

/**
 * Whether an artifact kind is gzipped unless the caller says otherwise: the text kinds
 * (perf-script, callgrind, cachegrind, DHAT's JSON) are; perf.data (large, binary, read by perf in place) and
 * the small JSON/text kinds are not.
 *
 * @example
 * defaultCompress("perf-script"); // true
 * defaultCompress("perf.data");   // false
 */
export function defaultCompress(kind: ArtifactKind): boolean {
  return kind === "perf-script" || kind === "callgrind" || kind === "cachegrind" || kind === "dhat";
}

/**
 * The ref of content with this sha256 and size: its file is `artifacts/<2 hex>/<62 hex>[.gz]`.
 *
 * @example
 * artifactRef("9f…", 9, { kind: "perf-script" }).file; // "artifacts/9f/….gz"
 */
export function artifactRef(hash: string, bytes: number, meta: PutMeta): ArtifactRef {
  const stored = (meta.compress ?? defaultCompress(meta.kind)) ? "gzip" : "raw";
  const file = `artifacts/${hash.slice(0, 2)}/${hash.slice(2)}${stored === "gzip" ? ".gz" : ""}`;
  return { hash, kind: meta.kind, bytes, stored, file, ...(meta.name !== undefined ? { name: meta.name } : {}) };
}
