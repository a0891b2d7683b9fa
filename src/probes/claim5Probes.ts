/**
 * Claim 5 (docs/theory.md §3; Razin, Lin, Yao, Arora, arXiv 2507.07981): probes that pull token identity and
 * representation similarity apart. On the semantic-similarity probe (unseen tokens, whole-sequence
 * representations at cosine ρ to training ones of the same label) the one-token IM-RM (π_ref = π_{U_0}) is at
 * accuracy exactly ½, all ties, for every ρ, while the EX-RM rises towards 1 as ρ → 1; on the token-overlap probe
 * (training tokens with the opposite meaning) the IM-RM follows the tokens (accuracy near 0) and the EX-RM the
 * meaning. With multi-token responses the IM-RM is no longer held at ½.
 */
import type { ClaimCheck, Measurement } from '../theory/check.js';
import { runProbeCell, type ProbeCellOptions } from './probeCell.js';

export const CLAIM5_VARIANT = {
  /** Report the EX-RM's numbers as the IM-RM's: the IM-RM measurements must then fail. */
  swapModels: 'the two models swapped',
} as const;
export type Claim5Variant = keyof typeof CLAIM5_VARIANT;

/** Thresholds of the probe check; the instances are small (|V| = 200, D = 32, N = 32, flow to t = 1000). */
export const CLAIM5_TOLERANCE = { exHighRho: 0.85, exRise: 0.2, imOverlap: 0.15, exOverlap: 0.85, multiTokenTies: 0.5 } as const;

export function checkProbes(seed: number, opts: { variant?: Claim5Variant } = {}): Measurement[] {
  const cell = (o: Partial<ProbeCellOptions>) => {
    const r = runProbeCell({ kind: 'one-token', seed, vocab: 200, dim: 32, pairs: 32, horizon: 1000, ...o } as ProbeCellOptions);
    return opts.variant === 'swapModels' ? { ex: r.im, im: r.ex } : r;
  };
  const low = cell({ rho: 0 });
  const high = cell({ rho: 0.99 });
  const multi = cell({ kind: 'multi-token', length: 3, rho: 0.9, sharedFraction: 0, horizon: 100 });
  const T = CLAIM5_TOLERANCE;
  return [
    { name: 'IM-RM paraphrase |accuracy − ½|, ρ ∈ {0, 0.99}', value: Math.max(Math.abs(low.im.paraphrase.accuracy - 0.5), Math.abs(high.im.paraphrase.accuracy - 0.5)), tolerance: 0, bound: 'upper' },
    { name: 'IM-RM paraphrase tie fraction, ρ ∈ {0, 0.99}', value: Math.min(low.im.paraphrase.ties, high.im.paraphrase.ties), tolerance: 1, bound: 'lower' },
    { name: 'EX-RM paraphrase accuracy at ρ = 0.99', value: high.ex.paraphrase.accuracy, tolerance: T.exHighRho, bound: 'lower' },
    { name: 'EX-RM paraphrase accuracy rise from ρ = 0 to 0.99', value: high.ex.paraphrase.accuracy - low.ex.paraphrase.accuracy, tolerance: T.exRise, bound: 'lower' },
    { name: 'IM-RM token-overlap accuracy at ρ = 0.99', value: high.im.overlap.accuracy, tolerance: T.imOverlap, bound: 'upper' },
    { name: 'EX-RM token-overlap accuracy at ρ = 0.99', value: high.ex.overlap.accuracy, tolerance: T.exOverlap, bound: 'lower' },
    { name: 'multi-token IM-RM paraphrase tie fraction (no longer held at ½)', value: multi.im.paraphrase.ties, tolerance: T.multiTokenTies, bound: 'upper' },
  ];
}

export const claim5: ClaimCheck = {
  claim: '5',
  statement: 'Persona table, probes: IM-RM follows tokens, EX-RM follows representations',
  run: (seed) => checkProbes(seed),
};
