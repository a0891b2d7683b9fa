/**
 * Claim 2 of docs/theory.md (Razin, Lin, Yao, Arora, arXiv 2507.07981): the IM-RM's token factor is close to token
 * identity while next-token distributions are spread. Exactly,
 *
 *   |τ − 1[a = b]| = |<p̄, p> − p̄(b) − p(a)| ≤ max(p̄(b) + p(a), <p̄, p>),   and at uniform p:  τ = 1[a = b] − 1/|V|,
 *
 * and for one-token pairs that share their prompt the margin kernel is exactly token identity:
 *
 *   dM̄/dt = (β²/N) Σ_i σ(−m_i) (1[ȳ⁺=y_i⁺] − 1[ȳ⁺=y_i⁻] − 1[ȳ⁻=y_i⁺] + 1[ȳ⁻=y_i⁻]) <h(x̄), h(x_i)>.
 *
 * The check tests the bound on random and trained distributions, the uniform constant, and the identity margin
 * kernel against Claim 1's kernel along a trajectory; it also measures how far τ is from identity as `|V|` grows
 * (at a small random initialisation) and as training concentrates `p` (`tokenFactorGapByVocab`,
 * `tokenFactorAlongTrajectory`, series for the figures).
 */
import { train } from '../dynamics/flow.js';
import { dot, sigmoidNeg } from '../linalg/kernels.js';
import { imRewards, nextTokenDistribution } from '../models/imRm.js';
import { compileProblem, type CompiledProblem, type PairSet } from '../models/problem.js';
import { makeRng, normalVector, type Rng } from '../random.js';
import type { ClaimCheck, Measurement } from './check.js';
import { maxAbs, predictedRewardVelocity, randomInstance } from './claim1RewardDynamics.js';
import { imTangentKernel, softmax, tokenFactor } from './tangentKernel.js';

export const CLAIM2_VARIANT = {
  exact: 'the bound and the uniform constant as stated',
  'bound-without-overlap': 'claims |τ − 1[a=b]| ≤ p̄(b) + p(a), dropping <p̄, p> (deliberately wrong)',
  'uniform-constant': 'claims τ = 1[a=b] − 2/|V| at uniform p (deliberately wrong)',
} as const;
export type Claim2Variant = keyof typeof CLAIM2_VARIANT;

export interface Claim2Options {
  /** @default 'exact' */
  variant?: Claim2Variant;
}

/** Exact identities computed in a few dozen floating-point operations. */
export const CLAIM2_ROUNDOFF = 64 * Number.EPSILON;
/** The identity margin kernel against Claim 1's kernel (both exact; relative to the largest `|dM/dt|`). */
export const CLAIM2_MARGIN_KERNEL_TOLERANCE = 1e-10;
/** `|V| · mean|τ − 1[a=b]|` at a small random initialisation: about 1 (τ ≈ 1[a=b] − 1/|V|). */
export const CLAIM2_SPREAD_GAP_BOUND = 1.5;
/** Training to t = 1e3 must concentrate p enough to grow the kernel's distance from token identity this many times. */
export const CLAIM2_DEGRADATION_FACTOR = 2;

// --- the bound and the uniform constant ---------------------------------------------------------------------

/** The claimed bound on `|τ − 1[a=b]|`. */
export function tokenFactorBound(a: number, pbar: Float64Array, b: number, p: Float64Array, opts: Claim2Options = {}): number {
  const near = pbar[b]! + p[a]!;
  return opts.variant === 'bound-without-overlap' ? near : Math.max(near, dot(pbar, 0, p, 0, p.length));
}

/** The claimed `τ` at uniform distributions over `|V|` tokens. */
export function uniformTokenFactor(a: number, b: number, vocab: number, opts: Claim2Options = {}): number {
  return (a === b ? 1 : 0) - (opts.variant === 'uniform-constant' ? 2 : 1) / vocab;
}

/** Random next-token distributions: softmax of Gaussian logits at temperatures from spread to concentrated. */
function randomDistribution(rng: Rng, V: number, scale: number, boost?: { token: number; size: number }): Float64Array {
  const z = normalVector(rng, V, scale);
  if (boost) z[boost.token]! += boost.size;
  return softmax(z);
}

export interface BoundResult {
  /** Largest `|τ − 1[a=b]| − bound` (≤ 0 up to round-off when the bound holds). */
  violation: number;
  /** Largest `|τ − <e_a − p̄, e_b − p>|`: the closed form against the inner product written out. */
  innerProduct: number;
  samples: number;
}

/**
 * The bound over `samples` random pairs of distributions (a third of them concentrated on a common token other
 * than `a` and `b`, where `<p̄, p>` dominates), plus every pair of distributions in `extra` with all token pairs.
 */
