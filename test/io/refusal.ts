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
