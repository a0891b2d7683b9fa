/**
 * The dense kernels of the IM-RM right-hand side in WebAssembly SIMD (`f64x2`), AssemblyScript source, built by
 * `npm run build` (scripts/build-wasm.mjs) into `kernels.wasm`. Raw pointers into linear memory on the stub
 * runtime: nothing here allocates; the JavaScript side (`../wasmBackend.ts`) owns the memory and passes byte
 * addresses. Row-major f64 matrices, explicit dimensions; every kernel takes a range of the dimension that is split
 * between threads, so two threads run one call on disjoint parts of the output.
 *
 * Register tiles are sized for V8's 15 usable vector registers: accumulators + loaded operands + 1 ≤ 15.
 */

/** First free byte after the static data: the JavaScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * One 2 × 4 register tile of `C = Base + A Bᵀ`: rows `a0`, `a1` of `A` against rows `b0 … b3` of `B` (vectors along
 * `k`), written to `c0`, `c1` (four entries each), `Base` added from `q0`, `q1` when `base` is set.
 */
// @ts-ignore: decorator
@inline function tile24(a0: usize, a1: usize, b0: usize, b1: usize, b2: usize, b3: usize, d: i32, c0: usize, c1: usize, base: usize, q0: usize, q1: usize): void {
  const d2 = d & ~1;
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0), s03 = f64x2.splat(0);
  let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0), s13 = f64x2.splat(0);
  for (let k = 0; k < d2; k += 2) {
    const o = <usize>k << 3;
    const x0 = v128.load(a0 + o);
    const x1 = v128.load(a1 + o);
    const y0 = v128.load(b0 + o);
    const y1 = v128.load(b1 + o);
    const y2 = v128.load(b2 + o);
    const y3 = v128.load(b3 + o);
    s00 = f64x2.add(s00, f64x2.mul(x0, y0)); s01 = f64x2.add(s01, f64x2.mul(x0, y1));
    s02 = f64x2.add(s02, f64x2.mul(x0, y2)); s03 = f64x2.add(s03, f64x2.mul(x0, y3));
    s10 = f64x2.add(s10, f64x2.mul(x1, y0)); s11 = f64x2.add(s11, f64x2.mul(x1, y1));
    s12 = f64x2.add(s12, f64x2.mul(x1, y2)); s13 = f64x2.add(s13, f64x2.mul(x1, y3));
  }
  let r00 = hsum(s00), r01 = hsum(s01), r02 = hsum(s02), r03 = hsum(s03);
  let r10 = hsum(s10), r11 = hsum(s11), r12 = hsum(s12), r13 = hsum(s13);
  if (d2 < d) {
    const o = <usize>d2 << 3;
    const x0 = load<f64>(a0 + o), x1 = load<f64>(a1 + o);
    const y0 = load<f64>(b0 + o), y1 = load<f64>(b1 + o), y2 = load<f64>(b2 + o), y3 = load<f64>(b3 + o);
    r00 += x0 * y0; r01 += x0 * y1; r02 += x0 * y2; r03 += x0 * y3;
    r10 += x1 * y0; r11 += x1 * y1; r12 += x1 * y2; r13 += x1 * y3;
  }
  if (base) {
    r00 += load<f64>(q0); r01 += load<f64>(q0, 8); r02 += load<f64>(q0, 16); r03 += load<f64>(q0, 24);
    r10 += load<f64>(q1); r11 += load<f64>(q1, 8); r12 += load<f64>(q1, 16); r13 += load<f64>(q1, 24);
  }
  store<f64>(c0, r00); store<f64>(c0, r01, 8); store<f64>(c0, r02, 16); store<f64>(c0, r03, 24);
  store<f64>(c1, r10); store<f64>(c1, r11, 8); store<f64>(c1, r12, 16); store<f64>(c1, r13, 24);
}

/**
 * `C[i, j] = Base[i, j] + Σ_k A[i, k] B[j, k]` for `i < m`, `j0 ≤ j < j1` (`Base` omitted when `base` is 0).
 * `A` is `m × d`, `B` `n × d`, `C` and `Base` `m × ldc`. Columns outermost: for a short `A` (few prefixes) against a
 * long `B` (the vocabulary), each group of 4 rows of `B` is read from memory once and `A` stays in cache.
 */
