// The statistics of before/after experiments: verdicts on times, per-frame significance.
export { DEFAULT_SEED, randomInt, randomNormal, seededRandom, type Random } from "./random.js";
export { erfc, normalCdf, normalQuantile } from "./normal.js";
export { mean, median, quantileInPlace, quantileSorted, standardDeviation, summarize, type Outliers, type SampleSummary } from "./summary.js";
export { bootstrapRatioOfMedians, type BootstrapOptions } from "./bootstrap.js";
export { mannWhitney, uDistribution, type MannWhitneyOptions, type MannWhitneyResult } from "./mann-whitney.js";
export { benjaminiHochberg } from "./multiple-testing.js";
export { DEFAULT_NOISE } from "./noise.js";
export { RUNS_NEEDED_MAX, runsNeeded, type RunsNeededOptions } from "./runs-needed.js";
export { verdict, VERDICT_MIME, type Verdict, type VerdictData, type VerdictKind, type VerdictOptions } from "./verdict.js";
export { frameStats, frameStatsTable, significantFrames, type FrameStat, type FrameStatsOptions, type FrameStatus } from "./frame-stats.js";
export { allocationDelta, allocationDeltaTable, spacedDigits, type AllocationDelta } from "./allocation-delta.js";
export { welchTest, studentTwoSided, incompleteBeta, type WelchResult } from "./welch.js";
