/**
 * The paper's one-step reward changes are first-order statements (Razin, Lin, Yao, Arora, arXiv 2507.07981; docs/theory.md,
 * "The one-step reward change"): after one gradient-descent step `θ₁ = θ + η(−∇L(θ))`,
 *
 *   EX-RM   r(x̄, ȳ; u₁) − r(x̄, ȳ; u) = η (1/N) Σ_i σ(−m_i) <h(x̄, ȳ), h(x_i, y_i⁺) − h(x_i, y_i⁻)>     exactly (r is linear in u)
 *   IM-RM   r(x̄, ȳ; U₁) − r(x̄, ȳ; U) = η (1/N) Σ_i σ(−m_i) [Θ_IM(ȳ, y_i⁺) − Θ_IM(ȳ, y_i⁻)] + O(η²)     (Eq. 5)
 *
 * with `Θ_IM = β² Σ_{k,l} ρ_{k,l} <h̄_k, h_l>` and coefficients `ρ_{k,l} = τ = <e_{ȳ_k} − p̄_k, e_{y_l} − p_l> ∈ [−2, 2]`.
 * This file measures the remainder: the largest `|observed change − η·kernel prediction|` over all responses, for a
 * range of step sizes, and the slope of its log against `log η`, which is 2 when the prediction is exactly the first
 * order term (and 1 when it is wrong at first order, e.g. with the token factor replaced by token identity).
 */
import { dot } from '../linalg/kernels.js';
import { nextTokenDistribution } from '../models/imRm.js';
import { modelOn, type ModelKind } from '../models/model.js';
import type { CompiledProblem } from '../models/problem.js';
import { logspace } from '../dynamics/times.js';
import { allResponses, predictedRewardVelocity, rewardsAt, type RewardVelocityOptions } from './rewardVelocity.js';
import { tokenFactor } from './tangentKernel.js';

/** The step sizes of the check and the figure: 11 from 1e-6 to 1e-1. */
export const EQ5_STEP_SIZES = logspace(-6, -1, 11);

/** Tolerance on the fitted slope: `|slope − 2| ≤ 0.1`. */
export const EQ5_SLOPE_TOLERANCE = 0.1;
/** The EX-RM's one-step error relative to the largest reward: round-off only. */
export const EQ5_EX_ROUNDOFF = 1e-13;

export interface OneStepPoint {
  eta: number;
  /** Largest `|Δr − η · kernel prediction|` over the responses. */
  error: number;
  /** Largest `|Δr|` over the responses (the size of the change being predicted). */
  change: number;
}

/**
 * One gradient-descent step of each size from the full parameter `theta`, and the remainder of the kernel's
 * first-order prediction, over every response of `cp`.
 */
export function oneStepRemainders(kind: ModelKind, cp: CompiledProblem, theta: Float64Array, etas: readonly number[] = EQ5_STEP_SIZES, opts: RewardVelocityOptions = {}): OneStepPoint[] {
  const ids = allResponses(cp);
  const model = modelOn(kind, cp, { compress: false });
  const ascent = new Float64Array(theta.length);
  model.train.evaluate(theta, new Float64Array(cp.train.count), ascent);
  const r0 = rewardsAt(kind, cp, theta, ids);
  const velocity = predictedRewardVelocity(kind, cp, theta, ids, opts);
  return etas.map((eta) => {
    const stepped = Float64Array.from(theta);
    for (let k = 0; k < stepped.length; k++) stepped[k]! += eta * ascent[k]!;
    const r1 = rewardsAt(kind, cp, stepped, ids);
    let error = 0;
    let change = 0;
    for (let j = 0; j < ids.length; j++) {
      const d = r1[j]! - r0[j]!;
      change = Math.max(change, Math.abs(d));
      error = Math.max(error, Math.abs(d - eta * velocity[j]!));
    }
    return { eta, error, change };
  });
}

/** Least-squares slope of `log y` against `log x` (points with `y = 0` are skipped). */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const pts = xs.map((x, i) => [Math.log(x), Math.log(ys[i]!)] as const).filter(([, y]) => Number.isFinite(y));
  const n = pts.length;
  const mx = pts.reduce((s, [x]) => s + x, 0) / n;
  const my = pts.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

