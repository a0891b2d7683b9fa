/**
 * An orthonormal basis of the span of some rows of a matrix, by modified Gram–Schmidt applied twice ("twice is
 * enough": orthogonal to round-off even for nearly dependent rows). A row whose remainder after projecting out the
 * basis so far is at most `RANK_TOL` of its norm adds nothing: it lies in the span up to round-off.
 */
import { axpy, dot } from './vector.js';

/** Remainders below this fraction of a row's norm are taken as zero. */
export const RANK_TOL = 1e-12;

/** The basis as rows: `Q` is `r × D` row-major with orthonormal rows, `r ≤ min(rows.length, D)`. */
export interface RowBasis {
  r: number;
  Q: Float64Array;
}

/** Orthonormal basis of the span of rows `rows` of `H` (`· × D`). */
export function orthonormalRowBasis(H: Float64Array, rows: ArrayLike<number>, D: number): RowBasis {
  const Q = new Float64Array(Math.min(rows.length, D) * D);
  const v = new Float64Array(D);
  let r = 0;
  for (let i = 0; i < rows.length && r < D; i++) {
    v.set(H.subarray(rows[i]! * D, (rows[i]! + 1) * D));
    const norm0 = Math.sqrt(dot(v, 0, v, 0, D));
    if (norm0 === 0) continue;
    for (let pass = 0; pass < 2; pass++) for (let c = 0; c < r; c++) axpy(-dot(Q, c * D, v, 0, D), Q, c * D, v, 0, D);
    const norm = Math.sqrt(dot(v, 0, v, 0, D));
    if (norm <= RANK_TOL * norm0) continue;
    for (let k = 0; k < D; k++) Q[r * D + k] = v[k]! / norm;
    r++;
  }
  return { r, Q: Q.slice(0, r * D) };
}
