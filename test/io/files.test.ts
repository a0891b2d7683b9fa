/**
 * Input files are read only when they are regular files (never /dev/zero, a FIFO — not even waited on — or a
 * folder), and only up to a size checked against the memory budget before anything is read.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { heapBudget, InputError, MAX_JSON_BYTES, message, readJsonText, readNpy, readProblem, readTrajectory, setMemoryBudget } from '../../src/index.js';
import { readSweepSpec } from '../../src/sweep/spec.js';

afterEach(() => setMemoryBudget(undefined));
const dir = mkdtempSync(join(tmpdir(), 'imrm-files-'));
const fifo = join(dir, 'fifo');
expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
mkdirSync(join(dir, 'folder'));

describe('only regular files are read', () => {
  const readers: [string, (f: string) => unknown][] = [
    ['readJsonText', readJsonText],
    ['readProblem', readProblem],
    ['readTrajectory', readTrajectory],
    ['readNpy', readNpy],
    ['readSweepSpec', readSweepSpec],
  ];
  const specials: [string, string][] = [
    ['/dev/zero', 'character device'],
    [fifo, 'FIFO'],
    [join(dir, 'folder'), 'directory'],
  ];
  for (const [name, read] of readers) {
    it(`${name}: /dev/zero, a FIFO and a folder are refused at once, naming the file`, () => {
      for (const [file, kind] of specials) {
        expect(() => read(file)).toThrow(InputError);
        expect(() => read(file)).toThrow(message.notRegularFile(file, kind));
      }
    });
  }
});

describe('sizes are checked before reading', () => {
  it('a JSON file whose parse would not fit the heap budget is refused', () => {
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ x: 'y'.repeat(2000) }));
    expect(readJsonText(file)).toContain('yyy');
    setMemoryBudget(4096);
    expect(() => readJsonText(file)).toThrow(message.overBudget(file, '', 'parsing this JSON file of 2.0 KiB', 4 * statSync(file).size, heapBudget()));
  });

  it('a JSON file longer than the longest JavaScript string is refused unread (a sparse file here)', () => {
    const file = join(dir, 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_JSON_BYTES + 1);
    setMemoryBudget(64 * 1024 ** 3); // so that the size limit, not the budget, is what refuses it
    expect(() => readJsonText(file)).toThrow(
      message.fileTooLarge(file, MAX_JSON_BYTES + 1, MAX_JSON_BYTES, 'the longest text JavaScript can hold; keep large arrays in .npy files beside the file (docs/formats.md)'),
    );
  });
});
