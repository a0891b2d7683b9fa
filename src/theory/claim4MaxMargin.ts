/**
 * Claim 4 of docs/theory.md (Razin, Lin, Yao, Arora, arXiv 2507.07981): the EX-RM generalizes through representations.
 * With `z_i = h(x_i, y_i⁺) − h(x_i, y_i⁻)` and an evaluation pair's difference `z̄`,
 *
 *   (a)  dM̄/dt = (1/N) Σ_i σ(−m_i) <z̄, z_i>,   so `<z̄, z_i> > 0 ∀i` ⇒ the EX-RM margin rises strictly at every t;
 *   (b)  u(t) = û ln t + ρ(t), ρ bounded (Soudry et al. 2018, Thm 3), û = argmin ‖u‖ s.t. <u, z_i> ≥ 1 = Σ α_i z_i,
 *        so angle(u(t), û) = O(1/ln t), and each support vector has m_i − ln t → −ln(N α_i);
 *        an evaluation margin's slope dM̄/d ln t → <û, z̄>, so its eventual sign is sign <û, z̄>.
 *
 * The IM-RM on one-token pairs that share their prompt (Claim 3's setting) has margins linear in `ΔU = U − U_0`,
 * `m_i = <ΔU, g_i>_F` with features `g_i = β (e_{a_i} − e_{b_i}) h(x_i)ᵀ`, hence the same implicit bias:
 * `ΔU(t)/‖ΔU(t)‖_F → W/‖W‖_F`, `W = β Σ α_i (e_{a_i} − e_{b_i}) h(x_i)ᵀ` the minimum-Frobenius-norm solution of
 * `β <W_{a_i} − W_{b_i}, h(x_i)> ≥ 1`, α the dual of the Gram
 * `K_ij = β² (1[a_i=a_j] − 1[a_i=b_j] − 1[b_i=a_j] + 1[b_i=b_j]) <h(x_i), h(x_j)>`.
 *
 * Linearising the flow around the limit in `s = ln t` gives the rate: the support margins approach their limit like
 * `t^{−κ}` with `κ = min(λ_min(diag(√α) K_SS diag(√α)), min_{j∉S} <û, z_j> − 1)` (observed decay exponents match κ to a
 * few per cent once κ ≳ 0.1). On unconditioned random draws κ is often tiny — median ≈ 0.08 (EX-RM) and 0.10 (IM-RM);
 * a support vector with a small α_i is nearly degenerate — and then m_i − ln t is still 0.1–2 away from its limit at
 * t = 1e12. The instances are therefore selected: after the SVM is solved, every non-support `z_j` with
 * `<û, z_j> < 1 + gap` is pushed along `û` to `<û, z_j> = 1 + gap` (û, α and the support do not change), and the data
 * are redrawn until κ ≥ `minRate` (about 1 draw in 9 for the EX-RM, 1 in 20 for the IM-RM at the default 0.4).
 * `minRate: 0` gives the unselected instances. κ is reported with every run.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { dot, sigmoidNeg } from '../linalg/kernels.js';
import { compileProblem, type CompiledProblem, type Pair, type Problem } from '../models/problem.js';
import { exDifferences } from '../models/exRm.js';
import { train, type Trajectory } from '../dynamics/flow.js';
import { logspace } from '../dynamics/times.js';
import { makeRng, normalVector, type Rng } from '../random.js';
import { TableRepresentation } from '../representations/table.js';
import type { ModelKind } from '../models/model.js';
import { angleBetween, kktResiduals, kktResidualsFromGram, maxMarginDirection, maxMarginDual, type KktResiduals, type MaxMarginResult } from './maxMargin.js';
import type { ClaimCheck, Measurement } from './check.js';

// --- options ------------------------------------------------------------------------------------------------

/** Deliberately wrong variants: the tests use them to show the check can fail. */
export const CLAIM4_VARIANT = {
  /** Measure against the SVM direction rotated by `CLAIM4_ROTATION` rad (α kept): KKT and the drift of ρ must fail. */
  rotatedSvm: 'the max-margin direction rotated by 1e-2 rad',
  /** Evaluation pairs with `<z̄, z_i> < 0 ∀i` in the "rises strictly" set: part (a) must fail. */
  fallingEval: 'evaluation pairs with <z̄, z_i> < 0 for every i',
} as const;
export type Claim4Variant = keyof typeof CLAIM4_VARIANT;
export const isClaim4Variant = (x: unknown): x is Claim4Variant => typeof x === 'string' && Object.hasOwn(CLAIM4_VARIANT, x);

