/**
 * The resume guarantee end to end: a sweep process killed with SIGKILL mid-way (and a torn half-line left at the end
 * of its output, as a kill during a write would leave) is resumed by running it again, and the result equals an
 * uninterrupted sweep: every run exactly once, same params, seeds and results (`ms` aside).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/messages/index.js';
import { sweepMessages } from '../../src/messages/sweep.js';
import { formatSweepLine } from '../../src/sweep/lines.js';
import { isRunning, lockFileOf, readOwner } from '../../src/sweep/lock.js';
import { mergeShards, readSweepLines } from '../../src/sweep/merge.js';
import { runSweep } from '../../src/sweep/run.js';
import { expandRuns, parseSweepSpec } from '../../src/sweep/spec.js';
import { DUMMY_CELLS } from './dummy-cells.js';
import { comparable, temporaryDirectory, writeJson } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
const tmp = temporaryDirectory();
afterAll(tmp.remove);

const data = {
  format: 'imrm-sweep/1',
  name: 'slow-dummy',
  cell: 'dummy',
  fixed: { delayMs: 100, label: 'k' }, // 24 runs × 100 ms on 2 workers: > 1 s, ample time to kill mid-way
  grid: { a: [1, 2, 3, 4] },
  seeds: { from: 10, count: 6 },
};
const RUNS = 24;
/** Lines to wait for before killing: enough to be "mid-way", few enough that the sweep cannot have finished. */
const KILL_AFTER = 5;

const lineCount = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;

describe('a sweep killed with SIGKILL', { timeout: 180_000 }, () => {
  it('resumes to the same result as an uninterrupted sweep', async () => {
    const specFile = writeJson(path.join(tmp.dir, 'slow.sweep.json'), data);
    const killed = path.join(tmp.dir, 'killed.jsonl');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'kill-runner.ts'), specFile, killed, DUMMY_CELLS, '2'],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    const deadline = Date.now() + 120_000;
    while (lineCount(killed) < KILL_AFTER) {
      if (child.exitCode !== null) throw new Error(`the runner exited early (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) throw new Error(`no progress from the runner: ${stderr}`);
      await sleep(10);
    }
    // While it runs, the output is locked by the child: a second writer is refused, naming the child's pid.
    const owner = readOwner(lockFileOf(killed))!;
    expect(owner.pid).toBe(child.pid);
    await expect(runSweep({ spec: specFile, out: killed, cellsModule: DUMMY_CELLS, workers: 1, display: 'none' })).rejects.toThrow(
      new InputError(sweepMessages.outLocked(killed, lockFileOf(killed), owner.pid, owner.host, owner.since)),
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The killed process could not remove its lock: it is stale now, and the resume below takes it over.
    expect(existsSync(lockFileOf(killed))).toBe(true);
    expect(isRunning(readOwner(lockFileOf(killed))!)).toBe(false);

    const survivors = readSweepLines(killed);
    expect(survivors.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(survivors.length).toBeLessThan(RUNS);
    // What a kill during a write leaves: the first half of the line of a run that had not finished.
    const spec = parseSweepSpec(data, specFile);
    const done = new Set(survivors.map((line) => line.runId));
    const pending = expandRuns(spec).find((run) => !done.has(run.runId))!;
    const whole = formatSweepLine({ ...pending, result: { value: 1.5, square: 1, label: 'torn' }, ms: 12.5 });
    appendFileSync(killed, whole.slice(0, Math.floor(whole.length / 2)));

    const resumed = await runSweep({ spec: specFile, out: killed, cellsModule: DUMMY_CELLS, workers: 2, display: 'none' });
    expect(resumed).toMatchObject({ runs: RUNS, skipped: survivors.length, ran: RUNS - survivors.length });
    expect(resumed.tornBytes).toBeGreaterThan(0);
    expect(existsSync(lockFileOf(killed))).toBe(false); // released

    const uninterrupted = path.join(tmp.dir, 'uninterrupted.jsonl');
    await runSweep({ spec: specFile, out: uninterrupted, cellsModule: DUMMY_CELLS, workers: 2, display: 'none' });

    const lines = readSweepLines(killed);
    expect(new Set(lines.map((line) => line.runId)).size).toBe(RUNS); // each run exactly once
    expect(lines).toHaveLength(RUNS);
    expect(comparable(killed)).toEqual(comparable(uninterrupted));
    // Merged (sorted in run order) they are the same file up to timings.
    const [mergedKilled, mergedWhole] = ['merged-killed.jsonl', 'merged-whole.jsonl'].map((f) => path.join(tmp.dir, f));
    mergeShards([killed], mergedKilled as string);
    mergeShards([uninterrupted], mergedWhole as string);
    const strip = (file: string) => readSweepLines(file).map(({ ms: _ms, ...rest }) => rest);
    expect(strip(mergedKilled as string)).toEqual(strip(mergedWhole as string));
  });
});
