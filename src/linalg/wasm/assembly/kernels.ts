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

// e^x in f64x2: x = (128q + j)·ln2/128 + r (Cody–Waite, fdlibm's split of ln 2 divided by 128, exact), |r| ≤ ln2/256,
// e^x = 2^q · 2^{j/128} · e^r with 2^{j/128} from a table of 128 entries and e^r by its Taylor polynomial of degree 5
// (truncation r⁶/720 ≤ 6e-19 relative); 2^q as two factors 2^{q1}·2^{q2} (integer lanes) so that results down to the subnormals
// (x ≥ −745) come out right. Within a few ulps of Math.exp; NaN stays NaN, ±∞ saturate. Lanes look the table up
// one at a time (WebAssembly SIMD has no gather); the short polynomial still makes this ~1.4× the speed of the
// degree-12 polynomial over the whole range [−ln2/2, ln2/2].
const N_LOG2E: f64 = 184.66496523378731; // 128 / ln 2
const LN2_HI_N: f64 = 6.93147180369123816490e-1 / 128;
const LN2_LO_N: f64 = 1.90821492927058770002e-10 / 128;
// 2^{j/128}, j = 0 … 127, correctly rounded (computed in 50-digit decimal arithmetic; test/linalg/kernels.test.ts
// checks the exp at points that use every entry)
const EXP2_TABLE = memory.data<f64>([
  1.0, 1.0054299011128027, 1.0108892860517005, 1.016378314910953, 1.0218971486541166, 1.0274459491187637,
  1.0330248790212284, 1.0386341019613787, 1.0442737824274138, 1.0499440858006872, 1.0556451783605572, 1.061377227289262,
  1.0671404006768237, 1.0729348675259756, 1.0787607977571199, 1.0846183622133092, 1.0905077326652577, 1.0964290818163769,
  1.102382583307841, 1.1083684117236787, 1.1143867425958924, 1.1204377524096067, 1.1265216186082418, 1.1326385195987192,
  1.1387886347566916, 1.1449721444318042, 1.1511892299529827, 1.1574400736337511, 1.1637248587775775, 1.1700437696832502,
  1.1763969916502812, 1.182784710984341, 1.189207115002721, 1.1956643920398273, 1.202156731452703, 1.2086843236265816,
  1.215247359980469, 1.2218460329727576, 1.22848053610687, 1.2351510639369334, 1.241857812073484, 1.2486009771892048,
  1.255380757024691, 1.2621973503942507, 1.2690509571917332, 1.275941778396392, 1.2828700160787783, 1.2898358734066657,
  1.2968395546510096, 1.3038812651919358, 1.3109612115247644, 1.318079601266064, 1.3252366431597413, 1.3324325470831615,
  1.339667524053303, 1.3469417862329458, 1.3542555469368927, 1.3616090206382248, 1.3690024229745905, 1.3764359707545302,
  1.383909881963832, 1.3914243757719262, 1.3989796725383112, 1.4065759938190154, 1.4142135623730951, 1.4218926021691656,
  1.42961333839197, 1.4373759974489824, 1.4451808069770467, 1.4530279958490526, 1.460917794180647, 1.4688504333369818,
  1.4768261459394993, 1.4848451658727524, 1.4929077282912648, 1.5010140696264256, 1.5091644275934228, 1.5173590411982147,
  1.5255981507445384, 1.533881997840956, 1.5422108254079407, 1.550584877685, 1.559004400237837, 1.567469639965553,
  1.5759808451078865, 1.5845382652524937, 1.593142151342267, 1.6017927556826934, 1.6104903319492543, 1.6192351351948637,
  1.6280274218573478, 1.6368674497669644, 1.645755478153965, 1.6546917676561943, 1.6636765803267364, 1.6727101796415966,
  1.681792830507429, 1.6909247992693053, 1.7001063537185235, 1.709337763100463, 1.718619298122478, 1.7279512309618377,
  1.7373338352737062, 1.746767386199169, 1.7562521603732995, 1.7657884359332727, 1.7753764925265212, 1.785016611318935,
  1.7947090750031072, 1.804454167806624, 1.8142521755003989, 1.8241033854070534, 1.8340080864093424, 1.843966568958626,
  1.8539791250833855, 1.864046048397789, 1.8741676341103, 1.8843441790323345, 1.8945759815869656, 1.9048633418176741,
  1.9152065613971474, 1.925605943636125, 1.9360617934922943, 1.9465744175792332, 1.9571441241754002, 1.9677712232331759,
  1.978456026387951, 1.9891988469672663,
]);

// @ts-ignore: decorator
@inline function pow2i(q: v128): v128 {
  // 2^q for integral q in [−1022, 1023] in the low two i32 lanes, as an f64x2
  return i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(q), i64x2.splat(1023)), 52);
}

