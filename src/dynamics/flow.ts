/**
 * Training dynamics on the Bradley–Terry loss (docs/theory.md §2): gradient flow `dθ/dt = −∇L(θ)` by an adaptive
 * Dormand–Prince 5(4) integrator with dense output, plain gradient descent with step η, and Adam.
 *
 * Gradient flow runs in *function space* whenever every train margin is linear in the parameter — always for
 * the EX-RM, and for the IM-RM when each pair's two responses differ only in their last token (one-token
 * responses in particular): then `m(t) = m_0 + K c(t)`, `dc/dt = σ(−m)/N` is an `N`-dimensional ODE driven by the
 * tangent-kernel Gram matrix `K`, and the parameter, hence every evaluation margin, is rebuilt from `c` at the
 * requested times. Otherwise it integrates the parameter itself (the IM-RM's compressed unembedding).
 */
import { luFactor, luSolve } from '../linalg/lu.js';
import { flops, sigmoidNeg } from '../linalg/kernels.js';
import { InputError, message } from '../messages/index.js';
import { rewardStd } from '../models/accuracy.js';
import { modelOn, type ModelOnProblem, type ModelOptions, type RewardModelKind } from '../models/model.js';
import { pairSets, type CompiledProblem, type PairSet } from '../models/problem.js';
import { bradleyTerryLoss } from './loss.js';
import { dopri5 } from './ode.js';
import { rodas4, type StiffJacobian } from './rosenbrock.js';
import { checkTimes } from './times.js';

export const METHOD = {
  flow: 'gradient flow, adaptive Dormand–Prince 5(4) with dense output',
  gd: 'gradient descent with step η (time = steps × η)',
  adam: 'Adam with step η (time = steps × η)',
} as const;
export type Method = keyof typeof METHOD;
export const isMethod = (x: unknown): x is Method => typeof x === 'string' && Object.hasOwn(METHOD, x);

export const FORM = {
  auto: 'function space when every train margin is linear in the parameter, else parameter space',
  function: 'function space (tangent-kernel ODE for the train margins); an error when it does not apply',
  parameter: 'parameter space',
} as const;
export type Form = keyof typeof FORM;

export interface FlowOptions {
  /** @default 'flow' */
  method?: Method;
  /** Step η of gradient descent and Adam. @default 0.1 */
  lr?: number;
  /** Relative tolerance of the flow's integrator. @default 1e-8 */
  rtol?: number;
  /** Absolute tolerance of the flow's integrator. @default 1e-10 */
  atol?: number;
  /** Most integrator steps. @default 1_000_000 */
  maxSteps?: number;
  /** @default 'auto' */
  form?: Form;
  /**
   * `auto`: a function-space flow switches from Dormand–Prince to the stiff solver RODAS4 when it detects stiffness
   * (non-separable data); `never`: explicit steps throughout. @default 'auto'
   */
  stiff?: 'auto' | 'never';
  /** Adam's moment decay rates and ε. @default {beta1: 0.9, beta2: 0.999, eps: 1e-8} */
  adam?: { beta1?: number; beta2?: number; eps?: number };
  /** Merge the IM-RM's tokens that are unused by the train set and share their initial row (exact). @default true */
  compressTokens?: boolean;
  /**
   * Integrate the IM-RM's unembedding in the span of the train prefixes' representations (exact for the flow and
   * gradient descent; never for Adam, whose per-coordinate steps depend on the basis). @default true
   */
  compressSpan?: boolean;
  /** Keep the full parameter at every requested time in `Trajectory.params`. @default false */
  keepParams?: boolean;
  /**
   * Record the standard deviation of each set's rewards at every requested time (`Trajectory.rewardStd`), from which
   * the paper's normalized reward margin follows (`normalizedMargin`). @default false
   */
  rewardStats?: boolean;
  /** The generative RM's "Yes" token. @default 0 */
  yesToken?: number;
  /**
   * Parameter-space flow: whose margins the step control bounds besides the parameter — the train set's only
   * (`'train'`, which the right-hand side computes anyway), or every set's (`'all'`: two more logits products per
   * evaluation set and step). Every set's margins are smooth functions of the parameter, whose error is controlled
   * either way; on the random-`U₀` benchmark instance both give the same margins to 1.0e-8 relative, and `'all'`
   * takes about 1.6× the time. @default 'train'
   */
  marginControl?: 'all' | 'train';
  /** Called as training time advances (for progress bars). */
  onProgress?: (t: number, tEnd: number) => void;
}

/** One stretch of the integration: which method ran from which time to which, in how many accepted steps. */
export interface SolverSegment {
  method: 'dopri5' | 'rodas4' | 'gd' | 'adam';
  from: number;
  to: number;
  steps: number;
}

