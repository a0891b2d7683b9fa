/**
 * The `imrm-problem/1` JSON value (docs/formats.md): validating a parsed object into a `Problem`, and a
 * `Problem` back into the value a file holds. No file access here, so the browser can use it too; `problemFile.ts`
 * reads and writes the files, and loads the `.npy` arrays a file may name (`init.U`, `init.u`, `hiddenFile`) through
 * the `ArrayLoader` it passes in. Every malformed case the format lists is its own error naming the file, the entry
 * and the field (catalogue: `messages`).
 */
import { InputError, message, prefixKey } from '../messages/index.js';
import { TableRepresentation } from '../representations/table.js';
import { prefixId } from '../representations/representation.js';
import { compileProblem, isReference, type CompiledProblem, type Pair, type Problem } from '../models/problem.js';
import { checkMemory, problemBytes } from '../models/budget.js';
import { stringifyCompact } from './json.js';
import { firstNonFinite } from './npy.js';

export const PROBLEM_FORMAT = 'imrm-problem/1';

type Json = Record<string, unknown>;

/**
 * Loads the array that a `.npy` name found in the problem file `file` at `entry` (`init.U`, `init.u`, `hiddenFile`)
 * stands for, refusing it (an `InputError`) unless its shape is `shape` — checked before its data are read.
 * Returns the data (C order) and the path that names the `.npy` file in messages.
 */
export type ArrayLoader = (name: unknown, entry: string, shape: readonly number[]) => { shown: string; data: Float64Array };

/**
 * Validates a parsed problem object; `file` names it in error messages. `loadArray` loads the `.npy` arrays the
 * problem names (`readProblem` passes one that reads them beside the file); without it such a name is an error.
 */