/** Rotation (rad) of the `rotatedSvm` variant. */
export const CLAIM4_ROTATION = 1e-2;

export interface Claim4Options {
  /** Train pairs `N`. @default drawn from 10…20 by the seed */
  pairs?: number;
  /** Hidden dimension `D`. @default drawn from 5…10 by the seed */
  dim?: number;
  /** IM-RM vocabulary size. @default 6 */
  vocab?: number;
  /** β of the IM-RM. @default 1 */
  beta?: number;
  /** Evaluation pairs in each of the sets `aligned` (`<z̄, z_i> > 0 ∀i`) and `random`. @default 6 */
  evalPairs?: number;
  /** Non-support margins under û (and W) are raised to at least `1 + gap`. @default 1 */
  gap?: number;
  /**
   * The data are redrawn until the predicted convergence exponent κ (see the file comment) is at least this, so that
   * the support margins reach their limit to 1e-3 by the last time. 0 accepts the first separable draw.
   * @default 0.4
   */
  minRate?: number;
  /** Standard deviation scale of `u_0` and `U_0` (entries `N(0, s²/D)`). @default 0.5 */
  initScale?: number;
  /** Requested times (must be non-decreasing, ≥ 0). @default [0, ...logspace(0, 12, 49)] */
  times?: readonly number[];
  /** Relative tolerance of the flow. @default 1e-10 */
  rtol?: number;
  variant?: Claim4Variant;
}

/** Named tolerances of the check. */
export const CLAIM4_TOLERANCE = {
  /** "Strictly positive": the smallest positive double. */
  strictlyPositive: Number.MIN_VALUE,
  /** KKT residuals of the SVM after maxMargin.ts's active-set polish. */
  kkt: 1e-9,
  /** ‖ρ(t_end) − ρ(t_3/4)‖ / ‖û‖ (ρ = u − û ln t; t_3/4 the time three quarters along the grid): ρ converges like t^{−κ}; the `rotatedSvm` variant drifts by 1e-2 · ln(t_end/t_3/4) ≈ 0.07. */
  drift: 1e-2,
  /**
   * max over the late half of angle(u(t), û) · ln t: O(1/ln t) with a modest constant on these instances (measured
   * worst over seeds 0–39: 1.74 EX-RM, 2.00 IM-RM).
   */
  angleLogT: 2.5,
  /** angle(t_end) / angle(t_mid): the angle shrinks (≈ ln t_mid / ln t_end = ½ for the default grid). */
  angleShrink: 0.75,
  /** max over support vectors of |m_i(t_end) − ln t_end + ln(N α_i)| (acceptance bound of the brief). */
  supportMargin: 1e-3,
  /** |dM̄/d ln t (t_end) − <û, z̄>| / (‖û‖ ‖z̄‖): the evaluation slope tends to <û, z̄>. */
  evalSlope: 1e-3,
  /**
   * Accepted ODE steps to t_end = 1e12: the step grows with t, so steps per decade stay bounded (measured worst over
   * seeds 0–39: 456 EX-RM, 613 IM-RM, about 50 per decade).
   */
  steps: 800,
} as const;

const DEFAULTS = { vocab: 6, beta: 1, evalPairs: 6, gap: 1, minRate: 0.4, initScale: 0.5, rtol: 1e-10 } as const;
/** Most redraws of an instance's data before giving up on `minRate`. */
const MAX_DRAWS = 1000;

export { claim4Message } from '../messages/theory.js';
import { claim4Message } from '../messages/theory.js';

/** The default grid: t = 0, then 49 times 1 … 1e12 (four per decade). */
export const claim4Times = (): number[] => [0, ...logspace(0, 12, 49)];

// --- instance -----------------------------------------------------------------------------------------------

