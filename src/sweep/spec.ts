/**
 * A sweep file (`imrm-sweep/1`, JSON) and the run list it stands for.
 *
 * ```json
 * { "format": "imrm-sweep/1", "name": "margin-vs-lr", "cell": "one-token-probe",
 *   "fixed": { "steps": 200 }, "grid": { "lr": [0.01, 0.1], "dim": [4, 16] }, "seeds": { "from": 0, "count": 5 } }
 * ```
 *
 * Runs are the Cartesian product grid × seeds in a fixed order: seeds outermost (in the order given), then the grid
 * parameters in code-point order of their names, the last name varying fastest, each over its values in the order
 * given. So adding seeds at the end of the list (or raising `count`) keeps every earlier run at its position.
 * A run's `runId` is the first 16 hex digits (64 bits) of the SHA-256 of the canonical JSON of
 * `{cell, params, seed}`: it does not depend on the sweep's name, on the order of keys in the file, or on the
 * position of the run, so a result line can be matched to its run after any reformatting of the file.
 */
import { createHash } from 'node:crypto';
import { readJsonText } from '../io/files.js';
import { z } from 'zod';
import { InputError, message } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import { canonicalJson, jsonHazard, jsonPath, MAX_NESTING, sortedKeys, valueAt, type JsonObject, type JsonValue } from './json.js';

export const SWEEP_FORMAT = 'imrm-sweep/1';
/** Largest run list a sweep file may expand to (one result line per run; split bigger studies into files). */
export const MAX_RUNS = 1_000_000;

export interface SweepSpec {
  format: typeof SWEEP_FORMAT;
  /** Free text shown in progress output. */
  name: string;
  /** A cell kind registered by the cells module (see `registry.ts`). */
  cell: string;
  /** Parameters shared by every run. @default {} */
  fixed: JsonObject;
  /** Parameters swept: each name maps to its values (at least one, no duplicates). @default {} */
  grid: Record<string, JsonValue[]>;
  /** Seeds, as a list or as the range `from, from + 1, …, from + count − 1`. */
  seeds: number[] | { from: number; count: number };
}

/** One run: a point of the grid (with the fixed parameters) and a seed. */
export interface SweepRun {
  /** Position in the full (unsharded) run list. */
  index: number;
  runId: string;
  /** Fixed and grid parameters, keys in code-point order. */
  params: JsonObject;
  seed: number;
}

/** A point of the grid: its parameters and, for each grid parameter, the index of its value in `grid[name]`. */
export interface GridPoint {
  params: JsonObject;
  at: Record<string, number>;
}

/** Shard `index` of `count`: the runs whose position mod `count` is `index`. */
export interface Shard {
  index: number;
  count: number;
}

const SeedRange = z.strictObject({ from: z.int(), count: z.int().min(1) });
const SweepFile = z.strictObject({
  format: z.literal(SWEEP_FORMAT),
  name: z.string().min(1),
  cell: z.string().min(1),
  fixed: z.record(z.string(), z.json()).optional(),
  grid: z.record(z.string(), z.array(z.json()).min(1)).optional(),
  seeds: z.union([z.array(z.int()).min(1), SeedRange]),
});

/** Reads and validates a sweep file; every error names `file` and the JSON path of the entry. */
export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = readJsonText(file); // a regular file of bounded size (never /dev/zero or a FIFO), strict UTF-8
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(sweepMessages.cannotRead(file, (error as Error).message));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(sweepMessages.notJson(file, (error as Error).message));
  }
  return parseSweepSpec(data, file);
}

/**
 * Validates parsed JSON as a sweep file. `file` is used only in messages. Throws one `InputError` listing every
 * problem found, one per line. Nesting deeper than `MAX_NESTING` and keys named `__proto__` are rejected first.
 */
