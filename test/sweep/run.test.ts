import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepMessages } from '../../src/messages/sweep.js';
import { formatSweepLine, type SweepLine } from '../../src/sweep/lines.js';
import { mergeShards, readSweepLines } from '../../src/sweep/merge.js';
import { cellKinds } from '../../src/sweep/registry.js';
import { runSweep, type SweepProgress, type SweepReport } from '../../src/sweep/run.js';
import { expandRuns, parseSweepSpec, type SweepSpec } from '../../src/sweep/spec.js';
import { DUMMY_CELLS, dummyResult } from './dummy-cells.js';
import { comparable, fileText, temporaryDirectory, writeJson } from './helpers.js';

const tmp = temporaryDirectory();
afterAll(tmp.remove);
let counter = 0;
const outFile = (): string => path.join(tmp.dir, `out-${++counter}.jsonl`);

const data = {
  format: 'imrm-sweep/1',
  name: 'dummy-study',
  cell: 'dummy',
  fixed: { label: 'l' },
  grid: { a: [1, 2, 3] },
  seeds: { from: 0, count: 4 },
};
const spec = parseSweepSpec(data, 'dummy.sweep.json');
const base = { cellsModule: DUMMY_CELLS, workers: 2, display: 'none' } as const;

/** The lines an uninterrupted sweep must produce, `ms` aside, computed without the runner. */
function expectedLines(sweep: SweepSpec): Omit<SweepLine, 'ms'>[] {
  return expandRuns(sweep).map((run) => ({
    runId: run.runId,
    index: run.index,
    params: run.params,
    seed: run.seed,
    result: dummyResult(run.params as { a: number; label: string }, run.seed),
  }));
}
const byRunId = <T extends { runId: string }>(lines: T[]): T[] => [...lines].sort((a, b) => (a.runId < b.runId ? -1 : 1));