export function gemmABt(A: usize, m: i32, B: usize, d: i32, C: usize, ldc: i32, base: usize, j0: i32, j1: i32): void {
  const rowA = <usize>d << 3;
  const rowC = <usize>ldc << 3;
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const b0 = B + (<usize>j * rowA);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = A + (<usize>i * rowA);
      const c = (<usize>i * <usize>ldc + <usize>j) << 3;
      tile24(a0, a0 + rowA, b0, b0 + rowA, b0 + 2 * rowA, b0 + 3 * rowA, d, C + c, C + c + rowC, base, base + c, base + c + rowC);
    }
    for (; i < m; i++) for (let jj = j; jj < j + 4; jj++) gemmOne(A, i, B, jj, d, C, ldc, base);
  }
  for (; j < j1; j++) for (let i = 0; i < m; i++) gemmOne(A, i, B, j, d, C, ldc, base);
}

/**
 * The same product for rows `i0 ≤ i < i1` of `A` and every row `j < n` of `B` (`C` and `Base` `· × n`). Rows
 * outermost: for a long `A` (the vocabulary, in the class-major layout) against a short `B`, each pair of rows of `A`
 * is read from memory once and `B` stays in cache.
 */
export function gemmABtRows(A: usize, B: usize, n: i32, d: i32, C: usize, base: usize, i0: i32, i1: i32): void {
  const rowA = <usize>d << 3;
  const rowC = <usize>n << 3;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const a0 = A + (<usize>i * rowA);
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = B + (<usize>j * rowA);
      const c = (<usize>i * <usize>n + <usize>j) << 3;
      tile24(a0, a0 + rowA, b0, b0 + rowA, b0 + 2 * rowA, b0 + 3 * rowA, d, C + c, C + c + rowC, base, base + c, base + c + rowC);
    }
    for (; j < n; j++) {
      gemmOne(A, i, B, j, d, C, n, base);
      gemmOne(A, i + 1, B, j, d, C, n, base);
    }
  }
  for (; i < i1; i++) for (let j = 0; j < n; j++) gemmOne(A, i, B, j, d, C, n, base);
}

/** One entry of `gemmABt`: `C[i, j] = Base[i, j] + <A[i, :], B[j, :]>`. */
function gemmOne(A: usize, i: i32, B: usize, j: i32, d: i32, C: usize, ldc: i32, base: usize): void {
  const a = A + ((<usize>i * <usize>d) << 3);
  const b = B + ((<usize>j * <usize>d) << 3);
  let s = f64x2.splat(0);
  const d2 = d & ~1;
  for (let k = 0; k < d2; k += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + (<usize>k << 3)), v128.load(b + (<usize>k << 3))));
  let r = hsum(s);
  if (d2 < d) r += load<f64>(a + (<usize>d2 << 3)) * load<f64>(b + (<usize>d2 << 3));
  const c = (<usize>i * <usize>ldc + <usize>j) << 3;
  if (base) r += load<f64>(base + c);
  store<f64>(C + c, r);
}

/**
 * `G[j, k] += Σ_{i<m} s_i P[i, j] A[i, k]` for `j0 ≤ j < j1`, `k < d`: the softmax part of the unembedding
 * gradient, `(diag(s) P)ᵀ A`. `P` is `m × ldp`, `A` `m × d`, `G` `n × d`. Tiles of 2 rows of `G` × 8 columns.
 */
