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
  /** Why a cell rejects a parameter value (the `reason` of `badParams`). */
  paramMissing: () => 'required parameter is missing',
  paramWrongType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  paramNotOneOf: (values: readonly unknown[], got: string) =>
    `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`,
  paramOutOfRange: (relation: string, bound: string, got: string) => `must be ${relation} ${bound}, got ${got}`,
  unknownParam: (file: string, entry: string, kind: string, suggestion: string | undefined, known: readonly string[]) =>
    `${at(file, entry)}: cell "${kind}" has no such parameter` +
    (suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : '') +
    `; its parameters: ${known.join(', ')}`,
  tooDeep: (file: string, entry: string, maximum: number) =>
    `${at(file, entry)}: nested more than ${maximum} levels deep (arrays or objects inside each other)`,

  // --- options --------------------------------------------------------------------------------
  badShard: (option: string, got: string) =>
    `${option}: expected i/n with integers 0 <= i < n (e.g. 3/10), got "${got}"`,
  badWorkers: (option: string, got: unknown) => `${option}: expected an integer >= 1, got ${JSON.stringify(got)}`,
  cellsModuleFailed: (cellsModule: string, reason: string) => `cells module ${cellsModule}: cannot import it: ${reason}`,
  noInputs: () => 'merge: needs at least one input file',
  missingInput: (file: string) => `${file}: no such file (merge reads only existing shards; check the name)`,
  tornLines: (count: number, torn: readonly { file: string; bytes: number }[]) =>
    `${count} torn last line(s) ignored (${torn.map((t) => `${t.file}: ${t.bytes} bytes without a final newline`).join('; ')}): ` +
    'a run was interrupted mid-write; run that shard\'s sweep again to redo it, then merge again',
  outLocked: (out: string, lock: string, pid: number, host: string, since: string) =>
    `${out}: another imrm sweep (pid ${pid} on ${host}, since ${since}) is writing this file (lock ${lock}); ` +
    'wait for it to finish, or write to another --out',
  outLockedElsewhere: (out: string, lock: string, pid: number, host: string, since: string) =>
    `${out}: locked by imrm sweep pid ${pid} on host ${host} (since ${since}; lock ${lock}), which this machine cannot ` +
    'check; if that process is gone, delete the lock file',
  cannotLock: (lock: string, reason: string) => `${lock}: cannot create the lock file of the output (${reason})`,
  badLock: (lock: string, reason: string) =>
    `${lock}: not a sweep lock file (${reason}); if no sweep is writing the output, delete it`,
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