// Each sweep starts worker threads that load the TypeScript sources through tsx: seconds on a busy machine.
// So one uninterrupted sweep, run once, is the reference most tests compare against.
describe('runSweep', { timeout: 120_000 }, () => {
  const reference = path.join(tmp.dir, 'reference.jsonl');
  const progress: SweepProgress[] = [];
  let referenceReport: SweepReport;
  beforeAll(async () => {
    referenceReport = await runSweep({ ...base, spec, out: reference, onProgress: (p) => progress.push(p) });
  }, 120_000);
  const copyOfReference = (): string => {
    const out = outFile();
    copyFileSync(reference, out);
    return out;
  };

  it('writes one line per run with the cell result, on worker threads', () => {
    expect(referenceReport).toMatchObject({ runs: 12, skipped: 0, ran: 12, tornBytes: 0 });
    expect(comparable(reference)).toEqual(byRunId(expectedLines(spec)));
    for (const line of readSweepLines(reference)) expect(line.ms).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(progress.at(-1)).toMatchObject({ total: 12, skipped: 0, etaMs: 0 });
  });

  it('does nothing when every run is already in the output (sweep read from its file)', async () => {
    const file = writeJson(path.join(tmp.dir, 'study.sweep.json'), data);
    const out = copyOfReference();
    const report = await runSweep({ ...base, spec: file, out });
    expect(report).toMatchObject({ runs: 12, skipped: 12, ran: 0 });
    expect(fileText(out)).toBe(fileText(reference));
  });

  it('resumes a partial output, cutting a torn last line and redoing its run', async () => {
    const lines = readSweepLines(reference);
    const out = outFile();
    writeFileSync(out, lines.slice(0, 5).map(formatSweepLine).join(''));
    const torn = formatSweepLine(lines[5] as SweepLine);
    appendFileSync(out, torn.slice(0, torn.length - 7)); // killed before the newline got written
    const report = await runSweep({ ...base, spec, out });
    expect(report).toMatchObject({ runs: 12, skipped: 5, ran: 7, tornBytes: torn.length - 7 });
    expect(comparable(out)).toEqual(comparable(reference));
    expect(readSweepLines(out)).toHaveLength(12);
    expect(fileText(out).endsWith('\n')).toBe(true);
  });

  it('runs shards that merge into the unsharded result', async () => {
    const shards = [0, 1].map((index) => path.join(tmp.dir, `shard-${index}.jsonl`));
    for (const [index, out] of shards.entries()) {
      const report = await runSweep({ ...base, spec, out, workers: 1, shard: { index, count: 2 } });
      expect(report).toMatchObject({ runs: 6, ran: 6 });
      expect(readSweepLines(out).every((line) => line.index % 2 === index)).toBe(true);
    }
    const merged = outFile();
    expect(mergeShards(shards, merged)).toEqual({ runs: 12, duplicates: 0, tornInputs: [], tornLines: 0, torn: [] });
    expect(comparable(merged)).toEqual(comparable(reference));
    expect(readSweepLines(merged).map((l) => l.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('stops on a failing cell, keeping the runs that finished, and names the run', async () => {
    const failing = parseSweepSpec({ ...data, cell: 'failing', fixed: {}, grid: {}, seeds: [1, 2, 3, 4, 5, 6] }, 'f.json');
    const run = expandRuns(failing).find((r) => r.seed === 3)!;
    const out = outFile();
    await expect(runSweep({ ...base, spec: failing, out, workers: 1 })).rejects.toThrow(
      sweepMessages.cellFailed('failing', run.runId, '{}', 3, 'seed 3 is cursed'),
    );
    const seeds = readSweepLines(out).map((l) => l.seed);
    expect(seeds).toContain(1);
    expect(seeds).not.toContain(3);
  });

  it('rejects a result JSON cannot carry', async () => {
    const bad = parseSweepSpec({ ...data, cell: 'not-finite', fixed: {}, grid: {} }, 'n.json');
    await expect(runSweep({ ...base, spec: bad, out: outFile() })).rejects.toThrow(sweepMessages.badResult('not-finite', 'x', NaN));
  });

  it('rejects an unknown cell kind before starting', async () => {
    const unknown = parseSweepSpec({ ...data, cell: 'nope' }, 'u.json');
    await expect(runSweep({ ...base, spec: unknown, out: outFile() })).rejects.toThrow(
      sweepMessages.unknownCell('sweep "dummy-study"', 'nope', cellKinds()),
    );
  });

  it('refuses to append to the output of another sweep', async () => {
    const out = copyOfReference();
    const other = parseSweepSpec({ ...data, grid: { a: [1, 2, 4] } }, 'o.json');
    const firstForeign = readSweepLines(out).findIndex((l) => !expandRuns(other).some((r) => r.runId === l.runId));
    await expect(runSweep({ ...base, spec: other, out })).rejects.toThrow(
      sweepMessages.foreignLine(out, firstForeign + 1, readSweepLines(out)[firstForeign]!.runId),
    );
  });

  it('rejects a bad worker count, a bad shard and a relative cells module', async () => {
    await expect(runSweep({ ...base, spec, out: outFile(), cellsModule: './dummy-cells.ts' })).rejects.toThrow(
      sweepMessages.cellsModuleFailed('./dummy-cells.ts', ''),
    );
    await expect(runSweep({ ...base, spec, out: outFile(), workers: 0 })).rejects.toThrow(sweepMessages.badWorkers('workers', 0));
    await expect(runSweep({ ...base, spec, out: outFile(), shard: { index: 3, count: 3 } })).rejects.toThrow(
      sweepMessages.badShard('shard', '3/3'),
    );
  });

  it('reports a complete line that is not a result line instead of dropping it', async () => {
    const out = outFile();
    writeFileSync(out, '{"runId": "zz"}\n');
    await expect(runSweep({ ...base, spec, out })).rejects.toThrow(sweepMessages.badLine(out, 1, ''));
    expect(readFileSync(out, 'utf8')).toBe('{"runId": "zz"}\n');
  });
});
