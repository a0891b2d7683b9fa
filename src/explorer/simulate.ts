/**
 * One explorer run: build the instance, train the EX-RM and the IM-RM with `train` (the library's own dynamics) and
 * hand over results chunk by chunk as training time advances, so the page can draw them while the rest runs.
 *
 * `train` integrates from t = 0 and reports only at the end, so a chunk is one `train` call from 0 to the chunk's
 * horizon that records only the grid times not yet reported. Integrating [0, T_k] again for every chunk costs
 * extra; the chunk horizons keep it bounded:
 * - gradient descent, Adam (cost ∝ t): a chunk per decade, so all chunks together take ≤ 1/(1 − 10⁻¹) ≈ 1.11× the steps of one run;
 * - gradient flow (cost ∝ decades of t, the step size grows with t): a chunk per decade while the flow is integrated
 *   in function space (an `N`-dimensional ODE: recording the margins dominates, and is done once per time);
 *   in parameter space (multi-token IM-RM), spans of 1, 2, 4, … decades, so the repeats cost ≤ about 1× one run.
 * Gradient descent and Adam take exactly the same steps as one run; the flow's adaptive steps from 0 to a later
 * horizon differ only within the integrator's tolerance (its first step depends on the horizon).
 *
 * Runs in the Web Worker (`worker.ts`), and in Node.js for the tests: nothing here touches the DOM.
 */
import { accuracy, buildProbeProblem, compileProblem, makeProblem, marginScale, MODEL_LABEL, pairSets, train, type CompiledProblem, type ModelKind, type Problem, type SolverInfo } from '../browser.js';
import { probeOptions, problemOptions, timeGrid, type Settings } from './settings.js';

export const MODELS: readonly ModelKind[] = ['ex', 'im'];

/** A chart row: `marginsOverTimeSpec` reads `meanMargin`, `accuracyOverTimeSpec` reads `accuracy`. */
export interface Row {
  t: number;
  model: string;
  set: string;
  meanMargin: number;
  accuracy: number;
  /** Fraction of the set's pairs that are ties (they count ½ in `accuracy`). */
  ties: number;
}

/** Results of one chunk of one model: the newly recorded times and everything measured at them. */
export interface Chunk {
  model: ModelKind;
  times: number[];
  loss: number[];
  /** `margins[set][pair][k]` for the chunk's times. */
  margins: Record<string, number[][]>;
  rows: Row[];
  /** The solver's report for the whole integration [0, last time of the chunk]. */
  solver: SolverInfo;
  /** Wall time of the chunk's `train` call, ms. */
  ms: number;
}

export interface RunInfo {
  sets: string[];
  times: number[];
  /** Problem build and compilation, ms. */
  buildMs: number;
}

export interface RunCallbacks {
  onStart(info: RunInfo): void;
  onChunk(chunk: Chunk): void;
  /** Training time reached inside a chunk (throttled by the caller's `progressEveryMs`). */
  onProgress?(model: ModelKind, t: number, horizon: number): void;
  progressEveryMs?: number;
}

export function buildProblem(s: Settings): { problem: Problem; cp: CompiledProblem } {
  const problem = s.kind === 'multi-token-probe' ? buildProbeProblem(probeOptions(s)).problem : makeProblem(s.kind, problemOptions(s));
  return { problem, cp: compileProblem(problem) };
}

/** Rows at each recorded time: mean margin and accuracy per set, ties judged against the largest margin over all sets (as the figures do). */
export function rowsOf(model: ModelKind, times: readonly number[], margins: Record<string, number[][]>, sets: readonly string[]): Row[] {
  const rows: Row[] = [];
  times.forEach((t, i) => {
    const all = sets.map((s) => margins[s]!.map((pair) => pair[i]!));
    const scale = marginScale(...all);
    sets.forEach((set, k) => {
      const a = accuracy(all[k]!, scale);
      rows.push({ t, model: MODEL_LABEL[model], set, meanMargin: a.meanMargin, accuracy: a.accuracy, ties: a.ties });
    });
  });
  return rows;
}

/** The index one past the last grid time ≤ `horizon` (grid sorted). */
function endIndex(grid: readonly number[], from: number, horizon: number): number {
  let i = from;
  // 1e-9 relative: grid points computed as 10^x should count as reaching the decade they sit on
  while (i < grid.length && grid[i]! <= horizon * (1 + 1e-9)) i++;
  return i;
}

/**
 * Where one model's run stands: the next grid index to report, the decades of training time its chunks have
 * covered (from the grid's first time), and the width in decades of its next chunk.
 */
export interface ChunkCursor {
  model: ModelKind;
  next: number;
  decades: number;
  span: number;
}

