/**
 * The sweep runner: sweep files (`spec.ts`) → cells (`registry.ts`) → parallel, resumable runs (`run.ts`, with
 * `pool.ts` and `worker.ts`) → result lines (`lines.ts`) → merged shards and summaries (`merge.ts`).
 * This is the sweep runner's public surface, for `src/index.ts` to re-export.
 */
export type { JsonObject, JsonValue } from './json.js';
export { canonicalJson } from './json.js';
export type { GridPoint, Shard, SweepRun, SweepSpec } from './spec.js';
export {
  MAX_RUNS,
  SWEEP_FORMAT,
  expandRuns,
  gridPoints,
  isShard,
  parseShard,
  parseSweepSpec,
  readSweepSpec,
  runIdOf,
  seedList,
  shardRuns,
} from './spec.js';
export type { CellDefinition, CellResult } from './registry.js';
export { cellKinds, getCell, loadCells, registerCell, resolveCell } from './registry.js';
export type { SweepFileContents, SweepLine } from './lines.js';
export { formatSweepLine, parseSweepLine, readSweepFile, recoverSweepFile } from './lines.js';
export type { ProgressDisplay } from './progress.js';
export { PROGRESS_DISPLAYS, isProgressDisplay } from './progress.js';
export type { RunSweepOptions, SweepProgress, SweepReport } from './run.js';
export { runSweep } from './run.js';
export type { MergeReport, MetricSummary, SummaryOptions, SummaryRow } from './merge.js';
export { meanInterval, mergeShards, readSweepLines, summarize } from './merge.js';
export { studentTCentral, studentTQuantile } from './student-t.js';