/** A seeded instance: one Problem that carries both the EX-RM data (`z_i`) and the IM-RM data (tokens, `h(x_i)`). */
export interface Claim4Instance {
  problem: Problem;
  cp: CompiledProblem;
  N: number;
  D: number;
  V: number;
  /** EX-RM differences `z_i` (`N × D`) and the SVM: û, α, support. */
  Z: Float64Array;
  svm: { u: Float64Array; alpha: Float64Array; support: Int32Array };
  /** IM-RM features `g_i` flattened (`N × V·D`), Gram `K`, dual α and the min-norm solution `W` (`V × D`). */
  imFeatures: Float64Array;
  imGram: Float64Array;
  imAlpha: Float64Array;
  imW: Float64Array;
  /** Predicted convergence exponents κ (see the file comment) of the EX-RM and IM-RM support margins. */
  rate: { ex: number; im: number };
}

/** Builds the instance of a seed (see `Claim4Options`). */
export function claim4Instance(seed: number, opts: Claim4Options = {}): Claim4Instance {
  const rng = makeRng(`claim4/${seed}`);
  const N = opts.pairs ?? 10 + rng.int(11);
  const D = opts.dim ?? 5 + rng.int(6);
  const V = opts.vocab ?? DEFAULTS.vocab;
  const beta = opts.beta ?? DEFAULTS.beta;
  const E = opts.evalPairs ?? DEFAULTS.evalPairs;
  const gap = opts.gap ?? DEFAULTS.gap;
  const minRate = opts.minRate ?? DEFAULTS.minRate;
  const s0 = opts.initScale ?? DEFAULTS.initScale;

  // EX-RM: z_i = μ + noise, ‖μ‖ = 1.5, noise N(0, I/D), kept when <μ̂, z_i> ≥ 0.2 (separable through the origin);
  // the whole set is redrawn until its convergence exponent κ reaches `minRate`.
  const mu = unit(normalVector(rng, D));
  const Z = new Float64Array(N * D);
  let svm: MaxMarginResult | undefined;
  let kappaEx = -Infinity;
  for (let attempt = 0; kappaEx < minRate; attempt++) {
    if (attempt === MAX_DRAWS) throw new RangeError(claim4Message.noInstance('EX-RM', seed, minRate, MAX_DRAWS));
    for (let i = 0; i < N; ) {
      const z = normalVector(rng, D, 1 / Math.sqrt(D));
      for (let k = 0; k < D; k++) z[k]! += 1.5 * mu[k]!;
      if (dot(z, 0, mu, 0, D) < 0.2) continue;
      Z.set(z, i * D);
      i++;
    }
    const first = maxMarginDirection(Z, N, D);
    widenGap(Z, N, D, first.u, first.alpha, gap);
    svm = maxMarginDirection(Z, N, D);
    kappaEx = convergenceExponent(gram(Z, N, D), N, svm.alpha);
  }

  // IM-RM: a planted W* orients each pair so that β <W*_a − W*_b, h(x_i)> > 0: the constraints are feasible.
  // Redrawn, like the EX-RM data, until κ ≥ `minRate`.
  let tokens: [number, number][] = [];
  let prompts: Float64Array[] = [];
  let im: ReturnType<typeof imSolution> | undefined;
  let kappaIm = -Infinity;
  for (let attempt = 0; kappaIm < minRate; attempt++) {
    if (attempt === MAX_DRAWS) throw new RangeError(claim4Message.noInstance('IM-RM', seed, minRate, MAX_DRAWS));
    const Wstar = normalVector(rng, V * D);
    tokens = [];
    prompts = [];
    for (let i = 0; i < N; ) {
      const a = rng.int(V);
      const b = (a + 1 + rng.int(V - 1)) % V;
      const g = normalVector(rng, D, 1 / Math.sqrt(D));
      const diff = rowDifference(Wstar, a, b, D);
      const s = dot(diff, 0, g, 0, D);
      if (Math.abs(s) < 0.1 * norm(diff) * norm(g)) continue;
      tokens.push(s > 0 ? [a, b] : [b, a]);
      prompts.push(g);
      i++;
    }
    const first = imSolution(tokens, prompts, beta, V, D);
    // the same gap: push h(x_j) of non-support pairs along W_a − W_b (changes only g_j)
    for (let j = 0; j < N; j++) {
      if (first.alpha[j]! > 0) continue;
      const [a, b] = tokens[j]!;
      const w = rowDifference(first.W, a, b, D);
      const m = beta * dot(w, 0, prompts[j]!, 0, D);
      if (m < 1 + gap) {
        const c = (1 + gap - m) / (beta * dot(w, 0, w, 0, D));
        for (let k = 0; k < D; k++) prompts[j]![k]! += c * w[k]!;
      }
    }
    im = imSolution(tokens, prompts, beta, V, D);
    kappaIm = convergenceExponent(im.K, N, im.alpha);
  }

  // Representations: h(x_i) = prompt vector, h(x_i, y_i^±) = base_i ± z_i/2.
  const table = new TableRepresentation(D);
  const trainPairs: Pair[] = [];
  for (let i = 0; i < N; i++) {
    const [a, b] = tokens[i]!;
    const base = normalVector(rng, D, 1 / Math.sqrt(D));
    const z = Z.subarray(i * D, (i + 1) * D);
    table.set(i, [], prompts[i]!);
    table.set(i, [a], Float64Array.from(base, (x, k) => x + z[k]! / 2));
    table.set(i, [b], Float64Array.from(base, (x, k) => x - z[k]! / 2));
    trainPairs.push({ prompt: i, chosen: [a], rejected: [b] });
  }
  const evalPair = (prompt: number, zbar: Float64Array): Pair => {
    const base = normalVector(rng, D, 1 / Math.sqrt(D));
    table.set(prompt, [], normalVector(rng, D, 1 / Math.sqrt(D)));
    table.set(prompt, [0], Float64Array.from(base, (x, k) => x + zbar[k]! / 2));
    table.set(prompt, [1], Float64Array.from(base, (x, k) => x - zbar[k]! / 2));
    return { prompt, chosen: [0], rejected: [1] };
  };
  const aligned: Pair[] = [];
  for (let e = 0; e < E; ) {
    const z = normalVector(rng, D, 1 / Math.sqrt(D));
    for (let k = 0; k < D; k++) z[k]! += mu[k]!;
    let ok = true;
    for (let i = 0; i < N; i++) if (!(dot(z, 0, Z, i * D, D) > 0)) ok = false;
    if (!ok) continue;
    if (opts.variant === 'fallingEval') for (let k = 0; k < D; k++) z[k] = -z[k]!;
    aligned.push(evalPair(N + e, z));
    e++;
  }
  const random = Array.from({ length: E }, (_, e) => evalPair(N + E + e, normalVector(rng, D, 1 / Math.sqrt(D))));

  const problem: Problem = {
    vocabSize: V,
    hiddenDim: D,
    beta,
    reference: 'init',
    init: { u: normalVector(rng, D, s0 / Math.sqrt(D)), U: normalVector(rng, V * D, s0 / Math.sqrt(D)) },
    representation: table,
    train: trainPairs,
    eval: { aligned, random },
  };
  return {
    problem,
    cp: compileProblem(problem),
    N,
    D,
    V,
    Z,
    svm: svm!,
    imFeatures: im!.G,
    imGram: im!.K,
    imAlpha: im!.alpha,
    imW: im!.W,
    rate: { ex: kappaEx, im: kappaIm },
  };
}