export function gemmAtB(P: usize, ldp: i32, s: usize, m: i32, A: usize, d: i32, G: usize, j0: i32, j1: i32): void {
  const rowA = <usize>d << 3;
  const rowP = <usize>ldp << 3;
  const d8 = d & ~7;
  const d2 = d & ~1;
  let j = j0;
  for (; j + 1 < j1; j += 2) {
    const g0 = G + (<usize>j * rowA);
    const g1 = g0 + rowA;
    const pj = P + (<usize>j << 3);
    for (let k = 0; k < d8; k += 8) {
      const o = <usize>k << 3;
      let u0 = v128.load(g0 + o), u1 = v128.load(g0 + o, 16), u2 = v128.load(g0 + o, 32), u3 = v128.load(g0 + o, 48);
      let w0 = v128.load(g1 + o), w1 = v128.load(g1 + o, 16), w2 = v128.load(g1 + o, 32), w3 = v128.load(g1 + o, 48);
      let a = A + o;
      let p = pj;
      for (let i = 0; i < m; i++) {
        const si = load<f64>(s + (<usize>i << 3));
        const c0 = f64x2.splat(si * load<f64>(p));
        const c1 = f64x2.splat(si * load<f64>(p, 8));
        const x0 = v128.load(a), x1 = v128.load(a, 16), x2 = v128.load(a, 32), x3 = v128.load(a, 48);
        u0 = f64x2.add(u0, f64x2.mul(c0, x0)); u1 = f64x2.add(u1, f64x2.mul(c0, x1));
        u2 = f64x2.add(u2, f64x2.mul(c0, x2)); u3 = f64x2.add(u3, f64x2.mul(c0, x3));
        w0 = f64x2.add(w0, f64x2.mul(c1, x0)); w1 = f64x2.add(w1, f64x2.mul(c1, x1));
        w2 = f64x2.add(w2, f64x2.mul(c1, x2)); w3 = f64x2.add(w3, f64x2.mul(c1, x3));
        a += rowA;
        p += rowP;
      }
      v128.store(g0 + o, u0); v128.store(g0 + o, u1, 16); v128.store(g0 + o, u2, 32); v128.store(g0 + o, u3, 48);
      v128.store(g1 + o, w0); v128.store(g1 + o, w1, 16); v128.store(g1 + o, w2, 32); v128.store(g1 + o, w3, 48);
    }
    for (let k = d8; k < d2; k += 2) {
      const o = <usize>k << 3;
      let u = v128.load(g0 + o);
      let w = v128.load(g1 + o);
      for (let i = 0; i < m; i++) {
        const si = load<f64>(s + (<usize>i << 3));
        const p = pj + <usize>i * rowP;
        const x = v128.load(A + <usize>i * rowA + o);
        u = f64x2.add(u, f64x2.mul(f64x2.splat(si * load<f64>(p)), x));
        w = f64x2.add(w, f64x2.mul(f64x2.splat(si * load<f64>(p, 8)), x));
      }
      v128.store(g0 + o, u);
      v128.store(g1 + o, w);
    }
    if (d2 < d) {
      gemmAtBColumn(P, ldp, s, m, A, d, G, j, d2);
      gemmAtBColumn(P, ldp, s, m, A, d, G, j + 1, d2);
    }
  }
  for (; j < j1; j++) for (let k = 0; k < d; k++) gemmAtBColumn(P, ldp, s, m, A, d, G, j, k);
}

/** One entry of `gemmAtB`: `G[j, k] += Σ_i s_i P[i, j] A[i, k]`. */
function gemmAtBColumn(P: usize, ldp: i32, s: usize, m: i32, A: usize, d: i32, G: usize, j: i32, k: i32): void {
  let r: f64 = 0;
  for (let i = 0; i < m; i++) {
    r += load<f64>(s + (<usize>i << 3)) * load<f64>(P + ((<usize>i * <usize>ldp + <usize>j) << 3)) * load<f64>(A + ((<usize>i * <usize>d + <usize>k) << 3));
  }
  const g = G + ((<usize>j * <usize>d + <usize>k) << 3);
  store<f64>(g, load<f64>(g) + r);
}

// e^x in f64x2: x = k ln 2 + r (Cody–Waite, fdlibm's split of ln 2), |r| ≤ ln2/2, e^r by its Taylor polynomial of
// degree 12 in Estrin form (truncation ≤ 2e-16 relative), times 2^k as two factors 2^{k1}·2^{k2} so that results
// down to the subnormals (x ≥ −745) come out right. Within a few ulps of Math.exp; NaN stays NaN, ±∞ saturate.
const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

