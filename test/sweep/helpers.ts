/** Temporary directories, sweep files and result comparisons for the sweep tests. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSweepLines } from '../../src/sweep/merge.js';
import type { SweepLine } from '../../src/sweep/lines.js';

export function temporaryDirectory(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imrm-sweep-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(file: string, data: unknown): string {
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

/** Lines of a result file without the timing field, sorted by runId: what two runs of a sweep must agree on. */
export function comparable(file: string): Omit<SweepLine, 'ms'>[] {
  return readSweepLines(file)
    .map(({ ms: _ms, ...rest }) => rest)
    .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
}

export const fileText = (file: string): string => readFileSync(file, 'utf8');

/** |a − b| / max(|a|, |b|) (0 when both are 0). */
export function relativeError(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}
