export { experiment, type ExperimentOptions, type Measure } from "./experiment.js";
export { Experiment, type ExperimentData, type InstructionDelta, type TimeMetric } from "./result.js";
export { ExperimentProgress, type ProgressEvent } from "./progress.js";
export { runSchedule, type RunOrder } from "./schedule.js";
export { resolveVariant, fileSha256, type ResolvedVariant, type VariantBase } from "./variants.js";
export { ArtifactStore, ArtifactError, defaultStoreRoot, type ArtifactKind, type ArtifactRef, type PutMeta } from "./store.js";
export {
  readRecord,
  writeRecord,
  parseRecord,
  recordPath,
  listRecords,
  ExperimentRecordError,
  RECORD_SCHEMA,
  RECORD_VERSION,
  type ExperimentRecord,
  type ExperimentSpec,
  type ExperimentStatus,
  type RunRecord,
  type VariantRecord,
  type VariantSpec,
  type Provenance,
  type RecordListing,
} from "./record.js";
export { collectProvenance, currentLoad, provenanceWarnings, gitProvenance, type GitProvenance } from "./provenance.js";
export { sourceHash, sourceInputs, type SourceInput } from "./source-hash.js";
