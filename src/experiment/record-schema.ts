// The experiment record's schema (zod) and types: what a record file holds, version 1.
import { z } from "zod";
import { artifactRefSchema, type ArtifactRef } from "./artifact-ref.js";

export { artifactRefSchema, type ArtifactRef };

/** The `schema` field of every experiment record. */
export const RECORD_SCHEMA = "flamebook.experiment";
/** The record version this flamebook writes and reads. */
export const RECORD_VERSION = 1;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "an ISO date");
const stringMap = z.record(z.string(), z.string());
const loadavg = z.tuple([z.number(), z.number(), z.number()]);

/** One side of a comparison: which commit, features, args and environment. */
export const variantSpecSchema = z.object({
  git: z.string().optional(),
  features: z.array(z.string()).optional(),
  noDefaultFeatures: z.boolean().optional(),
  args: z.array(z.string()).optional(),
  env: stringMap.optional(),
  exe: z.string().optional(),
  label: z.string().optional(),
});
/** One side of a comparison: which commit, features, args and environment. */
export type VariantSpec = z.infer<typeof variantSpecSchema>;

/** The machine, the tools and the moment an experiment ran on (see `collectProvenance`). */
export const provenanceSchema = z.object({
  date: isoDate,
  flamebookVersion: z.string(),
  node: z.string(),
  hostname: z.string(),
  kernel: z.string(),
  os: z.string(),
  cpuModel: z.string(),
  nproc: z.number().int().positive(),
  governors: z.array(z.string()),
  perfEventParanoid: z.number().nullable(),
  loadavg,
  /** The load average when the experiment finished (filled in by the orchestrator). */
  loadEnd: loadavg.optional(),
  memTotalMb: z.number().nonnegative(),
  rustc: z.string().nullable(),
  cargo: z.string().nullable(),
  perf: z.string().nullable(),
  valgrind: z.string().nullable(),
});
/** The machine, the tools and the moment an experiment ran on. */
export type Provenance = z.infer<typeof provenanceSchema>;

/**
 * What an experiment was asked to do, as its record stores it: every field present. The types and
 * bounds of the experiment options are these; their defaults are in `experimentOptionsSchema`.
 */
export const experimentSpecSchema = z.object({
  crate: z.string().optional(),
  bin: z.string().optional(),
  exe: z.string().optional(),
  args: z.array(z.string()),
  env: stringMap,
  variants: z.record(z.string(), variantSpecSchema),
  runs: z.number().int().nonnegative(),
  warmup: z.number().int().nonnegative(),
  order: z.enum(["abba", "random", "sequential"]),
  measure: z.array(z.enum(["wall", "perf", "callgrind", "dhat"])),
  profiledRuns: z.number().int().nonnegative(),
  frequency: z.int().positive(),
  seed: z.int(),
  noise: z.number().min(0).lt(1),
});
/** What an experiment was asked to do. */
export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;

/** How one variant was built and is run. */
export const variantRecordSchema = z.object({
  spec: variantSpecSchema,
  git: z.object({ sha: z.string(), dirty: z.boolean(), ref: z.string().optional(), worktree: z.string().optional(), changes: z.array(z.string()).optional() }).optional(),
  build: z
    .object({
      profile: z.string(),
      features: z.array(z.string()),
      exe: z.string(),
      exeSha256: z.string(),
      command: z.array(z.string()),
      warnings: z.array(z.string()),
      info: artifactRefSchema.optional(),
    })
    .optional(),
  command: z.object({ exe: z.string(), args: z.array(z.string()), env: stringMap }),
});
/** How one variant was built and is run. */
export type VariantRecord = z.infer<typeof variantRecordSchema>;

/** One execution of one variant. */
export const runRecordSchema = z.object({
  index: z.number().int().nonnegative(),
  variant: z.string(),
  phase: z.enum(["warmup", "measured"]),
  kind: z.enum(["timed", "perf", "callgrind", "dhat"]),
  startedAt: isoDate,
  wallMs: z.number(),
  userMs: z.number().optional(),
  sysMs: z.number().optional(),
  exitCode: z.number().int(),
  command: z.array(z.string()),
  counters: z.record(z.string(), z.number().nullable()).optional(),
  samples: z.number().optional(),
  lost: z.number().optional(),
  ir: z.number().optional(),
  /** DHAT runs: heap blocks allocated (exact). */
  blocks: z.number().optional(),
  /** DHAT runs: bytes allocated (exact). */
  bytes: z.number().optional(),
  artifacts: z.record(z.string(), artifactRefSchema).optional(),
  warnings: z.array(z.string()).optional(),
});
/** One execution of one variant. */
export type RunRecord = z.infer<typeof runRecordSchema>;

/** The state of an experiment record. "running" records are written while the experiment runs. */
export const experimentStatusSchema = z.enum(["running", "complete", "interrupted", "failed"]);
/** The state of an experiment record. */
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;

/** An experiment record (schema version 1): everything needed to trust, repeat or re-analyse it. */
export const experimentRecordSchema = z.object({
  schema: z.literal(RECORD_SCHEMA),
  version: z.literal(RECORD_VERSION),
  id: z.string().min(1),
  status: experimentStatusSchema,
  createdAt: isoDate,
  finishedAt: isoDate.optional(),
  flamebookVersion: z.string(),
  spec: experimentSpecSchema,
  variants: z.record(z.string(), variantRecordSchema),
  provenance: provenanceSchema,
  runs: z.array(runRecordSchema),
  warnings: z.array(z.string()),
  /** The orchestrator's verdict, stored as it gave it. */
  result: z.unknown().optional(),
});
/** An experiment record (schema version 1). */
export type ExperimentRecord = z.infer<typeof experimentRecordSchema>;