export interface SolverInfo {
  /** The methods in the order they ran (`dopri5`, `dopri5 → rodas4` once the flow turned stiff, `gd`, `adam`). */
  method: string;
  form: 'function' | 'parameter';
  rtol?: number;
  atol?: number;
  lr?: number;
  /** Integrator steps accepted (flow), or optimizer steps taken (gd, adam). */
  steps: number;
  rejected?: number;
  /** Loss-gradient (right-hand-side) evaluations. */
  evaluations: number;
  /** Which method ran where (the flow). */
  segments?: SolverSegment[];
}

/** The result of training one model on one problem: margins of every set at every requested time. */
export interface Trajectory {
  model: RewardModelKind;
  times: number[];
  loss: number[];
  /** `margins[set][pair][time]`. */
  margins: Record<string, number[][]>;
  solver: SolverInfo;
  /** Full parameters at each time (`u`, or `U` row-major), when `keepParams`. */
  params?: Float64Array[];
  /**
   * `rewardStd[set][time]`: standard deviation of the set's rewards — both responses of every pair, `2 × count` values —
   * when `rewardStats`.
   */
  rewardStd?: Record<string, number[]>;
}

/** Records the state at the `k`-th sorted time: the full parameter on demand, and margins known directly. */
type Recorder = (k: number, full: () => Float64Array, direct?: Map<PairSet, ArrayLike<number>>) => void;

/** Trains `kind` on `cp` and records margins at `times`. */
export function train(cp: CompiledProblem, kind: RewardModelKind, times: readonly number[], opts: FlowOptions = {}): Trajectory {
  checkTimes(times, 'times', undefined, 1 + pairSets(cp).reduce((n, s) => n + s.count, 0)); // refuses before allocating
  // integrate over the sorted times; results are stored at each time's position in the list as given
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const sorted = order.map((i) => times[i]!);
  const method = opts.method ?? 'flow';
  // Adam's per-coordinate scaling is not invariant under the span basis's rotation (gradient flow and descent are):
  // Adam always runs on the rows of U itself
  const span = method === 'adam' ? false : (opts.compressSpan ?? opts.compressTokens);
  const modelOpts: ModelOptions = { compress: opts.compressTokens, span, yesToken: opts.yesToken };
  const model = modelOn(kind, cp, modelOpts);
  const sets = pairSets(cp);
  const traj: Trajectory = {
    model: kind,
    times: [...times],
    loss: new Array<number>(times.length).fill(NaN),
    margins: Object.fromEntries(sets.map((s) => [s.name, Array.from({ length: s.count }, () => new Array<number>(times.length).fill(NaN))])),
    solver: { method, form: 'parameter', steps: 0, evaluations: 0 },
    ...(opts.keepParams ? { params: [] as Float64Array[] } : {}),
    ...(opts.rewardStats ? { rewardStd: Object.fromEntries(sets.map((s) => [s.name, new Array<number>(times.length).fill(NaN)])) } : {}),
  };
  // every set's responses, pair by pair (chosen then rejected), for its reward statistics
  const setResponses = opts.rewardStats ? new Map(sets.map((s) => [s, Int32Array.from({ length: 2 * s.count }, (_, j) => (j % 2 === 0 ? s.chosen : s.rejected)[j >> 1]!)])) : undefined;
  const record: Recorder = (k, full, direct) => {
    const i = order[k]!;
    let params: Float64Array | undefined;
    const getParams = () => (params ??= full());
    for (const s of sets) {
      const m = direct?.get(s) ?? model.margins(getParams(), s);
      const rows = traj.margins[s.name]!;
      for (let p = 0; p < s.count; p++) rows[p]![i] = m[p]!;
      if (s === cp.train) traj.loss[i] = bradleyTerryLoss(m);
      if (traj.rewardStd) traj.rewardStd[s.name]![i] = rewardStd(model.rewards(getParams(), setResponses!.get(s)!));
    }
    if (traj.params) traj.params[i] = getParams();
  };
  if (method === 'flow') runFlow(model, sorted, opts, traj, record);
  else runOptimizer(model, method, sorted, opts, traj, record, order);
  return traj;
}