/** Features, Gram matrix (the brief's closed form), dual α and W of the IM-RM one-token problem. */
function imSolution(tokens: readonly [number, number][], prompts: readonly Float64Array[], beta: number, V: number, D: number) {
  const N = tokens.length;
  const K = new Float64Array(N * N);
  const ind = (x: number, y: number): number => (x === y ? 1 : 0);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const [ai, bi] = tokens[i]!;
      const [aj, bj] = tokens[j]!;
      K[i * N + j] = beta * beta * (ind(ai, aj) - ind(ai, bj) - ind(bi, aj) + ind(bi, bj)) * dot(prompts[i]!, 0, prompts[j]!, 0, D);
    }
  }
  const alpha = maxMarginDual(K, N);
  const G = new Float64Array(N * V * D);
  const W = new Float64Array(V * D);
  for (let i = 0; i < N; i++) {
    const [a, b] = tokens[i]!;
    for (let k = 0; k < D; k++) {
      const x = beta * prompts[i]![k]!;
      G[i * V * D + a * D + k] = x;
      G[i * V * D + b * D + k] = -x;
      W[a * D + k]! += alpha[i]! * x;
      W[b * D + k]! -= alpha[i]! * x;
    }
  }
  return { K, alpha, G, W };
}

/** Pushes every non-support z_j along û until <û, z_j> ≥ 1 + gap; û, α and the support are unchanged. */
function widenGap(Z: Float64Array, N: number, D: number, u: Float64Array, alpha: Float64Array, gap: number): void {
  const uu = dot(u, 0, u, 0, D);
  for (let j = 0; j < N; j++) {
    if (alpha[j]! > 0) continue;
    const m = dot(u, 0, Z, j * D, D);
    if (m < 1 + gap) for (let k = 0; k < D; k++) Z[j * D + k]! += ((1 + gap - m) / uu) * u[k]!;
  }
}