export function parseSweepSpec(data: unknown, file: string): SweepSpec {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(sweepMessages.wrongType(file, '', 'an object', data));
  }
  const hazard = jsonHazard(data);
  if (hazard?.kind === 'deep') throw new InputError(sweepMessages.tooDeep(file, jsonPath(hazard.path.slice(0, 2)), MAX_NESTING));
  if (hazard?.kind === 'proto') throw new InputError(message.reservedKey(file, jsonPath(hazard.path)));
  // A file of another format would drown in unknown-field errors: check the format first, alone.
  const format = (data as Record<string, unknown>)['format'];
  if (format === undefined) throw new InputError(sweepMessages.missingField(file, 'format'));
  if (format !== SWEEP_FORMAT) throw new InputError(sweepMessages.wrongFormat(file, SWEEP_FORMAT, format));

  const parsed = SweepFile.safeParse(data);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.flatMap((issue) => describeIssue(issue, file, data, [])).join('\n'));
  }
  const spec: SweepSpec = {
    format: SWEEP_FORMAT,
    name: parsed.data.name,
    cell: parsed.data.cell,
    fixed: (parsed.data.fixed ?? {}) as JsonObject,
    grid: (parsed.data.grid ?? {}) as Record<string, JsonValue[]>,
    seeds: parsed.data.seeds,
  };
  const problems = checkSemantics(spec, file);
  if (problems.length) throw new InputError(problems.join('\n'));
  return spec;
}

/** What zod found, in the catalogue's words. `prefix` is the path of the schema the issue is relative to. */
function describeIssue(issue: z.core.$ZodIssue, file: string, data: unknown, prefix: PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  const entry = jsonPath(path);
  const got = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => sweepMessages.unknownField(file, jsonPath([...path, key])));
    case 'invalid_type':
      return [
        got === undefined
          ? sweepMessages.missingField(file, entry)
          : sweepMessages.wrongType(file, entry, typeLabel(issue.expected), got),
      ];
    case 'too_small':
      if (issue.origin === 'array') return [sweepMessages.emptyList(file, entry)];
      if (issue.origin === 'string') return [sweepMessages.emptyText(file, entry)];
      return [sweepMessages.tooSmall(file, entry, Number(issue.minimum), got)];
    case 'invalid_union': {
      // Each branch failed; a branch that failed only because the value has another type at the root is no
      // explanation. If exactly one branch got further, its issues are the useful ones (e.g. `seeds.count`).
      const atRoot = (branch: z.core.$ZodIssue[]): boolean =>
        branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);
      const deeper = issue.errors.filter((branch) => !atRoot(branch));
      if (deeper.length === 1) return (deeper[0] as z.core.$ZodIssue[]).flatMap((i) => describeIssue(i, file, data, path));
      const expected = issue.errors
        .filter(atRoot)
        .map((branch) => typeLabel((branch[0] as z.core.$ZodIssueInvalidType).expected))
        .join(' or ');
      return [sweepMessages.wrongType(file, entry, expected || 'another value', got)];
    }
    default:
      return [sweepMessages.invalidEntry(file, entry, issue.message)];
  }
}

const TYPE_LABELS: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  null: 'null',
};
const typeLabel = (expected: string): string => TYPE_LABELS[expected] ?? expected;

/** Checks the schema cannot express: names, overlaps, duplicates, seed range, size. */
function checkSemantics(spec: SweepSpec, file: string): string[] {
  const problems: string[] = [];
  for (const [section, names] of [
    ['fixed', Object.keys(spec.fixed)],
    ['grid', Object.keys(spec.grid)],
  ] as const) {
    for (const name of names) {
      if (name === '') problems.push(sweepMessages.emptyParamName(file, jsonPath([section, name])));
      if (name === 'seed') problems.push(sweepMessages.reservedParam(file, jsonPath([section, name])));
    }
  }
  for (const [name, values] of Object.entries(spec.grid)) {
    if (Object.hasOwn(spec.fixed, name)) problems.push(sweepMessages.fixedAndGrid(file, jsonPath(['grid', name]), name));
    const first = new Map<string, number>();
    values.forEach((value, i) => {
      const key = canonicalJson(value);
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else problems.push(sweepMessages.duplicateGridValue(file, jsonPath(['grid', name, i]), jsonPath(['grid', name, j])));
    });
  }
  if (Array.isArray(spec.seeds)) {
    const first = new Map<number, number>();
    spec.seeds.forEach((seed, i) => {
      const j = first.get(seed);
      if (j === undefined) first.set(seed, i);
      else problems.push(sweepMessages.duplicateSeed(file, jsonPath(['seeds', i]), jsonPath(['seeds', j])));
    });
  } else if (spec.seeds.from > Number.MAX_SAFE_INTEGER - (spec.seeds.count - 1)) {
    // Compared this way round because from + count − 1 itself may round back into the safe range.
    problems.push(sweepMessages.seedOutOfRange(file, 'seeds.count'));
  }
  if (problems.length === 0) {
    const runs = Object.values(spec.grid).reduce((n, values) => n * values.length, seedCount(spec));
    if (runs > MAX_RUNS) problems.push(sweepMessages.tooManyRuns(file, runs, MAX_RUNS));
  }
  return problems;
}

