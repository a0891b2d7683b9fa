/**
 * A sweep in a child process, for the SIGKILL test: `node --import tsx kill-runner.ts SPEC OUT CELLS WORKERS`.
 * Lines are fsync'ed one by one (`syncIntervalMs: 0`) so the test sees them appear promptly.
 */
import { runSweep } from '../../src/sweep/run.js';

const [spec, out, cellsModule, workers] = process.argv.slice(2) as [string, string, string, string];
const report = await runSweep({ spec, out, cellsModule, workers: Number(workers), display: 'none', syncIntervalMs: 0 });
process.stdout.write(`${JSON.stringify(report)}\n`);
