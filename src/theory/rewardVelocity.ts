/**
 * The kernel's prediction of how fast every reward moves (docs/theory.md, Claim 1), shared by the reward-dynamics
 * check (`claim1RewardDynamics.ts`) and the first-order check of the one-step change (`eq5FirstOrder.ts`).
 */
import { exRewards } from '../models/exRm.js';
import { imRewards } from '../models/imRm.js';
import type { ModelKind } from '../models/model.js';
import type { CompiledProblem } from '../models/problem.js';
import { sigmoidNeg } from '../linalg/kernels.js';
import { tangentKernel, type TokenFactorVariant } from './tangentKernel.js';

export interface RewardVelocityOptions {
  /** Token factor of the IM-RM kernel; `'identity'` is deliberately wrong. @default 'exact' */
  variant?: TokenFactorVariant;
}

/** Rewards of the listed responses at a full parameter (`u`, or `U` as `|V| × D`). */
export function rewardsAt(kind: ModelKind, cp: CompiledProblem, theta: Float64Array, responses: ArrayLike<number>): Float64Array {
  return kind === 'ex' ? exRewards(cp, theta, responses) : imRewards(cp, theta, responses);
}

/** Ids of every response of the compiled problem (train and evaluation). */
export const allResponses = (cp: CompiledProblem): Int32Array => Int32Array.from({ length: cp.responses.count }, (_, i) => i);

/**
 * The kernel's prediction `dr/dt = (1/N) Σ_i σ(−m_i) [Θ(·, y_i⁺) − Θ(·, y_i⁻)]` for each listed response, at the full
 * parameter `theta`. The train margins `m_i` are differences of rewards.
 */
export function predictedRewardVelocity(
  kind: ModelKind,
  cp: CompiledProblem,
  theta: Float64Array,
  responses: ArrayLike<number> = allResponses(cp),
  opts: RewardVelocityOptions = {},
): Float64Array {
  const theta_ = tangentKernel(kind, cp, theta, opts);
  const { chosen, rejected, count: N } = cp.train;
  const rc = rewardsAt(kind, cp, theta, chosen);
  const rr = rewardsAt(kind, cp, theta, rejected);
  const w = Float64Array.from({ length: N }, (_, i) => sigmoidNeg(rc[i]! - rr[i]!) / N);
  return Float64Array.from({ length: responses.length }, (_, j) => {
    const a = responses[j]!;
    let s = 0;
    for (let i = 0; i < N; i++) s += w[i]! * (theta_(a, chosen[i]!) - theta_(a, rejected[i]!));
    return s;
  });
}

export const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