function runFlow(model: ModelOnProblem, times: readonly number[], opts: FlowOptions, traj: Trajectory, record: Recorder): void {
  const form = opts.form ?? 'auto';
  const linear = form === 'parameter' ? null : model.linearForm();
  if (form === 'function' && !linear) throw new InputError(message.functionFormUnavailable());
  const tEnd = times[times.length - 1]!;
  const ode = { rtol: opts.rtol, atol: opts.atol, maxSteps: opts.maxSteps, onStep: opts.onProgress && ((t: number) => opts.onProgress!(t, tEnd)) };
  let stats;
  const segments: SolverSegment[] = [];
  if (linear) {
    // State [m (train margins), m̄ (margins of every other set that is linear too), c]: the margins themselves are
    // integrated (dm/dt = K σ(−m)/N, dm̄/dt = K̄ σ(−m)/N, dc/dt = σ(−m)/N), so the error control acts on what is
    // reported. Rebuilding margins as m₀ + K c instead loses digits to cancellation when c grows along K's null
    // space (data that are not separable).
    const N = linear.m0.length;
    const observed: { set: PairSet; K: Float64Array; m0: Float64Array; offset: number }[] = [];
    let size = 0;
    for (const set of pairSets(model.cp)) {
      const o = set === model.cp.train ? { K: linear.K, m0: linear.m0 } : linear.observe(set);
      if (o) {
        observed.push({ set, ...o, offset: size });
        size += set.count;
      }
    }
    const cOffset = size;
    const y0 = new Float64Array(size + N);
    for (const o of observed) y0.set(o.m0, o.offset);
    const w = new Float64Array(N);
    const rhs = (_t: number, y: Float64Array, dy: Float64Array): void => {
      for (let i = 0; i < N; i++) w[i] = sigmoidNeg(y[i]!) / N; // train margins sit at offset 0
      for (const o of observed) {
        const n = o.set.count;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < N; i++) s += o.K[j * N + i]! * w[i]!;
          dy[o.offset + j] = s;
        }
        flops.count += 2 * n * N;
      }
      dy.set(w, cOffset);
    };
    const output = (k: number, _t: number, y: Float64Array): void => {
      const c = y.slice(cOffset);
      record(k, () => linear.params(c), new Map(observed.map((o) => [o.set, y.slice(o.offset, o.offset + o.set.count)])));
    };
    // Explicit steps until the flow turns stiff (non-separable data: the margins settle at the loss minimiser while
    // the Jacobian −K diag(σ'(m))/N keeps eigenvalues of order one), then RODAS4 on the same state.
    let stiff: { t: number; y: Float64Array; h: number } | undefined;
    const explicit = dopri5(rhs, y0, times, output, { ...ode, ...(opts.stiff === 'never' ? {} : { onStiff: (t: number, y: Float64Array, h: number) => void (stiff = { t, y: y.slice(), h }) }) });
    stats = explicit;
    segments.push({ method: 'dopri5', from: 0, to: explicit.stiffAt ?? tEnd, steps: explicit.steps });
    if (stiff) {
      const st = stiff;
      const first = times.findIndex((t) => t > st.t);
      const rest = rodas4(rhs, functionSpaceJacobian(N, observed, cOffset), st.t, st.y, times, first, output, {
        rtol: explicit.rtol,
        atol: explicit.atol,
        maxSteps: (opts.maxSteps ?? 1_000_000) - explicit.steps - explicit.rejected,
        h0: st.h,
        onStep: ode.onStep,
      });
      segments.push({ method: 'rodas4', from: st.t, to: tEnd, steps: rest.steps });
      stats = { ...explicit, steps: explicit.steps + rest.steps, rejected: explicit.rejected + rest.rejected, evaluations: explicit.evaluations + rest.evaluations };
    }
  } else {
    const kernel = model.train;
    const sets = pairSets(model.cp);
    const margins = new Float64Array(model.cp.train.count);
    const rhs = (_t: number, theta: Float64Array, dtheta: Float64Array): void => {
      kernel.evaluate(theta, margins, dtheta);
    };
    // the margins of every set are the observables whose error the step control also bounds
    const offsets: number[] = [];
    let size = 0;
    for (const s of sets) {
      offsets.push(size);
      size += s.count;
    }
    const controlled = opts.marginControl === 'all' ? sets : [model.cp.train];
    const observe = {
      size,
      evaluate(theta: Float64Array, out: Float64Array, fresh: boolean): void {
        sets.forEach((s, k) => {
          if (!controlled.includes(s) && !recording) return;
          const o = out.subarray(offsets[k]!, offsets[k]! + s.count);
          // the right-hand side just computed the train margins at this θ
          if (fresh && s === model.cp.train) o.set(margins);
          else model.paramMargins(theta, s, o);
        });
      },
    };
    const all = new Float64Array(size);
    let recording = false;
    stats = dopri5(rhs, model.initialParams(), times, (k, _t, theta) => {
      const th = theta.slice();
      recording = true;
      observe.evaluate(th, all, false);
      recording = false;
      record(k, () => model.fullParams(th), new Map(sets.map((s, j) => [s, all.slice(offsets[j]!, offsets[j]! + s.count)])));
    }, { ...ode, observe });
  }
  if (!linear) segments.push({ method: 'dopri5', from: 0, to: tEnd, steps: stats.steps });
  traj.solver = { method: segments.map((s) => s.method).join(' → '), form: linear ? 'function' : 'parameter', rtol: stats.rtol, atol: stats.atol, steps: stats.steps, rejected: stats.rejected, evaluations: stats.evaluations, segments };
}

