/**
 * Reading and writing `imrm-problem/1` files; the JSON value itself is `problemJson.ts`'s.
 *
 * Large arrays live beside the file as `.npy` (docs/formats.md): `init.U`, `init.u` and the hidden vectors
 * (`hiddenFile`) may be file names, relative to the problem file's folder and inside it. `readProblem` follows them
 * (only regular files inside the folder, after resolving symbolic links: `io/files.ts`); `writeProblem` writes every
 * array of more than `NPY_INLINE_LIMIT` numbers that way, as `<stem>.U.npy`, `<stem>.u.npy`, `<stem>.hidden.npy`
 * beside `<stem>.json`, all of them atomically together (`writeFilesAtomic`).
 */
import { basename, dirname, join } from 'node:path';
import { InputError, message } from '../messages/index.js';
import { compileProblem, type Problem } from '../models/problem.js';
import { writeFilesAtomic, type FileToWrite } from './atomic.js';
import { openNamedFile, readJsonText } from './files.js';
import { compactJsonFile } from './json.js';
import { isFloat32Exact, npyFileChunks } from './npy.js';
import { readNpyFrom } from './npyFile.js';
import { parseProblem, problemToJson, type ArrayFileNames, type ArrayLoader } from './problemJson.js';

export { PROBLEM_FORMAT, parseProblem, problemToJson, problemFileText } from './problemJson.js';

/**
 * Arrays with more numbers than this are written to `.npy` files beside the problem file instead of inline: 2^20
 * numbers are about 20 MB of JSON text (8 MiB as float64). Inline, a GPT-2-sized unembedding (50257 × 768, 38.6 M
 * numbers) would be some 800 MB of text, more than the longest string JavaScript can hold.
 */
export const NPY_INLINE_LIMIT = 1 << 20;

/** Reads and validates a problem file and the `.npy` arrays it names; throws `InputError` naming the file and entry on any defect. */
export function readProblem(file: string): Problem {
  return parseProblem(readJson(file), file, npyBeside(file));
}

/** Reads a JSON input file: a regular file of bounded size (`readJsonText`), parsed. */
export function readJson(file: string): unknown {
  const text = readJsonText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(message.notJson(file, (e as Error).message));
  }
}

/**
 * The `ArrayLoader` of a file: a name is resolved inside `file`'s folder (`openNamedFile`: relative, no way out
 * through `..` or symbolic links, a regular file), its `.npy` header checked against the expected shape, and only
 * then its data read. Errors name `file` and the entry (`init.U`, `hiddenFile`, …), or the `.npy` file and its field.
 */
export function npyBeside(file: string): ArrayLoader {
  return (name, entry, shape) => {
    const open = openNamedFile(file, entry, name);
    const array = readNpyFrom(open, open.shown, (h) => {
      if (h.shape.length !== shape.length || h.shape.some((n, i) => n !== shape[i])) throw new InputError(message.arrayShape(open.shown, file, entry, shape, h.shape));
    });
    return { shown: open.shown, data: array.data };
  };
}

/** Options of {@link writeProblem}. */
export interface WriteProblemOptions {
  /** Arrays with more numbers than this go to `.npy` files beside the problem file. @default NPY_INLINE_LIMIT */
  inlineLimit?: number;
}

/**
 * Writes a problem file atomically, its large arrays (more than `inlineLimit` numbers) as `.npy` files beside it
 * (float32 when every number is exactly a float32, as an imported float32 model's are, else float64). Returns the
 * paths written, the problem file last.
 */
export function writeProblem(file: string, problem: Problem, opts: WriteProblemOptions = {}): string[] {
  const limit = opts.inlineLimit ?? NPY_INLINE_LIMIT;
  // Compiled for its hidden rows only: `init` is left out so that U₀ (|V| × D) is not copied for nothing.
  const cp = compileProblem({ ...problem, init: undefined });
  const { vocabSize: V, hiddenDim: D } = problem;
  const stem = basename(file).replace(/\.json$/i, '');
  const arrays: { key: keyof ArrayFileNames; data: Float64Array; shape: number[] }[] = [];
  if (problem.init?.U && V * D > limit) arrays.push({ key: 'U', data: problem.init.U, shape: [V, D] });
  if (problem.init?.u && D > limit) arrays.push({ key: 'u', data: problem.init.u, shape: [D] });
  if (cp.rowCount * D > limit) arrays.push({ key: 'hidden', data: cp.H, shape: [cp.rowCount, D] });
  const names: ArrayFileNames = Object.fromEntries(arrays.map((a) => [a.key, `${stem}.${a.key}.npy`]));
  const files: FileToWrite[] = arrays.map((a) => ({
    path: join(dirname(file), names[a.key]!),
    data: npyFileChunks(a.data, a.shape, { dtype: isFloat32Exact(a.data) ? '<f4' : '<f8' }),
  }));
  files.push({ path: file, data: compactJsonFile(problemToJson(problem, cp, names)) });
  writeFilesAtomic(files);
  return files.map((f) => f.path);
}