export function tokenFactorBoundCheck(seed: number, opts: Claim2Options & { samples?: number; extra?: Float64Array[] } = {}): BoundResult {
  const rng = makeRng(`claim2-bound/${seed}`);
  const out: BoundResult = { violation: -Infinity, innerProduct: 0, samples: 0 };
  const test = (a: number, pbar: Float64Array, b: number, p: Float64Array): void => {
    const tau = tokenFactor(a, pbar, b, p);
    const same = a === b ? 1 : 0;
    out.violation = Math.max(out.violation, Math.abs(tau - same) - tokenFactorBound(a, pbar, b, p, opts));
    let ip = 0; // <e_a − p̄, e_b − p>, coordinate by coordinate
    for (let v = 0; v < p.length; v++) ip += ((v === a ? 1 : 0) - pbar[v]!) * ((v === b ? 1 : 0) - p[v]!);
    out.innerProduct = Math.max(out.innerProduct, Math.abs(tau - ip));
    out.samples++;
  };
  const vocabs = [2, 3, 5, 10, 50];
  const scales = [0.1, 1, 4, 16];
  for (let s = 0; s < (opts.samples ?? 600); s++) {
    const V = vocabs[s % vocabs.length]!;
    const scale = scales[Math.floor(s / vocabs.length) % scales.length]!;
    const a = rng.int(V);
    const b = rng.uniform() < 1 / 3 ? a : rng.int(V);
    let boost: { token: number; size: number } | undefined;
    if (s % 3 === 0 && V > 2) {
      let c = rng.int(V);
      while (c === a || c === b) c = rng.int(V);
      boost = { token: c, size: 2 + 8 * rng.uniform() };
    }
    test(a, randomDistribution(rng, V, scale, boost), b, randomDistribution(rng, V, scale, boost));
  }
  const extra = opts.extra ?? [];
  for (const pbar of extra) for (const p of extra) for (let a = 0; a < p.length; a++) for (let b = 0; b < p.length; b++) test(a, pbar, b, p);
  return out;
}

/**
 * Largest `|τ − claimed uniform value|` at uniform distributions (softmax of zero logits, as `U = 0` gives), over
 * all token pairs (a sample of them for large `|V|`).
 */
export function uniformTokenFactorError(opts: Claim2Options & { vocabs?: number[] } = {}): number {
  let worst = 0;
  for (const V of opts.vocabs ?? [2, 3, 7, 10, 100, 1000]) {
    const p = softmax(new Float64Array(V));
    const overlap = dot(p, 0, p, 0, V);
    const step = Math.max(1, Math.floor(V / 50));
    for (let a = 0; a < V; a += step) for (let b = 0; b < V; b += step) worst = Math.max(worst, Math.abs(tokenFactor(a, p, b, p, 'exact', overlap) - uniformTokenFactor(a, b, V, opts)));
  }
  return worst;
}

// --- the margin kernel of one-token pairs --------------------------------------------------------------------

/** Whether every response of a set is one token long. */
function oneToken(cp: CompiledProblem, set: PairSet): boolean {
  const { start } = cp.responses;
  for (let i = 0; i < set.count; i++) for (const r of [set.chosen[i]!, set.rejected[i]!]) if (start[r + 1]! - start[r]! !== 1) return false;
  return true;
}

/**
 * `dM̄/dt` of each pair of `set` by the token-identity formula, at the unembedding `U` (full). Needs one-token train
 * and evaluation responses (each pair's two responses share its prompt by construction).
 */
export function identityMarginVelocity(cp: CompiledProblem, U: Float64Array, set: PairSet): Float64Array {
  if (!oneToken(cp, cp.train) || !oneToken(cp, set)) throw new RangeError('identityMarginVelocity: every response must be one token long');
  const { tokens, prefixRow, start } = cp.responses;
  const { H, hiddenDim: D, beta } = cp;
  const tr = cp.train;
  const N = tr.count;
  const rc = imRewards(cp, U, tr.chosen);
  const rr = imRewards(cp, U, tr.rejected);
  const tok = (r: number) => tokens[start[r]!]!;
  const row = (r: number) => prefixRow[start[r]!]!;
  const eq = (a: number, b: number) => (a === b ? 1 : 0);
  return Float64Array.from({ length: set.count }, (_, j) => {
    const cp_ = tok(set.chosen[j]!);
    const cm = tok(set.rejected[j]!);
    const hx = row(set.chosen[j]!) * D;
    let s = 0;
    for (let i = 0; i < N; i++) {
      const yp = tok(tr.chosen[i]!);
      const ym = tok(tr.rejected[i]!);
      const ident = eq(cp_, yp) - eq(cp_, ym) - eq(cm, yp) + eq(cm, ym);
      if (ident !== 0) s += sigmoidNeg(rc[i]! - rr[i]!) * ident * dot(H, hx, H, row(tr.chosen[i]!) * D, D);
    }
    return (beta * beta * s) / N;
  });
}

