/** Level-1 helpers on flat `Float64Array`s with offsets (after stdlib's `ddot`); shared by both kernel back ends. */

/** `<a[ao : ao+n], b[bo : bo+n]>`. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
  }
  if (i < n) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1;
}

/** `y[yo : yo+n] += alpha * x[xo : xo+n]`. */
export function axpy(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): void {
  for (let i = 0; i < n; i++) y[yo + i]! += alpha * x[xo + i]!;
}