// @ts-ignore: decorator
@inline function pow2(k: v128): v128 {
  // 2^k for integral k in [−1022, 1023], in the lanes of an f64x2
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
}

// @ts-ignore: decorator
@inline function expv(x0: v128): v128 {
  const x = f64x2.pmax(f64x2.pmin(x0, f64x2.splat(746)), f64x2.splat(-746));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = f64x2.add(f64x2.splat(1), r);
  const p23 = f64x2.add(f64x2.splat(1.0 / 2), f64x2.mul(r, f64x2.splat(1.0 / 6)));
  const p45 = f64x2.add(f64x2.splat(1.0 / 24), f64x2.mul(r, f64x2.splat(1.0 / 120)));
  const p67 = f64x2.add(f64x2.splat(1.0 / 720), f64x2.mul(r, f64x2.splat(1.0 / 5040)));
  const p89 = f64x2.add(f64x2.splat(1.0 / 40320), f64x2.mul(r, f64x2.splat(1.0 / 362880)));
  const pab = f64x2.add(f64x2.splat(1.0 / 3628800), f64x2.mul(r, f64x2.splat(1.0 / 39916800)));
  const q0 = f64x2.add(p01, f64x2.mul(r2, p23));
  const q1 = f64x2.add(p45, f64x2.mul(r2, p67));
  const q2 = f64x2.add(p89, f64x2.mul(r2, pab));
  const s0 = f64x2.add(q0, f64x2.mul(r4, q1));
  const s1 = f64x2.add(q2, f64x2.mul(r4, f64x2.splat(1.0 / 479001600)));
  const p = f64x2.add(s0, f64x2.mul(r8, s1));
  const k1 = f64x2.floor(f64x2.mul(k, f64x2.splat(0.5)));
  const k2 = f64x2.sub(k, k1);
  return f64x2.mul(f64x2.mul(p, pow2(k1)), pow2(k2));
}

/** `out[i] = e^{x[i]}` for `i < n` (vector exp; a test hook and a building block). */
export function expArray(x: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(out + (<usize>i << 3), expv(v128.load(x + (<usize>i << 3))));
  if (i < n) store<f64>(out + (<usize>i << 3), f64x2.extract_lane(expv(f64x2.splat(load<f64>(x + (<usize>i << 3)))), 0));
}

/**
 * Rows `i0 ≤ i < i1` of `X` (`· × n`): `lse[i] = ln Σ_j mult_j e^{X[i, j]}` (max-shifted, nothing overflows), and
 * `X[i, j]` overwritten with `e^{X[i, j] − lse[i]}` (the per-member softmax).
 */
export function softmaxRows(X: usize, n: i32, mult: usize, lse: usize, i0: i32, i1: i32): void {
  const n2 = n & ~1;
  for (let i = i0; i < i1; i++) {
    const row = X + ((<usize>i * <usize>n) << 3);
    let mv = f64x2.splat(-Infinity);
    for (let j = 0; j < n2; j += 2) mv = f64x2.pmax(mv, v128.load(row + (<usize>j << 3)));
    let mx = max(f64x2.extract_lane(mv, 0), f64x2.extract_lane(mv, 1));
    if (n2 < n) mx = max(mx, load<f64>(row + (<usize>n2 << 3)));
    const shift = f64x2.splat(mx);
    let sv = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      const e = expv(f64x2.sub(v128.load(row + o), shift));
      v128.store(row + o, e);
      sv = f64x2.add(sv, f64x2.mul(e, v128.load(mult + o)));
    }
    let sum = hsum(sv);
    if (n2 < n) {
      const o = <usize>n2 << 3;
      const e = f64x2.extract_lane(expv(f64x2.splat(load<f64>(row + o) - mx)), 0);
      store<f64>(row + o, e);
      sum += e * load<f64>(mult + o);
    }
    const inv = f64x2.splat(1 / sum);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      v128.store(row + o, f64x2.mul(v128.load(row + o), inv));
    }
    if (n2 < n) store<f64>(row + (<usize>n2 << 3), load<f64>(row + (<usize>n2 << 3)) / sum);
    store<f64>(lse + (<usize>i << 3), mx + Math.log(sum));
  }
}