/**
 * Largest `|identity formula − Claim 1 kernel|` of `dM/dt` over the pairs of every set, relative to the largest
 * `|dM/dt|` at the time, worst over `times` along the IM-RM's flow.
 */
export function marginKernelError(cp: CompiledProblem, times: number[] = [0, 1, 10, 100]): number {
  const traj = train(cp, 'im', times, { keepParams: true });
  let worst = 0;
  for (const U of traj.params!) {
    const sets = [cp.train, ...cp.eval];
    const ident = sets.map((s) => identityMarginVelocity(cp, U, s));
    const kernel = sets.map((s) => {
      const v = predictedRewardVelocity('im', cp, U, [...s.chosen, ...s.rejected]);
      return Float64Array.from({ length: s.count }, (_, i) => v[i]! - v[s.count + i]!);
    });
    const scale = Math.max(...kernel.map(maxAbs));
    sets.forEach((_, k) => ident[k]!.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - kernel[k]![i]!) / scale))));
  }
  return worst;
}

// --- how close τ is to identity ------------------------------------------------------------------------------

export interface GapPoint {
  vocab: number;
  /** Mean and largest `|τ − 1[a=b]|` over all token pairs and pairs of prompts. */
  meanGap: number;
  maxGap: number;
}

export interface GapByVocabOptions {
  seed?: number;
  /** @default [10, 100, 1000] */
  vocabs?: number[];
  /** @default 16 */
  dim?: number;
  /** Standard deviation of the entries of `U_0` (prompt vectors have unit norm). @default 0.1 */
  initScale?: number;
  /** Prompts whose next-token distributions are compared pairwise (`|V|²` token pairs per pair of prompts). @default 2 */
  prompts?: number;
}

/** Mean `|τ − 1[a=b]|` at a small random `U_0`, for each vocabulary size: about `1/|V|`. */
export function tokenFactorGapByVocab(opts: GapByVocabOptions = {}): GapPoint[] {
  const D = opts.dim ?? 16;
  const s = opts.initScale ?? 0.1;
  return (opts.vocabs ?? [10, 100, 1000]).map((V) => {
    const rng = makeRng(`claim2-vocab/${opts.seed ?? 0}/${V}`);
    const U = normalVector(rng, V * D, s);
    const dists = Array.from({ length: opts.prompts ?? 2 }, () => {
      const h = normalVector(rng, D, 1 / Math.sqrt(D));
      return softmax(Float64Array.from({ length: V }, (_, v) => dot(U, v * D, h, 0, D)));
    });
    let sum = 0;
    let max = 0;
    let n = 0;
    for (const pbar of dists) {
      for (const p of dists) {
        const overlap = dot(pbar, 0, p, 0, V);
        // |τ − 1[a=b]| = |<p̄, p> − p(a) − p̄(b)| for a = b and a ≠ b alike: the |V|² loop without a call per pair
        for (let a = 0; a < V; a++) {
          const c = overlap - p[a]!;
          for (let b = 0; b < V; b++) {
            const g = Math.abs(c - pbar[b]!);
            sum += g;
            if (g > max) max = g;
          }
        }
        n += V * V;
      }
    }
    return { vocab: V, meanGap: sum / n, maxGap: max };
  });
}

export interface TrajectoryGapPoint {
  t: number;
  /** Mean and largest `|τ − 1[a=b]|` over the (token, prefix) pairs of train responses that enter `Θ_IM`. */
  meanGap: number;
  maxGap: number;
  /** Largest next-token probability at a train prefix: how concentrated `p` has become. */
  maxProb: number;
  /** `max |Θ_IM − Θ_identity| / max |Θ_IM|` over pairs of train responses (identity: τ = 1[a=b]). */
  kernelGap: number;
}

