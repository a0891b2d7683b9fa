/**
 * The explicit reward model (EX-RM, docs/theory.md §1): `r(x, y) = <u, f(x, y)>`, a linear head `u ∈ R^D` on a fixed
 * feature of the response. The paper's EX-RM reads the whole-sequence representation, `f = h(x, y)` (feature
 * `'whole'`); its ablation reads the mean of the representations at the response's token positions,
 * `f = (1/L) Σ_{k=1..L} h(x, y_≤k)` (feature `'mean'`: the answer to "the IM-RM sees every position, the EX-RM only the
 * last"). Either way the margins are linear in `u`: `m_i = <u, z_i>`, `z_i = f(x_i, y_i⁺) − f(x_i, y_i⁻)`.
 */
import { axpy, dot, sigmoidNeg, softplusNeg } from '../linalg/kernels.js';
import type { CompiledProblem, PairSet } from './problem.js';

export const EX_FEATURE = {
  whole: 'h(x, y): the whole-sequence representation (the paper\'s EX-RM)',
  mean: '(1/L) Σ_k h(x, y_≤k): the mean over the response\'s token positions (the paper\'s ablation)',
} as const;
export type ExFeature = keyof typeof EX_FEATURE;

/** Adds the feature `f(x, y)` of response `r` into `out[o : o+D]`. */
function addFeature(cp: CompiledProblem, r: number, feature: ExFeature, out: Float64Array, o: number, sign: number): void {
  const D = cp.hiddenDim;
  const { start, prefixRow, wholeRow } = cp.responses;
  if (feature === 'whole') {
    axpy(sign, cp.H, wholeRow[r]! * D, out, o, D);
    return;
  }
  // positions k = 1 … L: the prefixes y_≤k, i.e. the prefix rows of tokens 2 … L, then the whole sequence
  const L = start[r + 1]! - start[r]!;
  const w = sign / L;
  for (let k = start[r]! + 1; k < start[r + 1]!; k++) axpy(w, cp.H, prefixRow[k]! * D, out, o, D);
  axpy(w, cp.H, wholeRow[r]! * D, out, o, D);
}

/** The feature vectors `f(x, y)` of the listed responses (`count × D`). */
export function exFeatures(cp: CompiledProblem, responses: ArrayLike<number>, feature: ExFeature = 'whole'): Float64Array {
  const D = cp.hiddenDim;
  const F = new Float64Array(responses.length * D);
  for (let i = 0; i < responses.length; i++) addFeature(cp, responses[i]!, feature, F, i * D, 1);
  return F;
}

/** The difference vectors `z_i` of a pair set (`count × D`). */
export function exDifferences(cp: CompiledProblem, set: PairSet, feature: ExFeature = 'whole'): Float64Array {
  const D = cp.hiddenDim;
  const Z = new Float64Array(set.count * D);
  for (let i = 0; i < set.count; i++) {
    addFeature(cp, set.chosen[i]!, feature, Z, i * D, 1);
    addFeature(cp, set.rejected[i]!, feature, Z, i * D, -1);
  }
  return Z;
}

/** Reward `<u, f(x, y)>` of each listed response. */
export function exRewards(cp: CompiledProblem, u: Float64Array, responses: ArrayLike<number>, feature: ExFeature = 'whole'): Float64Array {
  const D = cp.hiddenDim;
  const F = exFeatures(cp, responses, feature);
  return Float64Array.from({ length: responses.length }, (_, i) => dot(u, 0, F, i * D, D));
}

/** `∇_u r(x, y) = f(x, y)`. */
export function exRewardGradient(cp: CompiledProblem, r: number, feature: ExFeature = 'whole'): Float64Array {
  return exFeatures(cp, [r], feature);
}

/** Margins, loss and `−∇_u L` of the EX-RM on one pair set. */
export class ExRmPairKernel {
  /** The differences `z_i` (`count × D`). */
  readonly Z: Float64Array;
  readonly size: number;

  constructor(readonly cp: CompiledProblem, readonly set: PairSet, readonly feature: ExFeature = 'whole') {
    this.Z = exDifferences(cp, set, feature);
    this.size = cp.hiddenDim;
  }

  /** Margins `<u, z_i>` into `margins`; with `ascent`, also `−∇L = (1/N) Σ σ(−m_i) z_i`. Returns `L`. */
  evaluate(u: Float64Array, margins: Float64Array, ascent?: Float64Array): number {
    const D = this.cp.hiddenDim;
    const N = this.set.count;
    let loss = 0;
    if (ascent) ascent.fill(0);
    for (let i = 0; i < N; i++) {
      const m = dot(u, 0, this.Z, i * D, D);
      margins[i] = m;
      loss += softplusNeg(m);
      if (ascent) axpy(sigmoidNeg(m) / N, this.Z, i * D, ascent, 0, D);
    }
    return loss / N;
  }
}
