/**
 * Measures the sweep runner's own cost: start-up (worker threads importing the cells module) and the cost per run
 * with a cell that does nothing. `node --import tsx test/sweep/bench-overhead.ts [runs] [workers]`
 * (sources, workers bootstrapped through tsx); pass a compiled run.js URL as third argument to measure `dist/`.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DUMMY_CELLS } from './dummy-cells.js';

const runs = Number(process.argv[2] ?? 5000);
const workers = Number(process.argv[3] ?? 2);
const runModule = process.argv[4] ?? pathToFileURL(path.resolve('src/sweep/run.ts')).href;
const cellsModule = process.argv[5] ?? DUMMY_CELLS;
const { runSweep } = (await import(runModule)) as typeof import('../../src/sweep/run.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'imrm-sweep-bench-'));
const sweep = (count: number) => ({
  format: 'imrm-sweep/1' as const,
  name: 'noop',
  cell: 'noop',
  fixed: {},
  grid: {},
  seeds: { from: 0, count },
});
/** CPU time (user + system, all threads of the process) in µs. */
const cpu = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
try {
  let c0 = cpu();
  const small = await runSweep({ spec: sweep(workers), out: path.join(dir, 'a.jsonl'), cellsModule, workers, display: 'none' });
  const smallCpu = cpu() - c0;
  c0 = cpu();
  const big = await runSweep({ spec: sweep(runs), out: path.join(dir, 'b.jsonl'), cellsModule, workers, display: 'none' });
  const bigCpu = cpu() - c0;
  const perRun = (big.wallMs - small.wallMs) / (runs - workers);
  const cpuPerRun = (bigCpu - smallCpu) / (runs - workers);
  console.log(
    `start-up (${workers} workers): ${small.wallMs.toFixed(0)} ms wall; ${runs} runs: ${big.wallMs.toFixed(0)} ms wall; ` +
      `per run: ${(perRun * 1000).toFixed(0)} µs wall, ${cpuPerRun.toFixed(0)} µs CPU (all threads); load average ${os
        .loadavg()[0]
        ?.toFixed(1)} on ${os.availableParallelism()} cores`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