/** How far τ is from token identity at the unembedding `U` (full), over the train responses of `cp`. */
export function tokenFactorGapAt(cp: CompiledProblem, U: Float64Array): Omit<TrajectoryGapPoint, 't'> {
  const { start, tokens, prefixRow } = cp.responses;
  const responses = trainResponses(cp);
  const positions = responses.flatMap((r) => Array.from({ length: start[r + 1]! - start[r]! }, (_, k) => start[r]! + k));
  const dist = new Map<number, Float64Array>();
  const p = (row: number) => dist.get(row) ?? dist.set(row, nextTokenDistribution(cp, U, row)).get(row)!;
  let sum = 0;
  let max = 0;
  for (const k of positions) {
    for (const l of positions) {
      const g = Math.abs(tokenFactor(tokens[k]!, p(prefixRow[k]!), tokens[l]!, p(prefixRow[l]!)) - (tokens[k] === tokens[l] ? 1 : 0));
      sum += g;
      max = Math.max(max, g);
    }
  }
  let maxProb = 0;
  for (const q of dist.values()) maxProb = Math.max(maxProb, maxAbs(q));
  const exact = imTangentKernel(cp, U);
  const ident = imTangentKernel(cp, U, { variant: 'identity' });
  let num = 0;
  let den = 0;
  for (const a of responses) {
    for (const b of responses) {
      const e = exact(a, b);
      num = Math.max(num, Math.abs(e - ident(a, b)));
      den = Math.max(den, Math.abs(e));
    }
  }
  return { meanGap: sum / positions.length ** 2, maxGap: max, maxProb, kernelGap: num / den };
}

/** `tokenFactorGapAt` along the IM-RM's gradient flow on `cp`. */
export function tokenFactorAlongTrajectory(cp: CompiledProblem, times: number[] = [0, 1, 10, 100, 1000]): TrajectoryGapPoint[] {
  const traj = train(cp, 'im', times, { keepParams: true });
  return traj.times.map((t, i) => ({ t, ...tokenFactorGapAt(cp, traj.params![i]!) }));
}

const trainResponses = (cp: CompiledProblem): number[] => [...new Set([...cp.train.chosen, ...cp.train.rejected])];

// --- the check ----------------------------------------------------------------------------------------------

/** Runs Claim 2's measurements on the instances of one seed. */
export function checkTokenFactor(seed: number, opts: Claim2Options = {}): Measurement[] {
  // a one-token instance with a vocabulary large enough for p to start spread, trained until it concentrates
  const trained = compileProblem(randomInstance({ seed, vocab: 20, dim: 8, pairs: 6, initScale: 0.1 }));
  const traj = train(trained, 'im', [0, 1e3], { keepParams: true });
  const [first, last] = traj.params!.map((U) => tokenFactorGapAt(trained, U));
  const rows = new Set(trainResponses(trained).flatMap((r) => [...trained.responses.prefixRow.subarray(trained.responses.start[r]!, trained.responses.start[r + 1]!)]));
  const trainedDists = [...rows].map((row) => nextTokenDistribution(trained, traj.params![1]!, row));
  const bound = tokenFactorBoundCheck(seed, { ...opts, extra: trainedDists });
  const spread = tokenFactorGapByVocab({ seed });
  const shared = compileProblem(randomInstance({ seed, initScale: 0.5, evalPairs: 6 }));
  return [
    { name: 'max (|τ − 1[a=b]| − max(p̄(b) + p(a), <p̄, p>)) over random and trained distributions', value: bound.violation, tolerance: CLAIM2_ROUNDOFF, bound: 'upper' },
    { name: '|τ − <e_a − p̄, e_b − p>| (closed form vs inner product)', value: bound.innerProduct, tolerance: CLAIM2_ROUNDOFF, bound: 'upper' },
    { name: 'uniform p: |τ − (1[a=b] − 1/|V|)|, |V| = 2 … 1000', value: uniformTokenFactorError(opts), tolerance: CLAIM2_ROUNDOFF, bound: 'upper' },
    { name: 'one-token shared prompt: |identity margin kernel − Claim 1 kernel| / max|dM/dt|', value: marginKernelError(shared), tolerance: CLAIM2_MARGIN_KERNEL_TOLERANCE, bound: 'upper' },
    { name: 'small random U_0: max over |V| ∈ {10, 100, 1000} of |V| · mean|τ − 1[a=b]|', value: Math.max(...spread.map((g) => g.vocab * g.meanGap)), tolerance: CLAIM2_SPREAD_GAP_BOUND, bound: 'upper' },
    { name: 'training concentrates p: max|Θ_IM − Θ_identity| / max|Θ_IM| on train responses, t = 1e3 over t = 0', value: last!.kernelGap / first!.kernelGap, tolerance: CLAIM2_DEGRADATION_FACTOR, bound: 'lower' },
  ];
}

export const claim2: ClaimCheck = {
  claim: '2',
  statement: 'Eq. 5 coefficients: |τ − 1[a=b]| ≤ max(p̄(b) + p(a), <p̄, p>); τ = 1[a=b] − 1/|V| at uniform p; one-token shared-prompt margin kernel = token identity',
  run: (seed) => checkTokenFactor(seed),
};
