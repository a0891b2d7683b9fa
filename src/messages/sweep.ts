/**
 * Error texts of the sweep runner (`src/sweep/`), a chapter of the catalogue in `./index.ts`.
 * Input errors (thrown as `InputError`) name the file or option, the JSON path of the entry and what is wrong;
 * runtime failures (a cell throwing, a worker dying) name the cell kind, the run and its parameters.
 * The generic file errors are the catalogue's own, re-exported here so that the sweep code and its tests use one object.
 */
import { message } from './core.js';

/** `where` is a file path or an option name; `entry` a JSON path such as `grid.lr[2]` (empty for the whole file). */
const at = (where: string, entry: string): string => (entry ? `${where}: ${entry}` : where);
const list = (names: readonly string[]): string => (names.length ? names.map((n) => JSON.stringify(n)).join(', ') : '(none)');

export const sweepMessages = {
  // --- sweep files ----------------------------------------------------------------------------
  cannotRead: message.cannotRead,
  notJson: message.notJson,
  wrongFormat: message.wrongFormat,
  missingField: message.missingField,
  unknownField: message.unknownField,
  wrongType: message.wrongType,
  emptyList: (file: string, entry: string) => `${at(file, entry)}: needs at least one value`,
  emptyText: (file: string, entry: string) => `${at(file, entry)}: must not be empty`,
  tooSmall: (file: string, entry: string, minimum: number, got: unknown) =>
    `${at(file, entry)}: must be >= ${minimum}, got ${JSON.stringify(got)}`,
  invalidEntry: (file: string, entry: string, reason: string) => `${at(file, entry)}: ${reason}`,
  emptyParamName: (file: string, entry: string) => `${at(file, entry)}: a parameter name may not be empty`,
  reservedParam: (file: string, entry: string) =>
    `${at(file, entry)}: "seed" is reserved (seeds are given by the "seeds" field)`,
  fixedAndGrid: (file: string, entry: string, name: string) =>
    `${at(file, entry)}: parameter "${name}" is both fixed and on the grid (give it in one place)`,
  duplicateGridValue: (file: string, entry: string, first: string) =>
    `${at(file, entry)}: duplicate grid value (same as ${first}); it would repeat every run`,
  duplicateSeed: (file: string, entry: string, first: string) =>
    `${at(file, entry)}: duplicate seed (same as ${first})`,
  seedOutOfRange: (file: string, entry: string) =>
    `${at(file, entry)}: seeds must stay within ±(2^53 − 1) (safe integers)`,
  tooManyRuns: (file: string, runs: number, maximum: number) =>
    `${file}: the sweep has ${runs} runs (grid × seeds), more than the limit of ${maximum}; split it into several files`,
  unknownCell: (file: string, kind: string, known: readonly string[]) =>
    `${at(file, 'cell')}: unknown cell kind "${kind}" (registered by the cells module: ${list(known)})`,
  badParams: (file: string, entry: string, kind: string, reason: string) =>
    `${at(file, entry)}: rejected by cell "${kind}": ${reason}`,

  // --- options --------------------------------------------------------------------------------
  badShard: (option: string, got: string) =>
    `${option}: expected i/n with integers 0 <= i < n (e.g. 3/10), got "${got}"`,
  badWorkers: (option: string, got: unknown) => `${option}: expected an integer >= 1, got ${JSON.stringify(got)}`,
  cellsModuleFailed: (cellsModule: string, reason: string) => `cells module ${cellsModule}: cannot import it: ${reason}`,
  noInputs: () => 'merge: needs at least one input file',
  unknownSummaryParam: (name: string, known: readonly string[]) =>
    `summary: "by" names parameter "${name}", which no run has (parameters: ${list(known)})`,
  unknownMetric: (name: string, known: readonly string[]) =>
    `summary: metric "${name}" is not a numeric result of any run (numeric results: ${list(known)})`,
  badLevel: (got: number) => `summary: level must be in (0, 1), got ${got}`,

  // --- result files (JSONL) -------------------------------------------------------------------
  badLine: (file: string, line: number, reason: string) => `${file}:${line}: not a sweep result line: ${reason}`,
  foreignLine: (file: string, line: number, runId: string) =>
    `${file}:${line}: run ${runId} is not a run of this sweep at this position (the file was written by a different ` +
    'sweep file or version of it); write to a new --out file',
  mergeConflict: (runId: string, first: string, second: string, field: string) =>
    `merge: run ${runId} differs in "${field}" between ${first} and ${second} (shards of different sweeps or a ` +
    'non-deterministic cell)',
  indexConflict: (index: number, first: string, second: string) =>
    `merge: two different runs sit at position ${index} (${first} and ${second}): the shards come from different sweeps`,

  // --- running --------------------------------------------------------------------------------
  duplicateCell: (kind: string) =>
    `registerCell: cell kind "${kind}" is already registered with another definition ` +
    '(two cells share a name, or the cells module was loaded under two URLs)',
  badResult: (kind: string, key: string, got: unknown) =>
    `cell "${kind}": result "${key}" must be a finite number or a string, got ${String(got)}`,
  cellFailed: (kind: string, runId: string, params: string, seed: number, reason: string) =>
    `cell "${kind}" failed on run ${runId} (params ${params}, seed ${seed}): ${reason}`,
  workerDied: (kind: string, reason: string) => `sweep worker for cell "${kind}" died: ${reason}`,
} as const;
