/**
 * The WebAssembly SIMD kernels against the plain-TypeScript ones (issue 11: same results to 1e-12 relative), on
 * shapes that exercise every tile remainder, operands in and out of the kernels' memory, and large logits (the
 * log-sum-exp's max shift); and the class-major layout the IM-RM runs in (logits `B Aᵀ`, a softmax per column, the
 * gradient as an `A Bᵀ` product) against the prefix-major one, on both back ends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { kernelInfo, makeRng, normalVector, useKernels } from '../../src/index.js';
import { expInto, gemmABt, gemmAtB, kernelArray, softmaxColumns, softmaxRows } from '../../src/linalg/kernels.js';
import * as ts from '../../src/linalg/tsKernels.js';
import { WasmKernels } from '../../src/linalg/wasm/backend.js';
import { KERNEL_AGREEMENT_REL, ROUNDOFF } from '../tolerance.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 4, 2],
  [3, 5, 9],
  [5, 7, 17],
  [7, 13, 64],
  [33, 101, 23],
  [96, 600, 112],
];

/** Max |a − b| / max |b|. */
const rel = (a: Float64Array, b: Float64Array): number => {
  let e = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) (e = Math.max(e, Math.abs(a[i]! - b[i]!))), (s = Math.max(s, Math.abs(b[i]!)));
  return s === 0 ? e : e / s;
};

interface Outputs {
  C: Float64Array;
  P: Float64Array;
  lse: Float64Array;
  G: Float64Array;
}

/**
 * The pipeline's inputs, drawn in one order from `seed` (so both layouts see the same numbers): `A` (`m × d`), `B`
 * (`n × d`), `Base` (`m × n`), multiplicities, row scales `s`, the gradient's start `G0` (`n × d`); `arr` puts an
 * array in the kernels' memory when `resident`.
 */
function inputs(m: number, n: number, d: number, seed: number, resident: boolean, logitScale: number) {
  const rng = makeRng(seed);
  const arr = (x: Float64Array) => {
    if (!resident) return Float64Array.from(x);
    const a = kernelArray(x.length);
    a.set(x);
    return a;
  };
  const A = arr(normalVector(rng, m * d, logitScale));
  const B = arr(normalVector(rng, n * d));
  const base = normalVector(rng, m * n);
  const mult = arr(Float64Array.from({ length: n }, (_, j) => 1 + (j % 3)));
  const s = normalVector(rng, m);
  const G0 = normalVector(rng, n * d);
  return { arr, A, B, base, mult, s, G0 };
}

/** logits = Base + A Bᵀ, softmax with multiplicities, gradient G += (diag(s) P)ᵀ A — on the current back end. */
function pipeline(m: number, n: number, d: number, seed: number, resident: boolean, logitScale = 1): Outputs {
  const { arr, A, B, base, mult, s, G0 } = inputs(m, n, d, seed, resident, logitScale);
  const C = arr(new Float64Array(m * n));
  const lse = arr(new Float64Array(m));
  const G = arr(G0);
  gemmABt(A, m, B, n, d, C, arr(base));
  const logits = Float64Array.from(C);
  softmaxRows(C, m, n, mult, lse);
  gemmAtB(C, arr(s), m, n, A, d, G);
  return { C: logits, P: Float64Array.from(C), lse: Float64Array.from(lse), G: Float64Array.from(G) };
}

/**
 * The same pipeline class-major: logitsᵀ = Baseᵀ + B Aᵀ (`n × m`), a softmax per column (normalized in place, or
 * exponentials plus per-column scales), gradient G₀ + Pᵀ-part as `Pᵀ Sᵀ` with `S = (diag(s ∘ scale) A)ᵀ` (`d × m`).
 * Returned in the prefix-major layout, to compare entry by entry with `pipeline`.
 */
function classMajor(m: number, n: number, d: number, seed: number, resident: boolean, scaled: boolean, logitScale = 1): Outputs {
  const { arr, A, B, base, mult, s, G0 } = inputs(m, n, d, seed, resident, logitScale);
  const baseT = arr(Float64Array.from({ length: m * n }, (_, k) => base[(k % m) * n + Math.floor(k / m)]!));
  const CT = arr(new Float64Array(n * m));
  const lse = arr(new Float64Array(m));
  gemmABt(B, n, A, m, d, CT, baseT);
  const logitsT = Float64Array.from(CT);
  const scale = scaled ? arr(new Float64Array(m)) : null;
  softmaxColumns(CT, m, n, mult, lse, scale);
  const w = Float64Array.from({ length: m }, (_, i) => s[i]! * (scale ? scale[i]! : 1));
  const S = arr(Float64Array.from({ length: d * m }, (_, k) => A[(k % m) * d + Math.floor(k / m)]! * w[k % m]!));
  const G = arr(new Float64Array(n * d));
  gemmABt(CT, n, S, d, m, G, null, 'gradient');
  const transpose = (X: Float64Array) => Float64Array.from({ length: m * n }, (_, k) => X[(k % n) * m + Math.floor(k / n)]!);
  const P = transpose(CT);
  if (scale) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) P[i * n + j]! *= scale[i]!;
  return { C: transpose(logitsT), P, lse: Float64Array.from(lse), G: Float64Array.from(G, (g, k) => g + G0[k]!) };
}

