/**
 * Claim 1 of docs/theory.md (Razin, Lin, Yao, Arora, arXiv 2507.07981): under gradient flow on the Bradley–Terry loss,
 * the reward of any response moves by the tangent kernel of the training pairs,
 *
 *   d r(x̄, ȳ)/dt = (1/N) Σ_i σ(−m_i) [Θ(x̄ȳ, x_i y_i⁺) − Θ(x̄ȳ, x_i y_i⁻)],
 *
 * with `Θ_EX` and `Θ_IM` of `tangentKernel.ts`. The check predicts `dr/dt` of every train and evaluation response
 * at several times along an integrated trajectory and compares it with three observations: a fourth-order central
 * difference in `t` of the rewards along the flow (integrated at a tight tolerance), one small gradient step from
 * `θ(t)` (two forward steps, `η` and `2η`, Richardson-combined to remove the `O(η)` curvature term), and the exact
 * derivative `<∇r, −∇L>` from the models' own reward and loss gradients. Errors are relative to the largest
 * `|dr/dt|` over the responses at that time (a single derivative passes through zero).
 */
import { exRewardGradient } from '../models/exRm.js';
import { imRewardGradient } from '../models/imRm.js';
import { modelOn, type ModelKind } from '../models/model.js';
import { compileProblem, type CompiledProblem, type Pair, type Problem, type Reference } from '../models/problem.js';
import { train } from '../dynamics/flow.js';
import { dot } from '../linalg/kernels.js';
import { makeRng, normalVector } from '../random.js';
import { GaussianRepresentation } from '../representations/gaussian.js';
import type { ClaimCheck, Measurement } from './check.js';
import { allResponses, maxAbs, predictedRewardVelocity, rewardsAt, type RewardVelocityOptions } from './rewardVelocity.js';
import { firstOrderMeasurements, firstOrderResult, type Eq5Variant } from './eq5FirstOrder.js';

export { allResponses, maxAbs, predictedRewardVelocity, rewardsAt, type RewardVelocityOptions } from './rewardVelocity.js';

/** Tolerance of Claim 1's comparisons (relative to the largest `|dr/dt|` at the time). */
export const CLAIM1_TOLERANCE = 1e-6;
/** Tolerance of the kernel against `<∇r, −∇L>`: the same number by two exact formulas, so round-off only. */
export const CLAIM1_EXACT_TOLERANCE = 1e-10;

// --- instances ----------------------------------------------------------------------------------------------

export interface RandomInstanceOptions {
  seed: number;
  /** @default 7 */
  vocab?: number;
  /** @default 5 */
  dim?: number;
  /** Train pairs. @default 5 */
  pairs?: number;
  /** Response lengths are drawn from `1 … maxLength`. @default 1 */
  maxLength?: number;
  /** @default 1 */
  beta?: number;
  /** @default 'init' */
  reference?: Reference;
  /** Standard deviation of the entries of a Gaussian `U_0` and `u_0`; 0 = zero init. @default 0 */
  initScale?: number;
  /** Evaluation pairs (set `eval`): half on train prompts (shared prefixes), half on new prompts. @default 4 */
  evalPairs?: number;
}

/**
 * A small seeded instance: Gaussian representations (norm ≈ 1.5), random tokens, train pairs on `N − 1` prompts (so
 * two pairs share a prompt), optional random initial parameters. A small vocabulary makes train and evaluation
 * responses share tokens and prefixes.
 */
export function randomInstance(o: RandomInstanceOptions): Problem {
  const V = o.vocab ?? 7;
  const D = o.dim ?? 5;
  const N = o.pairs ?? 5;
  const L = o.maxLength ?? 1;
  const E = o.evalPairs ?? 4;
  const rng = makeRng(`theory-instance/${o.seed}/${V}/${D}/${N}/${L}`);
  const response = (): number[] => Array.from({ length: 1 + rng.int(L) }, () => rng.int(V));
  const pair = (prompt: number): Pair => {
    const chosen = response();
    let rejected = response();
    while (rejected.join() === chosen.join()) rejected = response();
    return { prompt, chosen, rejected };
  };
  const prompts = Math.max(1, N - 1);
  const s = o.initScale ?? 0;
  return {
    vocabSize: V,
    hiddenDim: D,
    beta: o.beta ?? 1,
    reference: o.reference ?? 'init',
    ...(s > 0 ? { init: { u: normalVector(rng, D, s), U: normalVector(rng, V * D, s) } } : {}),
    representation: new GaussianRepresentation(D, o.seed, 1.5),
    train: Array.from({ length: N }, (_, i) => pair(i % prompts)),
    eval: { eval: Array.from({ length: E }, (_, i) => pair(i % 2 === 0 ? i % prompts : 1000 + i)) },
  };
}