/**
 * κ = min(λ_min(diag(√α_S) K_SS diag(√α_S)), min_{j∉S} (Kα)_j − 1): the exponent of the slowest decay `t^{−κ}` of
 * `m_i − ln t + ln(N α_i)` (linearisation of `dr/ds = (1/N) K e^{−r} − 1` around its fixed point, `s = ln t`).
 */
export function convergenceExponent(K: Float64Array, N: number, alpha: Float64Array): number {
  const S: number[] = [];
  for (let i = 0; i < N; i++) if (alpha[i]! > 0) S.push(i);
  const B = new Matrix(S.length, S.length);
  S.forEach((i, a) => S.forEach((j, b) => B.set(a, b, Math.sqrt(alpha[i]! * alpha[j]!) * K[i * N + j]!)));
  let kappa = Math.min(...new EigenvalueDecomposition(B, { assumeSymmetric: true }).realEigenvalues);
  for (let j = 0; j < N; j++) {
    if (alpha[j]! > 0) continue;
    let m = 0;
    for (const i of S) m += K[j * N + i]! * alpha[i]!;
    kappa = Math.min(kappa, m - 1);
  }
  return kappa;
}

// --- measurements on a trajectory ---------------------------------------------------------------------------

/** Angle-vs-time series of a model's (displacement of the) parameter against its max-margin direction. */
export interface DirectionSeries {
  model: ModelKind;
  /** Times t > 1 of the grid (ln t > 0). */
  times: number[];
  /** angle(θ(t) − θ_0 for the IM-RM, u(t) for the EX-RM; the max-margin direction), radians. */
  angle: number[];
  /** angle · ln t. */
  angleLogT: number[];
  /** Least-squares c of angle ≈ c / ln t over the late half of the times. */
  c: number;
  /** max over support vectors |m_i(t) − ln t + ln(N α_i)| at each time: decays like t^{−κ}. */
  supportDeviation: number[];
  /** Predicted convergence exponent κ of the support margins. */
  kappa: number;
  /** Accepted ODE steps to the last time. */
  steps: number;
}

/** Least-squares `c` in `y ≈ c / ln t` over the points with index ≥ `from`. */
export function fitInverseLog(times: readonly number[], y: readonly number[], from = 0): number {
  let num = 0;
  let den = 0;
  for (let k = from; k < times.length; k++) {
    const x = 1 / Math.log(times[k]!);
    num += x * y[k]!;
    den += x * x;
  }
  return num / den;
}

/**
 * The first time from which a margin series keeps the sign `sign` through the last recorded time: 0-crossings are
 * located by linear interpolation in ln t between the recorded times (in t when the earlier time is 0). Returns
 * `times[0]` when the sign holds throughout, `Infinity` when the last margin does not have it.
 */
