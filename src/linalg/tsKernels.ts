/**
 * The plain-TypeScript kernels: the fallback where WebAssembly SIMD is missing (and the reference the WebAssembly
 * kernels are tested against, to 1e-12 relative). Same contracts as `wasm/assembly/kernels.ts`, on
 * `Float64Array`s with explicit dimensions; nothing allocates except `softmaxColumns`' column sums. Called only through `kernels.ts`.
 */
import { dot } from './vector.js';

/** `C[i, j] = Base[i, j] + <A[i, :], B[j, :]>` for `i < m`, `j < n`; `A` `m × d`, `B` `n × d`, `C` `m × n`. */
export function gemmABt(A: Float64Array, m: number, B: Float64Array, n: number, d: number, C: Float64Array, base: Float64Array | null): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * d;
    const a1 = a0 + d;
    const c0 = i * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < d; k++) {
        const x0 = A[a0 + k]!;
        const x1 = A[a1 + k]!;
        const y0 = B[b0 + k]!;
        const y1 = B[b1 + k]!;
        const y2 = B[b2 + k]!;
        const y3 = B[b3 + k]!;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c0 + j + 2] = s02; C[c0 + j + 3] = s03;
      C[c1 + j] = s10; C[c1 + j + 1] = s11; C[c1 + j + 2] = s12; C[c1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      C[c0 + j] = dot(A, a0, B, j * d, d);
      C[c1 + j] = dot(A, a1, B, j * d, d);
    }
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) C[i * n + j] = dot(A, i * d, B, j * d, d);
  if (base) for (let k = 0; k < m * n; k++) C[k]! += base[k]!;
}

/** `G[j, k] += Σ_{i<m} s_i P[i, j] A[i, k]` for `j < n`, `k < d`; `P` `m × n`, `A` `m × d`, `G` `n × d`. */
export function gemmAtB(P: Float64Array, s: Float64Array, m: number, n: number, A: Float64Array, d: number, G: Float64Array): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const s0 = s[i]!, s1 = s[i + 1]!, s2 = s[i + 2]!, s3 = s[i + 3]!;
    const w0 = i * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
    for (let j = 0; j < n; j++) {
      const c0 = s0 * P[w0 + j]!;
      const c1 = s1 * P[w1 + j]!;
      const c2 = s2 * P[w2 + j]!;
      const c3 = s3 * P[w3 + j]!;
      const g = j * d;
      for (let k = 0; k < d; k++) G[g + k]! += c0 * A[a0 + k]! + c1 * A[a1 + k]! + c2 * A[a2 + k]! + c3 * A[a3 + k]!;
    }
  }
  for (; i < m; i++) {
    const a0 = i * d;
    for (let j = 0; j < n; j++) {
      const c = s[i]! * P[i * n + j]!;
      const g = j * d;
      for (let k = 0; k < d; k++) G[g + k]! += c * A[a0 + k]!;
    }
  }
}

/**
 * For each row `i < m` of `X` (`m × n`): `lse[i] = ln Σ_j mult_j e^{X[i, j]}`, max-shifted so nothing overflows,
 * and `X[i, j]` overwritten with `e^{X[i, j] − lse[i]}`.
 */
export function softmaxRows(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    let mx = -Infinity;
    for (let j = 0; j < n; j++) if (X[o + j]! > mx) mx = X[o + j]!;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(X[o + j]! - mx);
      X[o + j] = e;
      s += mult[j]! * e;
    }
    const inv = 1 / s;
    for (let j = 0; j < n; j++) X[o + j]! *= inv;
    lse[i] = mx + Math.log(s);
  }
}

/**
 * For each column `i < m` of `X` (`n × m`, a row per token class): `lse[i] = ln Σ_j mult_j e^{X[j, i]}`, max-shifted;
 * `X[j, i]` overwritten with `e^{X[j, i] − max_j X[j, i]}` and `scale[i]` with the reciprocal of that column's
 * weighted sum, so that `X[j, i]·scale[i]` is the softmax — or, with `scale` null, `X` normalized (the softmax).
 */
export function softmaxColumns(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array, scale: Float64Array | null): void {
  const mx = new Float64Array(m).fill(-Infinity); // the fallback may allocate: it is not the fast path
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) if (X[j * m + i]! > mx[i]!) mx[i] = X[j * m + i]!;
  const sum = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const e = Math.exp(X[j * m + i]! - mx[i]!);
      X[j * m + i] = e;
      sum[i]! += mult[j]! * e;
    }
  }
  for (let i = 0; i < m; i++) (lse[i] = mx[i]! + Math.log(sum[i]!)), (sum[i] = 1 / sum[i]!);
  if (scale) scale.set(sum.subarray(0, m));
  else for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) X[j * m + i]! *= sum[i]!;
}