export function parseProblem(raw: unknown, file = '<problem>', loadArray?: ArrayLoader): Problem {
  const load: ArrayLoader =
    loadArray ??
    ((_name, entry) => {
      throw new InputError(message.arraysNeedFiles(file, entry));
    });
  const top = object(raw, file, '');
  keys(top, file, '', ['format', 'vocabSize', 'hiddenDim', 'beta', 'reference', 'init', 'hiddenFile', 'hidden', 'train', 'eval'], ['format', 'vocabSize', 'hiddenDim', 'beta', 'reference', 'hidden', 'train']);
  if (top.format !== PROBLEM_FORMAT) throw new InputError(message.wrongFormat(file, PROBLEM_FORMAT, top.format));
  const V = positiveInteger(top.vocabSize, file, 'vocabSize');
  const D = positiveInteger(top.hiddenDim, file, 'hiddenDim');
  const beta = finite(top.beta, file, 'beta');
  if (!(beta > 0)) throw new InputError(message.notPositive(file, 'beta', beta));
  if (!isReference(top.reference)) throw new InputError(message.badReference(file, 'reference', top.reference));
  const hiddenList = array(top.hidden, file, 'hidden');
  // Before anything of size |V| × D is allocated: does the problem fit the memory budget at all?
  checkMemory(problemBytes(V, D, hiddenList.length), file, V >= D ? 'vocabSize' : 'hiddenDim', `|V| = ${V} tokens × D = ${D} (with ${hiddenList.length} hidden vectors)`);
  const fromFile = (name: unknown, entry: string, shape: readonly number[]): Float64Array => {
    const { shown, data } = load(name, entry, shape);
    const count = shape.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new InputError(message.arrayShape(shown, file, entry, shape, [data.length]));
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new InputError(message.arrayNotFinite(shown, file, entry, bad, data[bad]!));
    return data;
  };

  let init: Problem['init'];
  if (top.init !== undefined) {
    const o = object(top.init, file, 'init');
    keys(o, file, 'init', ['u', 'U'], []);
    init = {};
    if (typeof o.u === 'string') init.u = fromFile(o.u, 'init.u', [D]);
    else if (o.u !== undefined) init.u = vector(o.u, D, file, 'init.u');
    if (typeof o.U === 'string') init.U = fromFile(o.U, 'init.U', [V, D]);
    else if (o.U !== undefined) {
      const rows = array(o.U, file, 'init.U');
      if (rows.length !== V) throw new InputError(message.wrongLength(file, 'init.U', V, rows.length));
      rows.forEach((r, v) => (Array.isArray(r) && r.length === D) || vector(r, D, file, `init.U[${v}]`)); // a wrong row is an error before V × D is allocated
      const U = new Float64Array(V * D);
      rows.forEach((r, v) => U.set(vector(r, D, file, `init.U[${v}]`), v * D));
      init.U = U;
    }
  }

  // hidden vectors inline (`h` in every entry), or row i of the matrix `hiddenFile` names is h of hidden[i]
  const matrix = top.hiddenFile !== undefined ? fromFile(top.hiddenFile, 'hiddenFile', [hiddenList.length, D]) : undefined;
  const representation = new TableRepresentation(D);
  const firstSeen = new Map<string, string>();
  hiddenList.forEach((e, i) => {
    const entry = `hidden[${i}]`;
    const o = object(e, file, entry);
    if (matrix && o.h !== undefined) throw new InputError(message.hiddenWithFile(file, `${entry}.h`));
    keys(o, file, entry, ['prompt', 'prefix', 'h'], matrix ? ['prompt', 'prefix'] : ['prompt', 'prefix', 'h']);
    const prompt = promptId(o.prompt, file, `${entry}.prompt`);
    const prefix = tokens(o.prefix, V, file, `${entry}.prefix`, true);
    const h = matrix ? matrix.subarray(i * D, (i + 1) * D) : vector(o.h, D, file, `${entry}.h`);
    const id = prefixId(prompt, prefix);
    const first = firstSeen.get(id);
    if (first !== undefined) throw new InputError(message.duplicatePrefix(file, entry, first, prefixKey(prompt, prefix)));
    firstSeen.set(id, entry);
    representation.set(prompt, prefix, h);
  });

  const pairs = (value: unknown, entry: string): Pair[] =>
    array(value, file, entry).map((p, i) => {
      const e = `${entry}[${i}]`;
      const o = object(p, file, e);
      keys(o, file, e, ['prompt', 'chosen', 'rejected'], ['prompt', 'chosen', 'rejected']);
      const pair: Pair = { prompt: promptId(o.prompt, file, `${e}.prompt`), chosen: tokens(o.chosen, V, file, `${e}.chosen`, false), rejected: tokens(o.rejected, V, file, `${e}.rejected`, false) };
      for (const side of ['chosen', 'rejected'] as const) {
        const y = pair[side];
        for (let k = 0; k <= y.length; k++) {
          if (!representation.has(pair.prompt, y.slice(0, k))) throw new InputError(message.missingPrefix(file, `${e}.${side}`, prefixKey(pair.prompt, y.slice(0, k))));
        }
      }
      return pair;
    });

  const train = pairs(top.train, 'train');
  if (train.length === 0) throw new InputError(message.emptyTrain(file));
  const evalSets: Record<string, Pair[]> = {};
  if (top.eval !== undefined) {
    for (const [name, set] of Object.entries(object(top.eval, file, 'eval'))) {
      if (name === 'train') throw new InputError(message.reservedSetName(file, 'eval.train'));
      if (name === '__proto__') throw new InputError(message.reservedKey(file, 'eval["__proto__"]'));
      evalSets[name] = pairs(set, `eval.${name}`);
    }
  }
  return { vocabSize: V, hiddenDim: D, beta, reference: top.reference, ...(init ? { init } : {}), representation, train, eval: evalSets };
}

/** Names of `.npy` files (beside the problem file) that hold some of its arrays instead of the JSON. */
export interface ArrayFileNames {
  /** `init.U`, shape `(vocabSize, hiddenDim)`. */
  U?: string;
  /** `init.u`, shape `(hiddenDim,)`. */
  u?: string;
  /** The hidden vectors, shape `(hidden.length, hiddenDim)`, row i being `h` of `hidden[i]` (`cp.H`). */
  hidden?: string;
}

