/**
 * How a refused input looks from the command line (docs: exit 2 with one message naming the file or option and
 * the field, no stack trace, nothing written): runs the built CLI in `cwd` and checks exactly that, including that
 * the folder holds the same files afterwards (no output, no temporary file).
 */
import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

/** Runs `args` in `cwd` and asserts exit 2, one stderr line containing `expected`, no stack, empty stdout, no new file. */
export function expectRefused(args: string[], cwd: string, expected: string, opts: { timeout?: number; watch?: string } = {}): void {
  const watch = opts.watch ?? cwd;
  const before = listFiles(watch);
  const r = runCli(args, { cwd, ...(opts.timeout ? { timeout: opts.timeout } : {}) });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(expected);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1); // one message
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stdout).toBe('');
  expect(listFiles(watch)).toEqual(before); // no output, no temporary file
}

/**
 * A problem file's value of `vocabSize` tokens and dimension `hiddenDim` with tiny data (three 2-D hidden vectors,
 * one pair): valid for `hiddenDim` 2, and what a hostile file claiming a huge size looks like otherwise.
 */
export function tinyProblem(vocabSize: number, hiddenDim = 2): Record<string, unknown> {
  const h = (a: number, b: number) => [a, b];
  return {
    format: 'imrm-problem/1',
    vocabSize,
    hiddenDim,
    beta: 1,
    reference: 'init',
    hidden: [
      { prompt: 0, prefix: [], h: h(1, 0) },
      { prompt: 0, prefix: [1], h: h(1, 1) },
      { prompt: 0, prefix: [2], h: h(0, 1) },
    ],
    train: [{ prompt: 0, chosen: [1], rejected: [2] }],
  };
}

/** docs/formats.md's estimate for a problem of |V| tokens, dimension D and `rows` hidden vectors: 8·(4·|V|·D + 2·rows·D) + 16·|V| + 256·rows bytes. */
export const problemEstimate = (V: number, D: number, rows: number): number => 8 * (4 * V * D + 2 * rows * D) + 16 * V + 256 * rows;