// --- the observations ---------------------------------------------------------------------------------------

/** `<∇r, −∇L>` for each listed response, from the models' reward gradients and train-set loss gradient. */
export function exactRewardVelocity(kind: ModelKind, cp: CompiledProblem, theta: Float64Array, responses: ArrayLike<number> = allResponses(cp)): Float64Array {
  const ascent = lossAscent(kind, cp, theta);
  return Float64Array.from({ length: responses.length }, (_, j) => {
    const g = kind === 'ex' ? exRewardGradient(cp, responses[j]!) : imRewardGradient(cp, theta, responses[j]!);
    return dot(g, 0, ascent, 0, g.length);
  });
}

/** `−∇L` of the train set at a full parameter (uncompressed). */
function lossAscent(kind: ModelKind, cp: CompiledProblem, theta: Float64Array): Float64Array {
  const model = modelOn(kind, cp, { compress: false });
  const ascent = new Float64Array(theta.length);
  model.train.evaluate(theta, new Float64Array(cp.train.count), ascent);
  return ascent;
}

/**
 * `dr/dt` observed from gradient steps `θ + η(−∇L)`: `2 D(η) − D(2η)` with `D(η) = (r(θ + η(−∇L)) − r(θ))/η`, which
 * removes the `O(η)` term of a single step. `η` makes the step's length `stepLength` (in parameter norm).
 */
export function gradientStepRewardVelocity(kind: ModelKind, cp: CompiledProblem, theta: Float64Array, responses: ArrayLike<number>, stepLength = 1e-4): Float64Array {
  const ascent = lossAscent(kind, cp, theta);
  const norm = Math.sqrt(dot(ascent, 0, ascent, 0, ascent.length));
  const eta = norm > 0 ? stepLength / norm : 0;
  if (eta === 0) return new Float64Array(responses.length);
  const stepped = (e: number): Float64Array => rewardsAt(kind, cp, Float64Array.from(theta, (x, k) => x + e * ascent[k]!), responses);
  const r0 = rewardsAt(kind, cp, theta, responses);
  const r1 = stepped(eta);
  const r2 = stepped(2 * eta);
  return Float64Array.from(r0, (r, j) => (2 * (r1[j]! - r)) / eta - (r2[j]! - r) / (2 * eta));
}

export interface RewardDynamicsOptions extends RewardVelocityOptions {
  /** Times at which the prediction is compared. @default [0.3, 3, 30] */
  times?: number[];
  /** Finite-difference step in t, relative to each time. @default 0.01 */
  relativeDelta?: number;
  /** Relative tolerance of the integration. @default 1e-12 */
  rtol?: number;
  /** Length of the gradient step in parameter norm. @default 1e-4 */
  stepLength?: number;
}

/** Largest error of each observation, relative to the largest `|dr/dt|` at the time, worst over the times. */
export interface RewardDynamicsErrors {
  /** Against the fourth-order central difference in t along the integrated flow. */
  flow: number;
  /** Against the (Richardson-combined) gradient step. */
  step: number;
  /** Against `<∇r, −∇L>`. */
  exact: number;
  /** Largest `|dr/dt|` seen (so a vacuous comparison shows). */
  scale: number;
}

