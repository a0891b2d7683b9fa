/**
 * Claim 6 at the paper's scale (docs/theory.md Claim 6; Razin, Lin, Yao, Arora, arXiv 2507.07981, Hamiltonian
 * cycles): part (iii) of the Claim 6 check, in the probes layer because it runs this folder's experiment (the theory
 * layer's parts (i) and (ii) are `src/theory/claim6VerifyWithoutGenerating.ts`).
 *
 * On the instance of a seed (10-vertex planted graphs, edge probability 0.2, 1000 training and 200 test graphs):
 * - with the graph features, the IM-RM's pair accuracy on the *test graphs* reaches 0.95 at a time when the mean
 *   exact probability that its language model generates a Hamiltonian cycle, π_θ(C|x), is at most 0.05;
 * - with one-hot (graph, prefix) representations, every test pair is a tie: test accuracy exactly ½.
 *
 * Training stops at t = 0.1 (gradient flow): enough for both statements, and the flow's cost grows with the horizon.
 * The part runs on seeds `0 … AT_SCALE_SEEDS − 1` only (a few seconds each); its rows count those seeds.
 */
import type { ClaimCheck, Measurement } from '../../theory/check.js';
import { claim6 } from '../../theory/claim6VerifyWithoutGenerating.js';
import { hamiltonianGraphs, runHamiltonianExperiment, type HamiltonianExperimentOptions } from './experiment.js';

/** Thresholds of part (iii) (the acceptance: test accuracy ≥ 0.95 while π_θ(C|x) ≤ 0.05). */
export const CLAIM6_SCALE_TOLERANCE = { testAccuracy: 0.95, generation: 0.05 } as const;

/** Deliberately wrong variants of part (iii): the tests use them to show it can fail. */
export const CLAIM6_SCALE_VARIANT = {
  graphBlindFeatures: 'the features without the graph (adjacency and closing blocks 0): nothing generalizes to new graphs',
  sharedOneHot: 'one-hot columns keyed by the prefix only, shared between graphs (small instances: trained densely)',
} as const;
export type Claim6ScaleVariant = keyof typeof CLAIM6_SCALE_VARIANT;

/** Seeds on which `imrm check` runs part (iii). */
export const AT_SCALE_SEEDS = 3;

/** Times of part (iii). */
export const AT_SCALE_TIMES = [0.001, 0.01, 0.1] as const;

export interface AtScaleOptions extends Pick<HamiltonianExperimentOptions, 'vertices' | 'edgeProbability' | 'trainGraphs' | 'testGraphs' | 'times'> {
  variant?: Claim6ScaleVariant;
}

/** The measurements of part (iii) on the instance of `seed`. */
export function checkAtScale(seed: number, opts: AtScaleOptions = {}): Measurement[] {
  const { variant, ...size } = opts;
  const base: HamiltonianExperimentOptions = { times: [...AT_SCALE_TIMES], ...size, seed, method: 'flow' };
  const graphs = hamiltonianGraphs(base);
  const features = runHamiltonianExperiment({ ...base, representation: 'features', ...(variant === 'graphBlindFeatures' ? { variant } : {}) }, graphs);
  const oneHot = runHamiltonianExperiment({ ...base, representation: 'one-hot', ...(variant === 'sharedOneHot' ? { variant, oneHot: 'dense' as const } : {}) }, graphs);
  // the best test accuracy among the times at which the model still rarely generates a cycle (0 if there is none)
  let best = 0;
  features.times.forEach((_, k) => {
    if (features.generationProbability[k]! <= CLAIM6_SCALE_TOLERANCE.generation) best = Math.max(best, features.testAccuracy[k]!);
  });
  const T = CLAIM6_SCALE_TOLERANCE;
  return [
    { name: `(iii) paper scale, features: test-graph pair accuracy at a time when mean π_θ(C|x) ≤ ${T.generation}`, value: best, tolerance: T.testAccuracy, bound: 'lower' },
    { name: '(iii) paper scale, one-hot: max over times |test-graph pair accuracy − ½|', value: Math.max(...oneHot.testAccuracy.map((a) => Math.abs(a - 0.5))), tolerance: 0, bound: 'upper' },
    { name: '(iii) paper scale, one-hot: min over times of the test-graph tie fraction', value: Math.min(...oneHot.testTies), tolerance: 1, bound: 'lower' },
  ];
}

/** Claim 6 with every part: the theory layer's (i) and (ii) on every seed, (iii) on seeds below `AT_SCALE_SEEDS`. */
export const claim6WithScale: ClaimCheck = {
  claim: claim6.claim,
  statement: `${claim6.statement}; at the paper's scale, graph features verify new graphs (test accuracy ≥ 0.95) while π_θ(C|x) ≤ 0.05, one-hot ties`,
  run: async (seed) => [...(await claim6.run(seed)), ...(seed < AT_SCALE_SEEDS ? checkAtScale(seed) : [])],
};
