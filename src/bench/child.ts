/**
 * One benchmark measurement as its own process: read a problem file (or, with `--index`, import hidden states from
 * an index file and its `.npy` arrays through the library), train, and report JSON on stdout: load and integration
 * times, solver statistics, per-kernel calls / flops / milliseconds, the kernel back end and peak resident memory.
 * The parent times the whole process.
 *
 *   node dist/bench/child.js PROBLEM.json MODEL TIMES
 *   node dist/bench/child.js --index INDEX.json MODEL TIMES
 */
import { compileProblem, importHidden, kernelInfo, kernelStats, parseTimes, readProblem, resetKernelStats, train, type ModelKind } from '../index.js';

const args = process.argv.slice(2);
const fromIndex = args[0] === '--index';
const [file, model, times] = (fromIndex ? args.slice(1) : args) as [string, ModelKind, string];
const t0 = performance.now();
const cp = compileProblem(fromIndex ? importHidden(file) : readProblem(file));
const loadMs = performance.now() - t0;
resetKernelStats();
const t1 = performance.now();
const traj = train(cp, model, parseTimes(times));
const integrateMs = performance.now() - t1;
process.stdout.write(
  JSON.stringify({ loadMs, integrateMs, solver: traj.solver, kernels: kernelStats, backend: kernelInfo(), loss: traj.loss, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
