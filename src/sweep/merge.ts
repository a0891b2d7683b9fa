/**
 * Joining shard outputs into one result file, and summarising results over seeds.
 *
 * `mergeShards` keeps each run once, in run order (its `index`); the same run found twice (a shard resumed into
 * another's file, a job run twice) must agree on everything but `ms`, else the shards come from different sweeps or
 * the cell is not deterministic, and the merge fails naming both places.
 *
 * `summarize` groups runs into cells — by default all parameters (so only the seed varies inside a cell), or the
 * parameters named in `by` — and gives, for each numeric metric, n, the mean, the sample standard deviation and the
 * two-sided `level` Student-t interval mean ± t_{(1+level)/2, n−1} · sd/√n (`student-t.ts`).
 */
import { writeFileAtomic } from '../io/atomic.js';
import { InputError } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import { canonicalJson, type JsonObject, type JsonValue } from './json.js';
import { formatSweepLine, readSweepFile, type SweepLine } from './lines.js';
import { studentTQuantile } from './student-t.js';

export interface MergeReport {
  /** Runs in the merged file. */
  runs: number;
  /** Lines dropped because the same run was already present (with the same result). */
  duplicates: number;
  /** Inputs that ended in a torn line (a shard killed mid-write and not resumed); the torn line is ignored. */
  tornInputs: string[];
  /** Torn lines ignored (at most one per input: a torn line is always the last). */
  tornLines: number;
  /** Each torn input and the bytes of its torn line. */
  torn: { file: string; bytes: number }[];
}

/** Reads every complete line of a result file (a torn tail is ignored), e.g. to summarise it. */
export function readSweepLines(file: string): SweepLine[] {
  return readSweepFile(file).lines;
}

/**
 * Merges shard outputs into `out`, each run exactly once, sorted by run index. A missing input is an `InputError`
 * (a mistyped shard name must not merge as an empty shard); a torn last line is ignored and reported in `torn`. `out`
 * is written atomically (`writeFileAtomic`), so it is never left half-written (the CLI refuses an `out` that is one
 * of the inputs).
 */
export function mergeShards(inputs: readonly string[], out: string): MergeReport {
  if (inputs.length === 0) throw new InputError(sweepMessages.noInputs());
  const byId = new Map<string, { line: SweepLine; where: string }>();
  const byIndex = new Map<number, { runId: string; where: string }>();
  const torn: { file: string; bytes: number }[] = [];
  let duplicates = 0;
  for (const file of inputs) {
    const contents = readSweepFile(file, { mustExist: true });
    if (contents.tornBytes > 0) torn.push({ file, bytes: contents.tornBytes });
    contents.lines.forEach((line, i) => {
      const where = `${file}:${contents.lineNumbers[i] as number}`;
      const seen = byId.get(line.runId);
      if (seen) {
        const field = differingField(seen.line, line);
        if (field) throw new InputError(sweepMessages.mergeConflict(line.runId, seen.where, where, field));
        duplicates++;
        return;
      }
      const other = byIndex.get(line.index);
      if (other) throw new InputError(sweepMessages.indexConflict(line.index, other.where, where));
      byId.set(line.runId, { line, where });
      byIndex.set(line.index, { runId: line.runId, where });
    });
  }
  const lines = [...byId.values()].map((entry) => entry.line).sort((a, b) => a.index - b.index);
  writeFileAtomic(out, lines.map(formatSweepLine)); // full write, fsync, rename; no temporary file survives a failure
  return { runs: lines.length, duplicates, tornInputs: torn.map((t) => t.file), tornLines: torn.length, torn };
}

/** The first field (other than the timing `ms`) in which two lines of the same run differ, if any. */
function differingField(a: SweepLine, b: SweepLine): string | undefined {
  if (a.index !== b.index) return 'index';
  if (a.seed !== b.seed) return 'seed';
  if (canonicalJson(a.params) !== canonicalJson(b.params)) return 'params';
  if (canonicalJson(a.result) !== canonicalJson(b.result)) return 'result';
  return undefined;
}

export interface SummaryOptions {
  /** Parameters that define a cell. @default every parameter of the runs (the seed is never one) */
  by?: readonly string[];
  /** Numeric results to summarise. @default every result that is a number in some run, in order of appearance */
  metrics?: readonly string[];
  /** Two-sided confidence level of the interval. @default 0.95 */
  level?: number;
}

export interface MetricSummary {
  /** Runs of the cell where the metric is a number (a string, e.g. "diverged", is not counted). */
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1); NaN when n < 2. */
  sd: number;
  /** Half-width t · sd/√n of the interval; NaN when n < 2. */
  halfWidth: number;
  low: number;
  high: number;
}

export interface SummaryRow {
  /** The values of the `by` parameters (absent ones omitted), keys sorted. */
  params: JsonObject;
  /** Runs in the cell. */
  n: number;
  metrics: Record<string, MetricSummary>;
}

/** Summary per cell, cells in order of their first run (by index). See the file comment. */
export function summarize(lines: readonly SweepLine[], options: SummaryOptions = {}): SummaryRow[] {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InputError(sweepMessages.badLevel(level));
  const ordered = [...lines].sort((a, b) => a.index - b.index);
  const allParams = [...new Set(ordered.flatMap((line) => Object.keys(line.params)))].sort();
  const numeric = [
    ...new Set(ordered.flatMap((line) => Object.keys(line.result).filter((k) => typeof line.result[k] === 'number'))),
  ];
  const by = options.by ? [...options.by].sort() : allParams;
  for (const name of by) if (!allParams.includes(name)) throw new InputError(sweepMessages.unknownSummaryParam(name, allParams));
  const metrics = options.metrics ?? numeric;
  for (const name of metrics) if (!numeric.includes(name)) throw new InputError(sweepMessages.unknownMetric(name, numeric));

  const cells = new Map<string, { params: JsonObject; lines: SweepLine[] }>();
  for (const line of ordered) {
    const params: JsonObject = {};
    for (const name of by) if (Object.hasOwn(line.params, name)) params[name] = line.params[name] as JsonValue;
    const key = canonicalJson(params);
    const cell = cells.get(key) ?? { params, lines: [] };
    cell.lines.push(line);
    cells.set(key, cell);
  }
  return [...cells.values()].map(({ params, lines: members }) => ({
    params,
    n: members.length,
    metrics: Object.fromEntries(
      metrics.map((name) => [
        name,
        meanInterval(
          members.map((line) => line.result[name]).filter((v): v is number => typeof v === 'number'),
          level,
        ),
      ]),
    ),
  }));
}

/**
 * Mean, sample sd (Welford's one-pass update, stable for values with a large common offset) and the Student-t
 * interval at `level`.
 */
export function meanInterval(values: readonly number[], level = 0.95): MetricSummary {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  values.forEach((x, i) => {
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  });
  if (n === 0) return { n, mean: NaN, sd: NaN, halfWidth: NaN, low: NaN, high: NaN };
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  const halfWidth = n > 1 ? studentTQuantile((1 + level) / 2, n - 1) * (sd / Math.sqrt(n)) : NaN;
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}