/**
 * The linear solves of RODAS4 on the function-space state `[m, m̄…, c]`: `f` depends on the train margins `m`
 * only, through `w = σ(−m)/N`, so `J = −[K; K̄…; I] S` on the `m` columns (zero elsewhere) with
 * `S = diag(σ(m)σ(−m)/N)`. Solving `(I/(hγ) − J) x = b`: `(I/(hγ) + K S) x_m = b_m` (one `N × N` LU per step), then
 * every other block directly, `x_r = hγ (b_r − K̄_r S x_m)`.
 */
function functionSpaceJacobian(N: number, observed: { set: PairSet; K: Float64Array; offset: number }[], cOffset: number): StiffJacobian {
  const s = new Float64Array(N);
  const xm = new Float64Array(N);
  let hg = 1;
  const lu = new Float64Array(N * N);
  const piv = new Int32Array(N);
  const sol = new Float64Array(N);
  return {
    factor(y, hgNew) {
      hg = hgNew;
      for (let i = 0; i < N; i++) s[i] = sigmoidNeg(y[i]!) * sigmoidNeg(-y[i]!) / N;
      const K = observed[0]!.K; // the train set is observed first, at offset 0
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) lu[i * N + j] = (i === j ? 1 / hg : 0) + K[i * N + j]! * s[j]!;
      luFactor(lu, N, piv);
    },
    solve(b, x) {
      luSolve(lu, N, piv, b.subarray(0, N), sol);
      for (let i = 0; i < N; i++) xm[i] = sol[i]! * s[i]!; // S x_m, what the other blocks need
      for (const o of observed.slice(1)) {
        for (let j = 0; j < o.set.count; j++) {
          let acc = 0;
          for (let i = 0; i < N; i++) acc += o.K[j * N + i]! * xm[i]!;
          x[o.offset + j] = hg * (b[o.offset + j]! - acc);
        }
      }
      for (let i = 0; i < N; i++) x[cOffset + i] = hg * (b[cOffset + i]! - xm[i]!);
      for (let i = 0; i < N; i++) x[i] = sol[i]!;
    },
  };
}

function runOptimizer(model: ModelOnProblem, method: 'gd' | 'adam', times: readonly number[], opts: FlowOptions, traj: Trajectory, record: Recorder, order: readonly number[]): void {
  const lr = opts.lr ?? 0.1;
  if (!(lr > 0)) throw new RangeError(`lr must be > 0, got ${lr}`);
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = opts.adam ?? {};
  const theta = model.initialParams();
  const g = new Float64Array(theta.length);
  const mom = new Float64Array(theta.length);
  const vel = new Float64Array(theta.length);
  const margins = new Float64Array(model.cp.train.count);
  const sets = pairSets(model.cp);
  const tEnd = times[times.length - 1]!;
  let step = 0;
  for (let i = 0; i < times.length; i++) {
    const target = Math.round(times[i]! / lr);
    for (; step < target; step++) {
      model.train.evaluate(theta, margins, g); // g = −∇L
      if (method === 'gd') {
        for (let k = 0; k < theta.length; k++) theta[k]! += lr * g[k]!;
      } else {
        const c1 = 1 - Math.pow(beta1, step + 1);
        const c2 = 1 - Math.pow(beta2, step + 1);
        for (let k = 0; k < theta.length; k++) {
          const grad = -g[k]!;
          mom[k] = beta1 * mom[k]! + (1 - beta1) * grad;
          vel[k] = beta2 * vel[k]! + (1 - beta2) * grad * grad;
          theta[k]! -= (lr * (mom[k]! / c1)) / (Math.sqrt(vel[k]! / c2) + eps);
        }
      }
      if (opts.onProgress && step % 256 === 0) opts.onProgress(step * lr, tEnd);
    }
    traj.times[order[i]!] = step * lr;
    const direct = new Map(sets.map((s) => {
      const m = new Float64Array(s.count);
      model.paramMargins(theta, s, m);
      return [s, m] as const;
    }));
    record(i, () => model.fullParams(theta), direct);
  }
  traj.solver = { method, form: 'parameter', lr, steps: step, evaluations: step };
}
