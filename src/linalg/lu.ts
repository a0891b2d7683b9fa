/**
 * LU factorisation with partial pivoting of a small dense `n × n` matrix (row-major, in place) and its solve: what
 * the stiff solver needs once per step for the `N × N` function-space system. Written here rather than taken from
 * ml-matrix (which the tests compare it with) because loading ml-matrix costs about 0.15 s of CPU at start-up
 * (measured: 0.22 s vs Node's 0.10 s for an empty script), and every `imrm flow` would pay it for a solver that runs
 * only on stiff problems.
 */

/** Factors `A = P L U` in place (`L` unit lower, below the diagonal; `U` on and above); `piv[i]` = the row swapped into `i`. */
export function luFactor(A: Float64Array, n: number, piv: Int32Array): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(A[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]!);
      if (v > max) (max = v), (p = i);
    }
    piv[k] = p;
    if (max === 0) throw new RangeError(`luFactor: the matrix is singular (column ${k})`);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j]!;
        A[k * n + j] = A[p * n + j]!;
        A[p * n + j] = t;
      }
    }
    const d = A[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const l = (A[i * n + k]! /= d);
      if (l !== 0) for (let j = k + 1; j < n; j++) A[i * n + j]! -= l * A[k * n + j]!;
    }
  }
}

/** Solves `A x = b` from `luFactor`'s output (`x` may be `b`). */
export function luSolve(LU: Float64Array, n: number, piv: Int32Array, b: ArrayLike<number>, x: Float64Array): void {
  if (x !== b) for (let i = 0; i < n; i++) x[i] = b[i]!;
  for (let k = 0; k < n; k++) {
    const p = piv[k]!;
    if (p !== k) {
      const t = x[k]!;
      x[k] = x[p]!;
      x[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= LU[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= LU[i * n + j]! * x[j]!;
    x[i] = s / LU[i * n + i]!;
  }
}
