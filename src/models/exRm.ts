/**
 * The explicit reward model (EX-RM, docs/theory.md §1): `r(x, y) = <u, h(x, y)>`, a linear head `u ∈ R^D` on the
 * whole-sequence representation. Its margins are linear in `u`: `m_i = <u, z_i>`, `z_i = h(x_i, y_i⁺) − h(x_i, y_i⁻)`.
 */
import { axpy, dot, sigmoidNeg, softplusNeg } from '../linalg/kernels.js';
import type { CompiledProblem, PairSet } from './problem.js';

/** The difference vectors `z_i` of a pair set (`count × D`). */
export function exDifferences(cp: CompiledProblem, set: PairSet): Float64Array {
  const D = cp.hiddenDim;
  const Z = new Float64Array(set.count * D);
  const { wholeRow } = cp.responses;
  for (let i = 0; i < set.count; i++) {
    const c = wholeRow[set.chosen[i]!]! * D;
    const r = wholeRow[set.rejected[i]!]! * D;
    for (let k = 0; k < D; k++) Z[i * D + k] = cp.H[c + k]! - cp.H[r + k]!;
  }
  return Z;
}

/** Reward `<u, h(x, y)>` of each listed response. */
export function exRewards(cp: CompiledProblem, u: Float64Array, responses: ArrayLike<number>): Float64Array {
  const D = cp.hiddenDim;
  return Float64Array.from({ length: responses.length }, (_, i) => dot(u, 0, cp.H, cp.responses.wholeRow[responses[i]!]! * D, D));
}

/** `∇_u r(x, y) = h(x, y)`. */
export function exRewardGradient(cp: CompiledProblem, r: number): Float64Array {
  const D = cp.hiddenDim;
  const o = cp.responses.wholeRow[r]! * D;
  return cp.H.slice(o, o + D);
}

/** Margins, loss and `−∇_u L` of the EX-RM on one pair set. */
export class ExRmPairKernel {
  /** The differences `z_i` (`count × D`). */
  readonly Z: Float64Array;
  readonly size: number;

  constructor(readonly cp: CompiledProblem, readonly set: PairSet) {
    this.Z = exDifferences(cp, set);
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