/**
 * A run of both models on the settings' instance, advanced one chunk at a time (see the file comment). Starting from
 * `cursors` (of an earlier `Simulation` of the same settings) skips the chunks already reported: the page computes
 * the first chunks itself at load, the worker carries on from there.
 */
export class Simulation {
  readonly cp: CompiledProblem;
  readonly info: RunInfo;
  readonly cursors: ChunkCursor[];

  constructor(
    readonly settings: Settings,
    cursors?: readonly ChunkCursor[],
  ) {
    const t0 = performance.now();
    this.cp = buildProblem(settings).cp;
    const grid = timeGrid(settings);
    this.info = { sets: pairSets(this.cp).map((p) => p.name), times: grid, buildMs: performance.now() - t0 };
    this.cursors = MODELS.map((model) => ({ ...(cursors?.find((c) => c.model === model) ?? { model, next: 0, decades: 0, span: 1 }) }));
  }

  get done(): boolean {
    return this.cursors.every((c) => c.next >= this.info.times.length);
  }

  /**
   * Trains the model that has reached the smaller time (so both curves grow together) to the end of its next chunk;
   * `null` once both are done. `onProgress` receives the training time reached inside the chunk.
   */
  step(onProgress?: (model: ModelKind, t: number, horizon: number) => void): Chunk | null {
    const grid = this.info.times;
    const open = this.cursors.filter((c) => c.next < grid.length);
    if (open.length === 0) return null;
    const m = open.reduce((a, b) => (grid[b.next]! < grid[a.next]! ? b : a));
    let end = m.next;
    while (end === m.next) {
      m.decades += m.span;
      end = endIndex(grid, m.next, grid[0]! * Math.pow(10, m.decades));
    }
    const times = grid.slice(m.next, end);
    const s = this.settings;
    const c0 = performance.now();
    const traj = train(this.cp, m.model, times, { method: s.method, lr: s.lr, ...(onProgress ? { onProgress: (t: number, tEnd: number) => onProgress(m.model, t, tEnd) } : {}) });
    const ms = performance.now() - c0;
    m.next = end;
    if (s.method === 'flow' && traj.solver.form === 'parameter') m.span *= 2;
    return { model: m.model, times: traj.times, loss: traj.loss, margins: traj.margins, rows: rowsOf(m.model, traj.times, traj.margins, this.info.sets), solver: traj.solver, ms };
  }
}

/** Runs both models on the settings' instance, chunk by chunk (see the file comment), from `cursors` if given. */
export function simulate(s: Settings, cb: RunCallbacks, cursors?: readonly ChunkCursor[]): void {
  const sim = new Simulation(s, cursors);
  cb.onStart(sim.info);
  const every = cb.progressEveryMs ?? 100;
  let lastPost = performance.now();
  const onProgress =
    cb.onProgress &&
    ((model: ModelKind, t: number, tEnd: number): void => {
      const now = performance.now();
      if (now - lastPost < every) return;
      lastPost = now;
      cb.onProgress!(model, t, tEnd);
    });
  for (let chunk = sim.step(onProgress); chunk; chunk = sim.step(onProgress)) {
    lastPost = performance.now();
    cb.onChunk(chunk);
  }
}

/** The standard one-token instance of the timing comparison: |V| = 1000, D = 128, N = 64, seed 0; gradient flow to t = 0, 1, 10, 100, 1000. */
export const BENCHMARK_TIMES = [0, 1, 10, 100, 1000];

export interface BenchmarkTiming {
  /** `makeProblem` + `compileProblem`, ms. */
  buildMs: number;
  exMs: number;
  imMs: number;
  totalMs: number;
  steps: { ex: number; im: number };
  /** IM-RM paraphrase margins at the last time, for a sanity check that both sides computed the same thing. */
  checksum: number;
}

/** One timed run of the benchmark (the same code in the page's worker and in Node.js). */
export function runBenchmark(): BenchmarkTiming {
  const t0 = performance.now();
  const cp = compileProblem(makeProblem('single-token', { seed: 0 }));
  const t1 = performance.now();
  const ex = train(cp, 'ex', BENCHMARK_TIMES);
  const t2 = performance.now();
  const im = train(cp, 'im', BENCHMARK_TIMES);
  const t3 = performance.now();
  const last = BENCHMARK_TIMES.length - 1;
  let checksum = 0;
  for (const set of Object.values(ex.margins)) for (const p of set) checksum += p[last]!;
  for (const set of Object.values(im.margins)) for (const p of set) checksum += p[last]!;
  return { buildMs: t1 - t0, exMs: t2 - t1, imMs: t3 - t2, totalMs: t3 - t0, steps: { ex: ex.solver.steps, im: im.solver.steps }, checksum };
}