/**
 * The file's JSON value for a problem: hidden entries for exactly the prefixes its responses need, in first-use
 * order. Arrays named in `files` appear as those names (their data are `problem.init.U`, `problem.init.u` and
 * `cp.H`, for the caller to write).
 */
export function problemToJson(problem: Problem, cp: CompiledProblem = compileProblem(problem), files: ArrayFileNames = {}): Json {
  const D = cp.hiddenDim;
  const pairJson = (p: Pair) => ({ prompt: p.prompt, chosen: [...p.chosen], rejected: [...p.rejected] });
  const init: Json | undefined = problem.init && {
    ...(problem.init.u ? { u: files.u ?? Array.from(problem.init.u) } : {}),
    ...(problem.init.U ? { U: files.U ?? Array.from({ length: cp.vocabSize }, (_, v) => Array.from(problem.init!.U!.subarray(v * D, (v + 1) * D))) } : {}),
  };
  return {
    format: PROBLEM_FORMAT,
    vocabSize: cp.vocabSize,
    hiddenDim: D,
    beta: cp.beta,
    reference: cp.reference,
    ...(init ? { init } : {}),
    ...(files.hidden !== undefined
      ? { hiddenFile: files.hidden, hidden: cp.rowKeys.map((k) => ({ prompt: k.prompt, prefix: k.prefix })) }
      : { hidden: cp.rowKeys.map((k, r) => ({ prompt: k.prompt, prefix: k.prefix, h: Array.from(cp.H.subarray(r * D, (r + 1) * D)) })) }),
    train: problem.train.map(pairJson),
    eval: Object.fromEntries(Object.entries(problem.eval).map(([n, s]) => [n, s.map(pairJson)])),
  };
}

/** The bytes a problem file holds: `stringifyCompact` of `problemToJson`, newline-terminated. */
export function problemFileText(problem: Problem, cp?: CompiledProblem): string {
  return stringifyCompact(problemToJson(problem, cp)) + '\n';
}

// --- validation helpers: each names file and entry -------------------------------------------------

function object(v: unknown, file: string, entry: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError(message.wrongType(file, entry, 'an object', v));
  return v as Json;
}

function array(v: unknown, file: string, entry: string): unknown[] {
  if (!Array.isArray(v)) throw new InputError(message.wrongType(file, entry, 'an array', v));
  return v;
}

function keys(o: Json, file: string, entry: string, allowed: string[], required: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new InputError(message.unknownField(file, entry ? `${entry}.${k}` : k));
  for (const k of required) if (o[k] === undefined) throw new InputError(message.missingField(file, entry ? `${entry}.${k}` : k));
}

function finite(v: unknown, file: string, entry: string): number {
  if (typeof v !== 'number') throw new InputError(message.wrongType(file, entry, 'a number', v));
  if (!Number.isFinite(v)) throw new InputError(message.notFinite(file, entry));
  return v;
}

function positiveInteger(v: unknown, file: string, entry: string): number {
  const x = finite(v, file, entry);
  if (!Number.isInteger(x) || x < 1) throw new InputError(message.wrongType(file, entry, 'an integer >= 1', v));
  return x;
}

function promptId(v: unknown, file: string, entry: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InputError(message.badPrompt(file, entry, v));
  return v;
}

function vector(v: unknown, D: number, file: string, entry: string): Float64Array {
  const a = array(v, file, entry);
  if (a.length !== D) throw new InputError(message.wrongLength(file, entry, D, a.length));
  return Float64Array.from(a, (x, i) => finite(x, file, `${entry}[${i}]`));
}

function tokens(v: unknown, V: number, file: string, entry: string, allowEmpty: boolean): number[] {
  const a = array(v, file, entry);
  if (!allowEmpty && a.length === 0) throw new InputError(message.emptyResponse(file, entry));
  return a.map((x, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new InputError(message.wrongType(file, `${entry}[${i}]`, 'an integer token id', x));
    if (x < 0 || x >= V) throw new InputError(message.tokenOutOfRange(file, `${entry}[${i}]`, x, V));
    return x;
  });
}