describe('kernels: WebAssembly SIMD vs TypeScript', { timeout: 120_000 }, () => {
  afterAll(() => void useKernels('auto'));

  it('WebAssembly SIMD loads here and is the default', () => {
    expect(useKernels('auto')).toBe('wasm');
    expect(kernelInfo().sharedMemory).toBe(true);
  });

  for (const [m, n, d] of SHAPES) {
    it(`m=${m} n=${n} d=${d}: logits, softmax, log-sum-exp and gradient agree to ${KERNEL_AGREEMENT_REL}`, () => {
      useKernels('typescript');
      const ref = pipeline(m, n, d, m * 1000 + n, false);
      useKernels('wasm');
      for (const resident of [true, false]) {
        const w = pipeline(m, n, d, m * 1000 + n, resident);
        expect(rel(w.C, ref.C)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
        expect(rel(w.lse, ref.lse)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
        for (let i = 0; i < m; i++) expect(rel(w.P.subarray(i * n, (i + 1) * n), ref.P.subarray(i * n, (i + 1) * n))).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
        expect(rel(w.G, ref.G)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      }
    });
  }

  for (const [m, n, d] of [...SHAPES, [9, 2, 5], [101, 33, 23]] as [number, number, number][]) {
    it(`m=${m} n=${n} d=${d}: the class-major layout (both products as A·Bᵀ, softmax per column) agrees with the prefix-major one to ${KERNEL_AGREEMENT_REL}`, () => {
      useKernels('typescript');
      const ref = pipeline(m, n, d, m * 1000 + n, false);
      for (const backend of ['typescript', 'wasm'] as const) {
        useKernels(backend);
        for (const [resident, scaled] of [[true, true], [false, false], [true, false], [false, true]]) {
          const w = classMajor(m, n, d, m * 1000 + n, resident!, scaled!);
          expect(rel(w.C, ref.C), `${backend} logits`).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
          expect(rel(w.lse, ref.lse), `${backend} lse`).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
          for (let i = 0; i < m; i++) expect(rel(w.P.subarray(i * n, (i + 1) * n), ref.P.subarray(i * n, (i + 1) * n)), `${backend} softmax row ${i}`).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
          expect(rel(w.G, ref.G), `${backend} gradient`).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
        }
      }
    });
  }

  it('an unshared memory (a page without cross-origin isolation, as the explorer runs): operands copied in, same results', () => {
    const plain = new WasmKernels(false, () => null);
    expect(plain.shared).toBe(false);
    expect(plain.alloc(10)).toBeNull();
    const [m, n, d] = [9, 301, 33];
    const rng = makeRng(11);
    const A = normalVector(rng, m * d);
    const B = normalVector(rng, n * d);
    const mult = new Float64Array(n).fill(1);
    const s = normalVector(rng, m);
    const out = (k: { gemmABt: typeof plain.gemmABt; softmaxRows: typeof plain.softmaxRows; gemmAtB: typeof plain.gemmAtB }) => {
      const C = new Float64Array(m * n);
      const lse = new Float64Array(m);
      const G = new Float64Array(n * d);
      k.gemmABt(A, m, B, n, d, C, null);
      k.softmaxRows(C, m, n, mult, lse);
      k.gemmAtB(C, s, m, n, A, d, G);
      return { lse, G };
    };
    const w = out(plain);
    const t = out(ts);
    expect(rel(w.lse, t.lse)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
    expect(rel(w.G, t.G)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
    // class-major: logitsᵀ on the rows path (n > m), a softmax per column with and without scales
    for (const scaled of [false, true]) {
      const cols = (k: { gemmABt: typeof plain.gemmABt; softmaxColumns: typeof plain.softmaxColumns }) => {
        const CT = new Float64Array(n * m);
        const lse = new Float64Array(m);
        const scale = scaled ? new Float64Array(m) : null;
        k.gemmABt(B, n, A, m, d, CT, null);
        k.softmaxColumns(CT, m, n, mult, lse, scale);
        return { CT, lse, scale };
      };
      const wc = cols(plain);
      const tc = cols(ts);
      expect(rel(wc.CT, tc.CT)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      expect(rel(wc.lse, tc.lse)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      expect(rel(wc.lse, w.lse)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      if (scaled) expect(rel(wc.scale!, tc.scale!)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
    }
  });

  it('two threads (the second started by the first large call) give the same results', async () => {
    useKernels('wasm');
    const [m, n, d] = [40, 3001, 48];
    pipeline(m, n, d, 7, true); // starts the second thread
    for (let i = 0; i < 200 && kernelInfo().threads < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(kernelInfo().threads).toBe(2);
    const w = pipeline(m, n, d, 7, true);
    const wc = classMajor(m, n, d, 7, true, true); // both products on the rows path, the softmax split by columns
    useKernels('typescript');
    const ref = pipeline(m, n, d, 7, false);
    for (const x of [w, wc]) {
      expect(rel(x.C, ref.C)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      expect(rel(x.lse, ref.lse)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
      expect(rel(x.G, ref.G)).toBeLessThanOrEqual(KERNEL_AGREEMENT_REL);
    }
  });

  for (const backend of ['wasm', 'typescript'] as const) {
    it(`${backend}: logits of size ~1e3 give finite log-sum-exps and a softmax that sums to one (the max shift), rows and columns`, () => {
      useKernels(backend);
      const m = 11; // a block of 8 columns and a remainder of 3 in the class-major softmax
      const n = 50;
      const X = normalVector(makeRng(5), m * n, 1e3);
      const X0 = Float64Array.from(X);
      const mult = new Float64Array(n).fill(1);
      const lse = new Float64Array(m);
      softmaxRows(X, m, n, mult, lse);
      for (let i = 0; i < m; i++) {
        const row = X0.subarray(i * n, (i + 1) * n);
        const mx = Math.max(...row);
        // the largest logit dominates: lse = max + ln(1 + Σ_{others} e^{x − max}) ∈ [max, max + ln n]
        expect(Number.isFinite(lse[i]!)).toBe(true);
        expect(lse[i]!).toBeGreaterThanOrEqual(mx);
        expect(lse[i]!).toBeLessThanOrEqual(mx + Math.log(n));
        let total = 0;
        for (let j = 0; j < n; j++) total += X[i * n + j]!;
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(ROUNDOFF);
      }
      // the same logits class-major (n × m): the same log-sum-exps, each column a distribution
      const XT = Float64Array.from({ length: m * n }, (_, k) => X0[(k % m) * n + Math.floor(k / m)]!);
      const lseT = new Float64Array(m);
      softmaxColumns(XT, m, n, mult, lseT);
      for (let i = 0; i < m; i++) {
        expect(Math.abs(lseT[i]! - lse[i]!)).toBeLessThanOrEqual(ROUNDOFF * Math.abs(lse[i]!));
        let total = 0;
        for (let j = 0; j < n; j++) total += XT[j * m + i]!;
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(ROUNDOFF);
      }
    });
  }

  it('vector exp matches Math.exp to a few ulps over [−745, 709], with ±∞ and NaN handled', () => {
    useKernels('wasm');
    const x = Float64Array.from({ length: 4001 }, (_, i) => -745 + (i * (709 + 745)) / 4000);
    const out = new Float64Array(x.length);
    expInto(x, out);
    for (let i = 0; i < x.length; i++) {
      const e = Math.exp(x[i]!);
      if (e < 2.3e-308) expect(Math.abs(out[i]! - e)).toBeLessThanOrEqual(1e-310);
      else expect(Math.abs(out[i]! - e) / e).toBeLessThanOrEqual(8 * Number.EPSILON);
    }
    // every entry of the 2^{j/128} table: x = (128q + j)·ln2/128 + δ for j = 0 … 127, a few q and offsets δ
    const y = Float64Array.from({ length: 128 * 4 * 3 }, (_, i) => {
      const j = i % 128;
      const q = [-3, 0, 1, 40][Math.floor(i / 128) % 4]!;
      const delta = [0, 1e-3, -2.5e-3][Math.floor(i / 512)]!;
      return ((128 * q + j) * Math.LN2) / 128 + delta;
    });
    const oy = new Float64Array(y.length);
    expInto(y, oy);
    for (let i = 0; i < y.length; i++) expect(Math.abs(oy[i]! - Math.exp(y[i]!)) / Math.exp(y[i]!), `x = ${y[i]}`).toBeLessThanOrEqual(4 * Number.EPSILON);
    const special = Float64Array.from([-Infinity, Infinity, NaN, 710, -800]);
    const o = new Float64Array(special.length);
    expInto(special, o);
    expect([...o]).toEqual([0, Infinity, NaN, Infinity, 0]);
  });
});
