/**
 * `npm run bench [-- --runs 5] [--reference] [--only NAME,…] [--no-gpt2]`: the benchmark instances of issue 11 as
 * whole processes (median of `--runs`), each row with integration time, solver steps, GFLOP/s of the two dense
 * kernels, nanoseconds per exp of the row softmax, and peak memory. With `--reference`, the independent
 * NumPy/SciPy implementation (`test/reference/flow_reference.py`, DOP853, rtol 1e-10) runs on the same problem
 * files, alternating with ours, and the ratio of medians is printed.
 *
 * The GPT-2-sized instance (`|V|` = 50257, `D` = 768, `.npy` arrays and an index file) is measured two ways: through
 * the library in one process (`importHidden` + `train`), and as the user would run it, `imrm import-hidden` then
 * `imrm flow` as two processes — the second is reported only when `import-hidden` succeeds on such a file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProblem, writeProblem, type KernelName, type ModelKind, type Problem } from '../index.js';
import { randomU0MultiToken, writeGpt2Instance } from './instances.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs') ?? 5) || 5;
const withReference = args.includes('--reference');
const only = opt('--only')?.split(',');
const TIMES = '0,1,10,100,1000';

interface Instance {
  name: string;
  models: ModelKind[];
  problem: () => Problem;
}
const INSTANCES: Instance[] = [
  { name: 'one-token', models: ['ex', 'im'], problem: () => makeProblem('single-token', { seed: 0, vocab: 1000, dim: 128, pairs: 64 }) },
  { name: 'multi-token', models: ['ex', 'im'], problem: () => makeProblem('multi-token', { seed: 0, vocab: 1000, dim: 64, pairs: 32, length: 8 }) },
  { name: 'random-U0', models: ['im'], problem: randomU0MultiToken },
];
const LABEL: Record<string, string> = {
  'one-token': 'one-token, |V| = 1000, D = 128, N = 64',
  'multi-token': 'multi-token, L = 8, |V| = 1000, D = 64, N = 32',
  'random-U0': 'multi-token, random U₀, L = 8, |V| = 1000, D = 64, N = 32',
  gpt2: 'GPT-2-sized, |V| = 50257, D = 768, 16 pairs, L = 4',
};

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const child = here('./child.js');
const cli = here('../cli/main.js');
const reference = here('../../test/reference/flow_reference.py');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(cmd: string, argv: string[]): { ms: number; status: number | null; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function mustRun(cmd: string, argv: string[]): ReturnType<typeof timed> {
  const r = timed(cmd, argv);
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return r;
}

interface Report {
  loadMs: number;
  integrateMs: number;
  solver: { method: string; form: string; steps: number; evaluations: number };
  kernels: Record<KernelName, { calls: number; flops: number; ms: number }>;
  backend: { backend: string; threads: number };
  maxRssMB: number;
}

const rows: string[][] = [];
const header = ['instance', 'model', 'process', 'load', 'integration', 'solver', 'H·Uᵀ GFLOP/s', 'Pᵀ·H GFLOP/s', 'softmax ns/exp', 'peak MB', 'NumPy process', 'NumPy solve_ivp', 'ours / NumPy'];
const fmtS = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function measure(name: string, model: ModelKind, childArgs: string[], problemFile?: string): void {
  const wall: number[] = [];
  const reps: Report[] = [];
  const pw: number[] = [];
  const pi: number[] = [];
  for (let r = 0; r < runs; r++) {
    const res = mustRun(process.execPath, [child, ...childArgs]);
    wall.push(res.ms);
    reps.push(JSON.parse(res.stdout) as Report);
    if (withReference && problemFile) {
      const py = mustRun('python3', [reference, '--problem', problemFile, '--model', model, '--times', TIMES, '--rtol', '1e-10', '--atol', '1e-12', '--out', join(dir, 'ref.json'), '--timing']);
      pw.push(py.ms);
      const m = /solve_ivp ([\d.]+) s/.exec(py.stderr);
      if (m) pi.push(Number(m[1]) * 1000);
    }
  }
  const integ = median(reps.map((x) => x.integrateMs));
  const rep = reps.find((x) => x.integrateMs === integ)!;
  const k = rep.kernels;
  const gf = (s: { calls: number; flops: number; ms: number }) => (s.calls ? (s.flops / (s.ms * 1e6)).toFixed(1) : '–');
  const ratio = pw.length ? median(wall.map((w, i) => w / pw[i]!)).toFixed(2) : '–';
  rows.push([
    LABEL[name] ?? name,
    `${model.toUpperCase()}-RM`,
    fmtS(median(wall)),
    fmtS(median(reps.map((x) => x.loadMs))),
    fmtS(integ),
    `${rep.solver.form} space, ${rep.solver.method}, ${rep.solver.steps} steps, ${rep.solver.evaluations} evals`,
    gf(k.logits),
    gf(k.gradient),
    k.softmax.calls ? ((k.softmax.ms * 1e6) / k.softmax.flops).toFixed(1) : '–',
    Math.max(...reps.map((x) => x.maxRssMB)).toFixed(0),
    pw.length ? fmtS(median(pw)) : '–',
    pi.length ? fmtS(median(pi)) : '–',
    ratio,
  ]);
  console.log(rows.at(-1)!.join(' | '));
}

const dir = mkdtempSync(join(tmpdir(), 'imrm-bench-'));
console.log(`imrm bench: median of ${runs} whole-process runs, times ${TIMES}; kernels ${JSON.stringify(JSON.parse(mustRun(process.execPath, ['-e', `import('${here('../index.js')}').then((l) => console.log(JSON.stringify(l.kernelInfo())))`]).stdout))}\n`);
for (const inst of INSTANCES) {
  if (only && !only.includes(inst.name)) continue;
  const file = join(dir, `${inst.name}.json`);
  writeProblem(file, inst.problem());
  for (const model of inst.models) measure(inst.name, model, [file, model, TIMES], file);
}

if (!args.includes('--no-gpt2') && (!only || only.includes('gpt2'))) {
  const index = writeGpt2Instance(join(dir, 'gpt2'));
  // in one process through the library: importHidden (.npy arrays) + train
  measure('gpt2', 'im', ['--index', index, 'im', TIMES]);
  // as a user runs it: import-hidden, then flow, two processes (possible once problem files can reference .npy arrays)
  const problem = join(dir, 'gpt2', 'problem.json');
  const imp = timed(process.execPath, [cli, 'import-hidden', '--index', index, '--out', problem]);
  if (imp.status === 0) {
    const flow = timed(process.execPath, [cli, 'flow', '--problem', problem, '--model', 'im', '--times', TIMES, '--out', join(dir, 'gpt2', 'traj.json'), '--quiet']);
    console.log(`\nGPT-2-sized, whole processes: import-hidden ${fmtS(imp.ms)}, flow ${flow.status === 0 ? fmtS(flow.ms) : `failed: ${flow.stderr.trim().split('\n')[0]}`}, together ${fmtS(imp.ms + flow.ms)}`);
  } else console.log(`\nGPT-2-sized, whole processes: import-hidden exits ${imp.status}: ${imp.stderr.trim().split('\n')[0]} (not measured)`);
}

console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
for (const r of rows) console.log(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
