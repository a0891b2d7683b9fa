/** The small LU solver of the stiff path against ml-matrix's, on seeded random systems that need pivoting. */
import { LuDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { luFactor, luSolve } from '../../src/linalg/lu.js';
import { makeRng, normalVector } from '../../src/random.js';

describe('luFactor / luSolve', () => {
  it('solve A x = b like ml-matrix, including systems that need row swaps', () => {
    for (const n of [1, 2, 5, 17, 40]) {
      const rng = makeRng(`lu/${n}`);
      const A = normalVector(rng, n * n);
      if (n > 1) A[0] = 0; // a zero pivot in the first column forces a swap
      const b = normalVector(rng, n);
      const lu = Float64Array.from(A);
      const piv = new Int32Array(n);
      luFactor(lu, n, piv);
      const x = new Float64Array(n);
      luSolve(lu, n, piv, b, x);
      const M = new Matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M.set(i, j, A[i * n + j]!);
      const ref = new LuDecomposition(M).solve(Matrix.columnVector(Array.from(b)));
      const scale = Math.max(...Array.from({ length: n }, (_, i) => Math.abs(ref.get(i, 0))));
      for (let i = 0; i < n; i++) expect(Math.abs(x[i]! - ref.get(i, 0))).toBeLessThanOrEqual(1e-10 * scale);
      // and the residual of the original system
      for (let i = 0; i < n; i++) {
        let r = -b[i]!;
        for (let j = 0; j < n; j++) r += A[i * n + j]! * x[j]!;
        expect(Math.abs(r)).toBeLessThanOrEqual(1e-10 * (1 + scale));
      }
    }
  });

  it('refuses a singular matrix, naming the column', () => {
    expect(() => luFactor(Float64Array.of(1, 2, 2, 4), 2, new Int32Array(2))).toThrow(/singular \(column 1\)/);
  });
});