const seedCount = (spec: SweepSpec): number => (Array.isArray(spec.seeds) ? spec.seeds.length : spec.seeds.count);

/** The seeds of a sweep in run order. */
export function seedList(spec: SweepSpec): number[] {
  const seeds = spec.seeds;
  return Array.isArray(seeds) ? [...seeds] : Array.from({ length: seeds.count }, (_, i) => seeds.from + i);
}

/** The grid points in run order: names in code-point order, the last varying fastest. */
export function gridPoints(spec: SweepSpec): GridPoint[] {
  const names = Object.keys(spec.grid).sort();
  const sizes = names.map((name) => (spec.grid[name] as JsonValue[]).length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const points: GridPoint[] = [];
  const digits = names.map(() => 0);
  for (let p = 0; p < total; p++) {
    const params: JsonObject = { ...spec.fixed };
    const at: Record<string, number> = {};
    names.forEach((name, d) => {
      params[name] = (spec.grid[name] as JsonValue[])[digits[d] as number] as JsonValue;
      at[name] = digits[d] as number;
    });
    points.push({ params: sortedKeys(params), at });
    // Odometer step: the last digit turns fastest.
    for (let d = names.length - 1; d >= 0; d--) {
      digits[d] = (digits[d] as number) + 1;
      if ((digits[d] as number) < (sizes[d] as number)) break;
      digits[d] = 0;
    }
  }
  return points;
}

/** The stable id of a run: 16 hex digits of SHA-256 over the canonical JSON of `{cell, params, seed}`. */
export function runIdOf(cell: string, params: JsonObject, seed: number): string {
  return createHash('sha256').update(canonicalJson({ cell, params, seed })).digest('hex').slice(0, 16);
}

/** The full run list, in run order (see the file comment). */
export function expandRuns(spec: SweepSpec): SweepRun[] {
  const points = gridPoints(spec);
  const runs: SweepRun[] = [];
  const seen = new Set<string>();
  for (const seed of seedList(spec)) {
    for (const point of points) {
      const runId = runIdOf(spec.cell, point.params, seed);
      // Distinct (params, seed) were checked; a clash here would be a 64-bit hash collision.
      if (seen.has(runId)) throw new Error(`run id collision on ${runId}`);
      seen.add(runId);
      runs.push({ index: runs.length, runId, params: point.params, seed });
    }
  }
  return runs;
}

/** Parses `i/n` as given to `--shard` (e.g. `$SLURM_ARRAY_TASK_ID/10`). */
export function parseShard(text: string, option = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || !isShard(shard)) throw new InputError(sweepMessages.badShard(option, text));
  return shard;
}

export function isShard(shard: Shard): boolean {
  return (
    Number.isSafeInteger(shard.index) && Number.isSafeInteger(shard.count) && shard.index >= 0 && shard.index < shard.count
  );
}

/** The runs of one shard: those whose position mod `count` is `index` (the same split on every machine). */
export function shardRuns(runs: readonly SweepRun[], shard: Shard): SweepRun[] {
  return runs.filter((run) => run.index % shard.count === shard.index);
}