export function signSettlingTime(times: readonly number[], margins: readonly number[], sign: number): number {
  const K = times.length;
  const has = (k: number): boolean => Math.sign(margins[k]!) === sign && sign !== 0;
  if (!has(K - 1)) return Infinity;
  let k = K - 1;
  while (k > 0 && has(k - 1)) k--;
  if (k === 0) return times[0]!;
  const [t0, t1, m0, m1] = [times[k - 1]!, times[k]!, margins[k - 1]!, margins[k]!];
  const f = m0 / (m0 - m1);
  return t0 > 0 ? Math.exp(Math.log(t0) + f * (Math.log(t1) - Math.log(t0))) : t0 + f * (t1 - t0);
}

/** What one run of Claim 4 produces: the instance, both trajectories, the series and the measurements. */
export interface Claim4Run {
  instance: Claim4Instance;
  ex: Trajectory;
  im: Trajectory;
  series: { ex: DirectionSeries; im: DirectionSeries };
  /** Per `random` evaluation pair: <û, z̄>/(‖û‖‖z̄‖), its sign, and the EX-RM margin's settling time to that sign. */
  signTimes: EvalSignTime[];
  measurements: Measurement[];
}

export interface EvalSignTime {
  /** cos(û, z̄). */
  cosine: number;
  /** sign <û, z̄>: the eventual sign of the EX-RM margin. */
  sign: number;
  /** First time from which the margin has that sign (see `signSettlingTime`); Infinity if not by the last time. */
  time: number;
  /** Margin at the last time. */
  finalMargin: number;
}

/** Trains both models on the instance of `seed` and measures Claim 4 (a) and (b). */
export function runClaim4(seed: number, opts: Claim4Options = {}): Claim4Run {
  const inst = claim4Instance(seed, opts);
  const { cp, N, D, V } = inst;
  const times = opts.times ?? claim4Times();
  const rtol = opts.rtol ?? DEFAULTS.rtol;
  const ex = train(cp, 'ex', times, { rtol, keepParams: true });
  const im = train(cp, 'im', times, { rtol, keepParams: true });
  const rot = makeRng(`claim4/rotation/${seed}`);
  const rotate = (x: Float64Array): Float64Array => (opts.variant === 'rotatedSvm' ? rotated(x, CLAIM4_ROTATION, rot) : x);
  const uHat = rotate(inst.svm.u);
  const W = rotate(inst.imW);

  const out: Measurement[] = [];
  const T = CLAIM4_TOLERANCE;

  // (a) evaluation pairs with <z̄, z_i> > 0 ∀i: successive differences of the margin, and the kernel formula.
  const alignedSet = cp.eval.find((s) => s.name === 'aligned')!;
  const Zbar = exDifferences(cp, alignedSet);
  const Mal = ex.margins.aligned!;
  const trainM = ex.margins.train!;
  const zMax = Math.max(...Array.from({ length: N }, (_, i) => Math.sqrt(dot(inst.Z, i * D, inst.Z, i * D, D))));
  let minRise = Infinity;
  let minFormula = Infinity;
  for (let p = 0; p < alignedSet.count; p++) {
    const M = Mal[p]!;
    const scale = Math.max(...M.map(Math.abs));
    for (let k = 0; k + 1 < times.length; k++) if (times[k + 1]! > times[k]!) minRise = Math.min(minRise, (M[k + 1]! - M[k]!) / scale);
    const zn = Math.sqrt(dot(Zbar, p * D, Zbar, p * D, D));
    for (let k = 0; k < times.length; k++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += sigmoidNeg(trainM[i]![k]!) * dot(Zbar, p * D, inst.Z, i * D, D);
      minFormula = Math.min(minFormula, (Math.max(times[k]!, 1) * s) / N / (zn * zMax));
    }
  }
  out.push(
    { name: 'EX-RM (a): min over aligned eval pairs and times of the margin rise between successive times / max|M|', value: minRise, tolerance: T.strictlyPositive, bound: 'lower' },
    { name: 'EX-RM (a): min of max(t,1)·(1/N)Σσ(−m_i)<z̄,z_i> / (‖z̄‖ max‖z_i‖) over aligned eval pairs and times', value: minFormula, tolerance: T.strictlyPositive, bound: 'lower' },
  );

  // (b) implicit bias, both models.
  const exSeries = measureBias('ex', times, ex, inst.Z, N, D, uHat, inst.svm.alpha, new Float64Array(D), inst.rate.ex, out);
  const U0 = cp.U0;
  const imSeries = measureBias('im', times, im, inst.imFeatures, N, V * D, W, inst.imAlpha, U0, inst.rate.im, out);
  const gramKkt = kktResidualsFromGram(inst.imGram, N, inst.imAlpha);
  out.push({ name: 'IM-RM (b): KKT residual of α on the closed-form Gram K (max of the four)', value: maxKkt(gramKkt), tolerance: T.kkt, bound: 'upper' });

  // Evaluation slopes: dM̄/d ln t = t (1/N) Σ σ(−m_i) <z̄, z_i> → <û, z̄>, and the time the margin takes that sign.
  const last = times.length - 1;
  const tEnd = times[last]!;
  const uNorm = norm(uHat);
  let slopeErr = 0;
  const signTimes: EvalSignTime[] = [];
  for (const set of cp.eval) {
    const Zs = exDifferences(cp, set);
    for (let p = 0; p < set.count; p++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += sigmoidNeg(trainM[i]![last]!) * dot(Zs, p * D, inst.Z, i * D, D);
      const target = dot(uHat, 0, Zs, p * D, D);
      const zn = Math.sqrt(dot(Zs, p * D, Zs, p * D, D));
      slopeErr = Math.max(slopeErr, Math.abs((tEnd * s) / N - target) / (uNorm * zn));
      if (set.name === 'random') {
        const M = ex.margins.random![p]!;
        const sign = Math.sign(target);
        signTimes.push({ cosine: target / (uNorm * zn), sign, time: signSettlingTime(times, M, sign), finalMargin: M[last]! });
      }
    }
  }
  out.push({ name: 'EX-RM (b): max over eval pairs |dM̄/d ln t (t_end) − <û, z̄>| / (‖û‖‖z̄‖)', value: slopeErr, tolerance: T.evalSlope, bound: 'upper' });

  return { instance: inst, ex, im, series: { ex: exSeries, im: imSeries }, signTimes, measurements: out };
}