// @ts-ignore: decorator
@inline function expv(x0: v128): v128 {
  const x = f64x2.pmax(f64x2.pmin(x0, f64x2.splat(746)), f64x2.splat(-746));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(N_LOG2E)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI_N))), f64x2.mul(k, f64x2.splat(LN2_LO_N)));
  const ki = i32x4.trunc_sat_f64x2_s_zero(k);
  const j = v128.and(ki, i32x4.splat(127));
  const t = f64x2.replace_lane(
    f64x2.splat(load<f64>(EXP2_TABLE + (<usize>i32x4.extract_lane(j, 0) << 3))),
    1,
    load<f64>(EXP2_TABLE + (<usize>i32x4.extract_lane(j, 1) << 3)),
  );
  const q = i32x4.shr_s(ki, 7);
  const q1 = i32x4.shr_s(q, 1);
  const r2 = f64x2.mul(r, r);
  const p01 = f64x2.add(f64x2.splat(1), r);
  const p23 = f64x2.add(f64x2.splat(1.0 / 2), f64x2.mul(r, f64x2.splat(1.0 / 6)));
  const p45 = f64x2.add(f64x2.splat(1.0 / 24), f64x2.mul(r, f64x2.splat(1.0 / 120)));
  const p = f64x2.add(p01, f64x2.mul(r2, f64x2.add(p23, f64x2.mul(r2, p45))));
  return f64x2.mul(f64x2.mul(f64x2.mul(t, p), pow2i(q1)), pow2i(i32x4.sub(q, q1)));
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

/** Two columns of `softmaxCols` after their max `mx` and sum `sum`: `lse`, `scale`, and `X` normalized on request. */
function columnsDone(col: usize, rowX: usize, n: i32, lse: usize, scale: usize, mx: v128, sum: v128, normalize: i32): void {
  const inv = f64x2.div(f64x2.splat(1), sum);
  store<f64>(lse, f64x2.extract_lane(mx, 0) + Math.log(f64x2.extract_lane(sum, 0)));
  store<f64>(lse, f64x2.extract_lane(mx, 1) + Math.log(f64x2.extract_lane(sum, 1)), 8);
  if (normalize) {
    let p = col;
    for (let j = 0; j < n; j++) {
      v128.store(p, f64x2.mul(v128.load(p), inv));
      p += rowX;
    }
    v128.store(scale, f64x2.splat(1));
  } else v128.store(scale, inv);
}

/**
 * Columns `i0 ≤ i < i1` of `X` (`n` rows × `ldx`): `lse[i] = ln Σ_j mult_j e^{X[j, i]}` (max-shifted) and `X[j, i]`
 * overwritten with `e^{X[j, i] − max_j X[j, i]}`; `scale[i] = 1 / Σ_j mult_j e^{X[j, i] − max}`, so that
 * `X[j, i] · scale[i]` is the softmax — `softmaxRows` for the class-major layout (a row per token class, a column
 * per prefix). With `normalize`, `X` is multiplied through (the softmax itself) and `scale` set to 1.
 *
 * Blocks of 8 columns (a cache line, four vectors) go down all rows twice (max, then exp and sum) with their maxima
 * and sums in registers; a block's rows (`n` × 64 bytes) stay in the core's cache between the passes.
 */
export function softmaxCols(X: usize, ldx: i32, n: i32, mult: usize, lse: usize, scale: usize, normalize: i32, i0: i32, i1: i32): void {
  const rowX = <usize>ldx << 3;
  let i = i0;
  for (; i + 7 < i1; i += 8) {
    const col = X + (<usize>i << 3);
    let m0 = f64x2.splat(-Infinity), m1 = f64x2.splat(-Infinity), m2 = f64x2.splat(-Infinity), m3 = f64x2.splat(-Infinity);
    let p = col;
    for (let j = 0; j < n; j++) {
      m0 = f64x2.pmax(m0, v128.load(p));
      m1 = f64x2.pmax(m1, v128.load(p, 16));
      m2 = f64x2.pmax(m2, v128.load(p, 32));
      m3 = f64x2.pmax(m3, v128.load(p, 48));
      p += rowX;
    }
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    p = col;
    for (let j = 0; j < n; j++) {
      const mv = f64x2.splat(load<f64>(mult + (<usize>j << 3)));
      const e0 = expv(f64x2.sub(v128.load(p), m0));
      const e1 = expv(f64x2.sub(v128.load(p, 16), m1));
      const e2 = expv(f64x2.sub(v128.load(p, 32), m2));
      const e3 = expv(f64x2.sub(v128.load(p, 48), m3));
      v128.store(p, e0);
      v128.store(p, e1, 16);
      v128.store(p, e2, 32);
      v128.store(p, e3, 48);
      s0 = f64x2.add(s0, f64x2.mul(e0, mv));
      s1 = f64x2.add(s1, f64x2.mul(e1, mv));
      s2 = f64x2.add(s2, f64x2.mul(e2, mv));
      s3 = f64x2.add(s3, f64x2.mul(e3, mv));
      p += rowX;
    }
    const o = <usize>i << 3;
    columnsDone(col, rowX, n, lse + o, scale + o, m0, s0, normalize);
    columnsDone(col + 16, rowX, n, lse + o + 16, scale + o + 16, m1, s1, normalize);
    columnsDone(col + 32, rowX, n, lse + o + 32, scale + o + 32, m2, s2, normalize);
    columnsDone(col + 48, rowX, n, lse + o + 48, scale + o + 48, m3, s3, normalize);
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