/** Compares the kernel's `dr/dt` with the observed one, for every response of `cp`, along the flow of `kind`. */
export function rewardDynamicsErrors(kind: ModelKind, cp: CompiledProblem, opts: RewardDynamicsOptions = {}): RewardDynamicsErrors {
  const times = opts.times ?? [0.3, 3, 30];
  const rel = opts.relativeDelta ?? 0.01;
  const grid: number[] = [];
  for (const t of times) for (const k of [-2, -1, 0, 1, 2]) grid.push(t + k * rel * t);
  const traj = train(cp, kind, grid, { rtol: opts.rtol ?? 1e-12, atol: 1e-14, keepParams: true });
  const ids = allResponses(cp);
  const out: RewardDynamicsErrors = { flow: 0, step: 0, exact: 0, scale: 0 };
  times.forEach((t, j) => {
    const at = (k: number) => rewardsAt(kind, cp, traj.params![5 * j + 2 + k]!, ids);
    const [m2, m1, p1, p2] = [at(-2), at(-1), at(1), at(2)];
    const delta = rel * t;
    const flow = Float64Array.from(ids, (_, r) => (m2[r]! - 8 * m1[r]! + 8 * p1[r]! - p2[r]!) / (12 * delta));
    const theta = traj.params![5 * j + 2]!;
    const predicted = predictedRewardVelocity(kind, cp, theta, ids, opts);
    const exact = exactRewardVelocity(kind, cp, theta, ids);
    const step = gradientStepRewardVelocity(kind, cp, theta, ids, opts.stepLength);
    const scale = Math.max(maxAbs(flow), maxAbs(exact));
    out.scale = Math.max(out.scale, scale);
    out.flow = Math.max(out.flow, maxAbsDiff(predicted, flow) / scale);
    out.step = Math.max(out.step, maxAbsDiff(predicted, step) / scale);
    out.exact = Math.max(out.exact, maxAbsDiff(predicted, exact) / scale);
  });
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

// --- the check ----------------------------------------------------------------------------------------------

/** The instances of one seed: one- and multi-token, reference `init` and `none`, zero and random initialisation. */
export function claim1Instances(seed: number): { name: 'one-token' | 'multi-token'; cp: CompiledProblem }[] {
  return [
    { name: 'one-token', cp: compileProblem(randomInstance({ seed, reference: 'init' })) },
    { name: 'one-token', cp: compileProblem(randomInstance({ seed, reference: 'none', initScale: 0.5, beta: 0.7 })) },
    { name: 'multi-token', cp: compileProblem(randomInstance({ seed, maxLength: 3, reference: 'init', initScale: 0.5, beta: 0.7 })) },
    { name: 'multi-token', cp: compileProblem(randomInstance({ seed, maxLength: 3, reference: 'none' })) },
  ];
}

/** A fixed nonzero EX-RM head for the one-step comparison (the EX-RM's change is exact for any `u`). */
const oneStepHead = (cp: CompiledProblem, seed: number): Float64Array => normalVector(makeRng(`claim1/one-step/${seed}`), cp.hiddenDim);

/**
 * Runs Claim 1's comparisons on the instances of one seed: the kernel against the flow, and the one-step change of
 * Eq. 5 (first order in η for the IM-RM, exact for the EX-RM) on the multi-token instances.
 */
export function checkRewardDynamics(seed: number, opts: RewardDynamicsOptions & { eq5Variant?: Eq5Variant } = {}): Measurement[] {
  const worst = new Map<string, number>();
  const keep = (name: string, v: number) => worst.set(name, Math.max(worst.get(name) ?? 0, Number.isNaN(v) ? Infinity : v));
  claim1Instances(seed).forEach(({ name, cp }, i) => {
    const runs: [string, ModelKind][] = [[`IM-RM ${name}`, 'im']];
    if (i % 2 === 0) runs.push(['EX-RM', 'ex']); // the EX-RM ignores the reference; one run per response shape
    for (const [label, kind] of runs) {
      const e = rewardDynamicsErrors(kind, cp, opts);
      keep(`${label}: |kernel − flow finite difference| / max|dr/dt|`, e.flow);
      keep(`${label}: |kernel − gradient step| / max|dr/dt|`, e.step);
      keep(`${label}: |kernel − <∇r, −∇L>| / max|dr/dt|`, e.exact);
    }
  });
  const multi = claim1Instances(seed).filter((i) => i.name === 'multi-token').map((i) => i.cp);
  const firstOrder = firstOrderResult(multi, (cp) => oneStepHead(cp, seed), { variant: opts.eq5Variant });
  return [
    ...[...worst].map(([name, value]) => ({
      name,
      value,
      tolerance: name.includes('<∇r') ? CLAIM1_EXACT_TOLERANCE : CLAIM1_TOLERANCE,
      bound: 'upper' as const,
    })),
    ...firstOrderMeasurements(firstOrder),
  ];
}

export const claim1: ClaimCheck = {
  claim: '1',
  statement: 'one-step reward changes (EX-RM; IM-RM Eq. 5), first order in η; under the flow dr/dt = (1/N) Σ σ(−m_i)[Θ(·, y_i⁺) − Θ(·, y_i⁻)] with Θ_EX = <h, h>, Θ_IM = β² Σ τ <h̄_k, h_l>',
  run: (seed) => checkRewardDynamics(seed),
};