/**
 * Measurements of (b) for one model: parameter displacement θ(t) − θ_ref against the max-margin direction `dir`
 * (features `F`, `N × d`, dual `alpha`). θ_ref is 0 for the EX-RM (so u_0 is part of ρ) and U_0 for the IM-RM.
 */
function measureBias(
  model: ModelKind,
  times: readonly number[],
  traj: Trajectory,
  F: Float64Array,
  N: number,
  d: number,
  dir: Float64Array,
  alpha: Float64Array,
  theta0: Float64Array,
  kappa: number,
  out: Measurement[],
): DirectionSeries {
  const T = CLAIM4_TOLERANCE;
  const label = model === 'ex' ? 'EX-RM (b)' : 'IM-RM (b)';
  const what = model === 'ex' ? 'u(t)' : 'ΔU(t)';
  const disp = traj.params!.map((p) => Float64Array.from(p, (x, k) => x - theta0[k]!));
  const idx = times.map((t, k) => (t > 1 ? k : -1)).filter((k) => k >= 0);
  const ts = idx.map((k) => times[k]!);
  const angle = idx.map((k) => angleBetween(disp[k]!, dir));
  const angleLogT = angle.map((a, j) => a * Math.log(ts[j]!));
  const half = Math.floor(ts.length / 2);
  const c = fitInverseLog(ts, angle, half);

  const rho = (k: number): Float64Array => Float64Array.from(disp[k]!, (x, i) => x - dir[i]! * Math.log(times[k]!));
  const last = times.length - 1;
  const q = Math.max(idx[0]!, Math.round((3 * last) / 4));
  const rEnd = rho(last);
  const rQ = rho(q);
  let dd = 0;
  for (let i = 0; i < d; i++) dd += (rEnd[i]! - rQ[i]!) ** 2;
  const drift = Math.sqrt(dd) / norm(dir);

  const supportDeviation = idx.map((k) => {
    let e = 0;
    for (let i = 0; i < N; i++) {
      if (alpha[i]! > 0) e = Math.max(e, Math.abs(traj.margins.train![i]![k]! - Math.log(times[k]!) + Math.log(N * alpha[i]!)));
    }
    return e;
  });
  const svErr = supportDeviation[supportDeviation.length - 1]!;
  const kkt = kktResiduals(F, N, d, dir, alpha);

  out.push(
    { name: `${label}: KKT residual of the max-margin solution (max of the four)`, value: maxKkt(kkt), tolerance: T.kkt, bound: 'upper' },
    { name: `${label}: ‖ρ(t_end) − ρ(t_3/4)‖/‖û‖, ρ = ${what} − û ln t`, value: drift, tolerance: T.drift, bound: 'upper' },
    { name: `${label}: max over the late half of angle(${what}, û)·ln t`, value: Math.max(...angleLogT.slice(half)), tolerance: T.angleLogT, bound: 'upper' },
    { name: `${label}: angle(t_end)/angle(t_mid)`, value: angle[angle.length - 1]! / angle[half]!, tolerance: T.angleShrink, bound: 'upper' },
    { name: `${label}: max over support vectors |m_i − ln t + ln(N α_i)| at t_end`, value: svErr, tolerance: T.supportMargin, bound: 'upper' },
    { name: `${label}: accepted ODE steps to t_end`, value: traj.solver.steps, tolerance: T.steps, bound: 'upper' },
  );
  return { model, times: ts, angle, angleLogT, c, supportDeviation, kappa, steps: traj.solver.steps };
}

