/**
 * The core of the catalogue of every user-facing error text (after vega-lite's `src/log/message.ts`).
 * Code throws `new InputError(message.xxx(...))`; tests assert against these functions, never copied strings.
 * An input error names the file (or option), the entry and the field; the CLI maps it to exit code 2.
 */

/** Bad input from a user: a file, an option, a parameter. The CLI exits with code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** `where` is a file path or an option name such as `--times`; `entry` a JSON path such as `hidden[3].h`. */
const at = (where: string, entry: string): string => (entry ? `${where}: ${entry}` : where);

export const message = {
  // --- files ----------------------------------------------------------------------------------
  cannotRead: (file: string, reason: string) => `${file}: cannot read the file (${reason})`,
  notJson: (file: string, reason: string) => `${file}: not valid JSON (${reason})`,
  wrongFormat: (file: string, expected: string, got: unknown) =>
    `${file}: format: expected "${expected}", got ${JSON.stringify(got)}`,
  missingField: (file: string, entry: string) => `${at(file, entry)}: required field is missing`,
  unknownField: (file: string, entry: string) => `${at(file, entry)}: unknown field (not part of the format)`,
  wrongType: (file: string, entry: string, expected: string, got: unknown) =>
    `${at(file, entry)}: expected ${expected}, got ${describe(got)}`,
  notFinite: (file: string, entry: string) => `${at(file, entry)}: number is not finite`,
  notPositive: (file: string, entry: string, got: number) => `${at(file, entry)}: must be > 0, got ${got}`,
  badReference: (file: string, entry: string, got: unknown) =>
    `${at(file, entry)}: must be "init" or "none", got ${JSON.stringify(got)}`,
  emptyTrain: (file: string) => `${at(file, 'train')}: needs at least one pair`,
  emptyResponse: (file: string, entry: string) => `${at(file, entry)}: response is empty (needs at least one token)`,
  tokenOutOfRange: (file: string, entry: string, token: number, vocabSize: number) =>
    `${at(file, entry)}: token ${token} is outside [0, ${vocabSize})`,
  badPrompt: (file: string, entry: string, got: unknown) =>
    `${at(file, entry)}: prompt must be an integer >= 0, got ${describe(got)}`,
  wrongLength: (file: string, entry: string, expected: number, got: number) =>
    `${at(file, entry)}: expected ${expected} numbers, got ${got}`,
  duplicatePrefix: (file: string, entry: string, first: string, key: string) =>
    `${at(file, entry)}: duplicate hidden entry for ${key} (first given at ${first})`,
  missingPrefix: (file: string, entry: string, key: string) =>
    `${at(file, entry)}: no hidden entry for ${key} (every prefix k = 1..L+1 of every response needs one)`,
  reservedSetName: (file: string, entry: string) => `${at(file, entry)}: an eval set may not be named "train"`,
  reservedKey: (file: string, entry: string) =>
    `${at(file, entry)}: the name "__proto__" is not allowed (JavaScript objects give it a special meaning)`,
  notUtf8: (file: string, line: number, column: number, offset: number) =>
    `${file}: line ${line}, column ${column} (byte ${offset}): not valid UTF-8 (save the file as UTF-8)`,
  notRegularFile: (file: string, kind: string) =>
    `${file}: not a regular file (it is a ${kind}); only regular files are read`,
  fileTooLarge: (file: string, size: number, limit: number, reason: string) =>
    `${file}: the file has ${formatBytes(size)}, more than ${formatBytes(limit)} (${reason})`,
  cannotWrite: (file: string, reason: string) =>
    `${file}: cannot write the file (${reason}); nothing was written there`,
  cannotAppend: (file: string, reason: string) =>
    `${file}: cannot append to the file (${reason}); the lines already there stay, and an incomplete last one is cut off when the same command is run again`,

  // --- files named inside files (.npy arrays beside a problem or index file) ------------------
  badFileName: (file: string, entry: string, got: unknown, reason: string) =>
    `${at(file, entry)}: ${describe(got)} is not a usable file name: ${reason}`,
  outsideFolder: (file: string, entry: string, name: string, folder: string) =>
    `${at(file, entry)}: "${name}" resolves outside ${folder} (a file named in a file must lie inside that file's folder, after resolving symbolic links)`,
  namedFileUnreadable: (file: string, entry: string, name: string, reason: string) =>
    `${at(file, entry)}: cannot read "${name}" (${reason})`,
  namedNotRegularFile: (file: string, entry: string, name: string, kind: string) =>
    `${at(file, entry)}: "${name}" is not a regular file (it is a ${kind}); only regular files are read`,
  arraysNeedFiles: (file: string, entry: string) =>
    `${at(file, entry)}: names a .npy file, which only a reader with file access can load (read the problem with readProblem, or give the array inline)`,
  arrayShape: (npyFile: string, file: string, entry: string, expected: readonly number[], got: readonly number[]) =>
    `${npyFile}: shape: ${entry} of ${file} must have shape ${pyShape(expected)}, got ${pyShape(got)}`,
  arrayNotFinite: (npyFile: string, file: string, entry: string, index: number, value: number) =>
    `${npyFile}: data: ${entry} of ${file}: element ${index} (C order) is ${value}, not a finite number`,
  hiddenWithFile: (file: string, entry: string) =>
    `${at(file, entry)}: an "h" given, but the file names a hiddenFile (then every hidden entry is {prompt, prefix} and row i of the .npy matrix is h of hidden[i])`,

  // --- memory budget --------------------------------------------------------------------------
  overBudget: (where: string, entry: string, what: string, need: number, budget: number) =>
    `${at(where, entry)}: ${what} would need about ${formatBytes(need)} of memory, more than the budget of ${formatBytes(budget)} ` +
    '(raise it with --max-memory or the IMRM_MAX_MEMORY environment variable, or make the input smaller)',
  badMemorySize: (option: string, got: string) =>
    `${option}: expected a memory size such as 512M, 8G or 1.5T (K, M, G, T: powers of 1024; a plain number is bytes), got "${got}"`,

  // --- options --------------------------------------------------------------------------------
  badOption: (option: string, got: string, expected: string) => `${option}: expected ${expected}, got "${got}"`,
  tooManyTimes: (option: string, got: string, count: number, limit: number) =>
    `${option}: ${count} requested times, more than the limit of ${limit} (each costs an evaluation of every pair's margin; a plot needs a few hundred) (got "${got.length > 60 ? got.slice(0, 60) + '…' : got}")`,
  badTimes: (option: string, got: string, reason: string) => `${option}: ${reason} (got "${got.length > 60 ? got.slice(0, 60) + '…' : got}")`,
  missingRepresentation: (key: string) => `representation: no hidden vector for ${key}`,
  maxStepsExceeded: (maxSteps: number, t: number) =>
    `solver: maxSteps = ${maxSteps} reached at t = ${t} before the last requested time (raise --max-steps or loosen --rtol)`,
  functionFormUnavailable: () =>
    'form: function space needs train margins linear in the parameter (the EX-RM, or IM-RM pairs that differ only in their last token); use --form auto or parameter',
  stepTooSmall: (t: number, h: number) => `solver: step size ${h} underflowed at t = ${t} (the problem may be stiff)`,
} as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Python's repr of a shape tuple: `()`, `(5,)`, `(3, 4)`. */
function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** A byte count in binary units: `512 B`, `64.0 KiB`, `11.8 GiB`; beyond EiB in powers of ten of EiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let x = bytes;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(x)} B`;
  return x >= 1e4 ? `${x.toExponential(1)} ${units[u]}` : `${x.toFixed(1)} ${units[u]}`;
}

/** Human-readable key of a prefix `(prompt, y_<k)`, as used in error messages. */
export function prefixKey(prompt: number, prefix: readonly number[]): string {
  return `(prompt ${prompt}, prefix [${prefix.join(',')}])`;
}
