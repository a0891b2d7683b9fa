/** Reading and writing `imrm-problem/1` files; the JSON value itself is `problemJson.ts`'s. */
import { readFileSync } from 'node:fs';
import { InputError, message } from '../messages/index.js';
import type { Problem } from '../models/problem.js';
import { writeFileAtomic } from './atomic.js';
import { decodeUtf8 } from '../utf8.js';
import { parseProblem, problemFileText } from './problemJson.js';

export { PROBLEM_FORMAT, parseProblem, problemToJson, problemFileText } from './problemJson.js';

/** Reads and validates a problem file; throws `InputError` naming the file and entry on any defect. */
export function readProblem(file: string): Problem {
  return parseProblem(readJson(file), file);
}

export function readJson(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(message.cannotRead(file, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  const text = decodeUtf8(bytes, file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(message.notJson(file, (e as Error).message));
  }
}

/** Writes a problem file atomically. */
export function writeProblem(file: string, problem: Problem): void {
  writeFileAtomic(file, problemFileText(problem));
}