// --- exports for figures ---------------------------------------------------------------------------------------

/** Angle-vs-t series and the fitted c of angle ≈ c/ln t for one model on the instance of `seed`. */
export function directionSeries(seed: number, kind: ModelKind, opts: Claim4Options = {}): DirectionSeries {
  return runClaim4(seed, opts).series[kind];
}

/** For each `random` evaluation pair of the instance of `seed`: sign <û, z̄> and the time the EX-RM margin settles to it. */
export function evalSignTimes(seed: number, opts: Claim4Options = {}): EvalSignTime[] {
  return runClaim4(seed, opts).signTimes;
}

/** The measurements of Claim 4 on the instance of `seed`. */
export function checkClaim4(seed: number, opts: Claim4Options = {}): Measurement[] {
  return runClaim4(seed, opts).measurements;
}

export const claim4: ClaimCheck = {
  claim: '4',
  statement: 'Theorem 2 (EX-RM): margins rise with <z̄, z_i> > 0; u(t) = û ln t + ρ(t) towards the hard-margin SVM (IM-RM one-token: min-norm W)',
  run: (seed) => checkClaim4(seed),
};

// --- small helpers -----------------------------------------------------------------------------------------------

function maxKkt(r: KktResiduals): number {
  return Math.max(r.primalFeasibility, r.dualFeasibility, r.stationarity, r.complementarity);
}

function norm(x: Float64Array): number {
  return Math.sqrt(dot(x, 0, x, 0, x.length));
}

function unit(x: Float64Array): Float64Array {
  const n = norm(x);
  return x.map((v) => v / n);
}

function rowDifference(W: Float64Array, a: number, b: number, D: number): Float64Array {
  return Float64Array.from({ length: D }, (_, k) => W[a * D + k]! - W[b * D + k]!);
}

function gram(Z: Float64Array, N: number, D: number): Float64Array {
  const K = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) K[i * N + j] = dot(Z, i * D, Z, j * D, D);
  return K;
}

/** `x` rotated by `angle` rad towards a random unit direction orthogonal to it (norm kept). */
function rotated(x: Float64Array, angle: number, rng: Rng): Float64Array {
  const n = norm(x);
  const xh = x.map((v) => v / n);
  const w = normalVector(rng, x.length);
  const c = dot(w, 0, xh, 0, x.length);
  for (let k = 0; k < x.length; k++) w[k]! -= c * xh[k]!;
  const wn = norm(w);
  return Float64Array.from(x, (_, k) => n * (Math.cos(angle) * xh[k]! + (Math.sin(angle) * w[k]!) / wn));
}