/** Largest `|ρ_{k,l}|` over every pair of token positions of the problem's responses, at `U`. */
export function maxCoefficient(cp: CompiledProblem, U: Float64Array): number {
  const { tokens, prefixRow } = cp.responses;
  const dist = new Map<number, Float64Array>();
  const p = (row: number) => {
    let d = dist.get(row);
    if (!d) dist.set(row, (d = nextTokenDistribution(cp, U, row)));
    return d;
  };
  let mx = 0;
  for (let a = 0; a < tokens.length; a++) {
    for (let b = 0; b < tokens.length; b++) {
      const pa = p(prefixRow[a]!);
      const pb = p(prefixRow[b]!);
      mx = Math.max(mx, Math.abs(tokenFactor(tokens[a]!, pa, tokens[b]!, pb, 'exact', dot(pa, 0, pb, 0, pa.length))));
    }
  }
  return mx;
}

export const EQ5_VARIANT = {
  /** The IM-RM's prediction with `τ = 1[a = b]`: wrong at first order, so the remainder is `O(η)`. */
  identity: 'the token factor replaced by token identity (deliberately wrong)',
} as const;
export type Eq5Variant = keyof typeof EQ5_VARIANT;

/** The slopes and round-off of the one-step check on the multi-token instances of one seed. */
export interface FirstOrderResult {
  /** Worst `|slope − 2|` of the IM-RM remainders over the instances. */
  imSlopeError: number;
  /** Fitted slopes, one per instance. */
  imSlopes: number[];
  /** Largest EX-RM remainder relative to the largest reward, over all step sizes. */
  exRelative: number;
  /** Largest `|ρ_{k,l}|` seen. */
  maxCoefficient: number;
}

/**
 * Runs the one-step comparison on multi-token instances (`instances`, e.g. Claim 1's): the IM-RM from each instance's
 * initial `U₀`, the EX-RM from a fixed nonzero `u`.
 */
export function firstOrderResult(instances: readonly CompiledProblem[], u: (cp: CompiledProblem) => Float64Array, opts: { variant?: Eq5Variant } = {}): FirstOrderResult {
  const out: FirstOrderResult = { imSlopeError: 0, imSlopes: [], exRelative: 0, maxCoefficient: 0 };
  for (const cp of instances) {
    const im = oneStepRemainders('im', cp, cp.U0, EQ5_STEP_SIZES, opts.variant ? { variant: opts.variant } : {});
    const slope = logLogSlope(im.map((p) => p.eta), im.map((p) => p.error));
    out.imSlopes.push(slope);
    out.imSlopeError = Math.max(out.imSlopeError, Number.isNaN(slope) ? Infinity : Math.abs(slope - 2));
    out.maxCoefficient = Math.max(out.maxCoefficient, maxCoefficient(cp, cp.U0));
    const theta = u(cp);
    const scale = Math.max(...Array.from(rewardsAt('ex', cp, theta, allResponses(cp)), Math.abs));
    for (const p of oneStepRemainders('ex', cp, theta)) out.exRelative = Math.max(out.exRelative, p.error / scale);
  }
  return out;
}

/** The check's measurements from a result. */
export function firstOrderMeasurements(r: FirstOrderResult): { name: string; value: number; tolerance: number; bound: 'upper' }[] {
  return [
    { name: 'Eq. 5, one GD step: |fitted slope − 2| of log|Δr − η·kernel| vs log η, η ∈ [1e-6, 0.1]', value: r.imSlopeError, tolerance: EQ5_SLOPE_TOLERANCE, bound: 'upper' },
    { name: 'EX-RM one GD step: max |Δr − η·kernel| / max|r| (exact: linear in u)', value: r.exRelative, tolerance: EQ5_EX_ROUNDOFF, bound: 'upper' },
    { name: 'Eq. 5 coefficients: max |ρ_{k,l}| ≤ 2', value: r.maxCoefficient, tolerance: 2, bound: 'upper' },
  ];
}