/**
 * Columns `i0 ≤ i < i1` of `X` (`n` rows × `ldx`): `lse[i] = ln Σ_j mult_j e^{X[j, i]}` (max-shifted) and `X[j, i]`
 * overwritten with `e^{X[j, i] − max_j X[j, i]}`; `scale[i] = 1 / Σ_j mult_j e^{X[j, i] − max}`, so that
 * `X[j, i] · scale[i]` is the softmax — `softmaxRows` for the class-major layout (a row per token class, a column
 * per prefix). With `normalize`, `X` is multiplied through (the softmax itself) and `scale` set to 1.
 *
 * Blocks of 4 columns (two vectors) go down all rows twice (max, then exp and sum) with their maxima and sums in
 * registers; a block's rows (`n` × 32 bytes) stay in the core's cache between the passes.
 */
export function softmaxCols(X: usize, ldx: i32, n: i32, mult: usize, lse: usize, scale: usize, normalize: i32, i0: i32, i1: i32): void {
  const rowX = <usize>ldx << 3;
  let i = i0;
  for (; i + 3 < i1; i += 4) {
    const col = X + (<usize>i << 3);
    let m0 = f64x2.splat(-Infinity), m1 = f64x2.splat(-Infinity);
    let p = col;
    for (let j = 0; j < n; j++) {
      m0 = f64x2.pmax(m0, v128.load(p));
      m1 = f64x2.pmax(m1, v128.load(p, 16));
      p += rowX;
    }
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    p = col;
    for (let j = 0; j < n; j++) {
      const mv = f64x2.splat(load<f64>(mult + (<usize>j << 3)));
      const e0 = expv(f64x2.sub(v128.load(p), m0));
      const e1 = expv(f64x2.sub(v128.load(p, 16), m1));
      v128.store(p, e0);
      v128.store(p, e1, 16);
      s0 = f64x2.add(s0, f64x2.mul(e0, mv));
      s1 = f64x2.add(s1, f64x2.mul(e1, mv));
      p += rowX;
    }
    const inv0 = f64x2.div(f64x2.splat(1), s0);
    const inv1 = f64x2.div(f64x2.splat(1), s1);
    const o = <usize>i << 3;
    store<f64>(lse + o, f64x2.extract_lane(m0, 0) + Math.log(f64x2.extract_lane(s0, 0)));
    store<f64>(lse + o, f64x2.extract_lane(m0, 1) + Math.log(f64x2.extract_lane(s0, 1)), 8);
    store<f64>(lse + o, f64x2.extract_lane(m1, 0) + Math.log(f64x2.extract_lane(s1, 0)), 16);
    store<f64>(lse + o, f64x2.extract_lane(m1, 1) + Math.log(f64x2.extract_lane(s1, 1)), 24);
    if (normalize) {
      p = col;
      for (let j = 0; j < n; j++) {
        v128.store(p, f64x2.mul(v128.load(p), inv0));
        v128.store(p, f64x2.mul(v128.load(p, 16), inv1), 16);
        p += rowX;
      }
      v128.store(scale + o, f64x2.splat(1));
      v128.store(scale + o, f64x2.splat(1), 16);
    } else {
      v128.store(scale + o, inv0);
      v128.store(scale + o, inv1, 16);
    }
  }
  for (; i < i1; i++) {
    const col = X + (<usize>i << 3);
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = max(mx, load<f64>(col + <usize>j * rowX));
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) {
      const q = col + <usize>j * rowX;
      const e = f64x2.extract_lane(expv(f64x2.splat(load<f64>(q) - mx)), 0);
      store<f64>(q, e);
      sum += e * load<f64>(mult + (<usize>j << 3));
    }
    const inv = 1 / sum;
    store<f64>(lse + (<usize>i << 3), mx + Math.log(sum));
    if (normalize) {
      for (let j = 0; j < n; j++) store<f64>(col + <usize>j * rowX, load<f64>(col + <usize>j * rowX) * inv);
      store<f64>(scale + (<usize>i << 3), 1);
    } else store<f64>(scale + (<usize>i << 3), inv);
  }
}
