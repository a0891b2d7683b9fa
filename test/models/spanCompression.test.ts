/**
 * Span compression of the IM-RM (issue 11): `U − U_0 = W Q` with `Q` an orthonormal basis of the span of the train
 * prefixes' representations. Exact up to round-off: flows agree with the uncompressed flow, the gradient with
 * respect to `W` passes finite differences, and evaluation prefixes outside the span are handled.
 */
import { describe, expect, it } from 'vitest';
import { compileProblem, ImRmPairKernel, makeRng, normalVector, randomInstance, train } from '../../src/index.js';
import { gradientCheck } from '../helpers/finiteDifference.js';
import { FD_GRADIENT_REL, FLOW_AGREEMENT_REL, ROUNDOFF } from '../tolerance.js';

/** Multi-token, random U_0, D = 24 and few prefixes: r < D. */
const compressible = (seed: number, initScale = 0.5) => compileProblem(randomInstance({ seed, vocab: 30, dim: 24, pairs: 4, maxLength: 3, initScale, evalPairs: 6 }));

describe('IM-RM span compression', { timeout: 120_000 }, () => {
  it('the basis is orthonormal, spans every train prefix, and has r < D here', () => {
    const cp = compressible(1);
    const k = new ImRmPairKernel(cp, cp.train);
    const b = k.basis!;
    const D = cp.hiddenDim;
    expect(b.r).toBeLessThan(D);
    expect(k.width).toBe(b.r);
    for (let i = 0; i < b.r; i++)
      for (let j = 0; j < b.r; j++) {
        let g = 0;
        for (let c = 0; c < D; c++) g += b.Q[i * D + c]! * b.Q[j * D + c]!;
        expect(Math.abs(g - (i === j ? 1 : 0))).toBeLessThanOrEqual(ROUNDOFF);
      }
    for (const row of k.terms.row) {
      // ‖h − Qᵀ Q h‖ ≤ round-off · ‖h‖
      const h = cp.H.subarray(row * D, (row + 1) * D);
      const res = Float64Array.from(h);
      for (let i = 0; i < b.r; i++) {
        let c = 0;
        for (let k2 = 0; k2 < D; k2++) c += b.Q[i * D + k2]! * h[k2]!;
        for (let k2 = 0; k2 < D; k2++) res[k2]! -= c * b.Q[i * D + k2]!;
      }
      expect(Math.hypot(...res)).toBeLessThanOrEqual(ROUNDOFF * Math.hypot(...h));
    }
  });

  it('compressed and uncompressed flows agree on every set (evaluation prefixes outside the span too)', () => {
    for (const seed of [1, 2, 3]) {
      for (const initScale of [0, 0.5]) {
        const cp = compressible(seed, initScale);
        const times = [0, 0.5, 3, 20, 200];
        const a = train(cp, 'im', times, { rtol: 1e-11, atol: 1e-13, keepParams: true });
        const b = train(cp, 'im', times, { rtol: 1e-11, atol: 1e-13, compressTokens: false, compressSpan: false, keepParams: true });
        for (const set of Object.keys(b.margins)) {
          b.margins[set]!.forEach((row, p) =>
            row.forEach((y, i) => {
              const scale = Math.max(...Object.values(b.margins).flatMap((s) => s.map((r) => Math.abs(r[i]!))), 1e-300);
              expect(Math.abs(a.margins[set]![p]![i]! - y) / scale, `seed ${seed} ${set}[${p}] t=${times[i]}`).toBeLessThanOrEqual(FLOW_AGREEMENT_REL);
            }),
          );
        }
        // the full U rebuilt from W matches the uncompressed flow's U
        const Ua = a.params!.at(-1)!;
        const Ub = b.params!.at(-1)!;
        let err = 0;
        let sc = 0;
        for (let i = 0; i < Ub.length; i++) (err = Math.max(err, Math.abs(Ua[i]! - Ub[i]!))), (sc = Math.max(sc, Math.abs(Ub[i]! - cp.U0[i]!)));
        expect(err).toBeLessThanOrEqual(FLOW_AGREEMENT_REL * sc);
      }
    }
  });

  it('gradient descent and Adam take the same steps as on the uncompressed U (Adam never uses the rotated basis)', () => {
    const cp = compressible(7);
    for (const method of ['gd', 'adam'] as const) {
      const a = train(cp, 'im', [0.5, 2], { method, lr: 0.05 });
      const b = train(cp, 'im', [0.5, 2], { method, lr: 0.05, compressTokens: false, compressSpan: false });
      for (const set of Object.keys(b.margins))
        b.margins[set]!.forEach((row, p) => row.forEach((y, i) => expect(Math.abs(a.margins[set]![p]![i]! - y), `${method} ${set}[${p}]`).toBeLessThanOrEqual(1e3 * ROUNDOFF * Math.max(1, Math.abs(y)))));
    }
  });

  it('the ascent direction with respect to W passes central finite differences', () => {
    for (const seed of [4, 5]) {
      const cp = compressible(seed);
      const k = new ImRmPairKernel(cp, cp.train);
      expect(k.basis).not.toBeNull();
      const W = normalVector(makeRng(seed), k.size, 0.7);
      const m = new Float64Array(cp.train.count);
      const ascent = new Float64Array(k.size);
      k.evaluate(W, m, ascent);
      expect(gradientCheck((x) => k.evaluate(x, m), W, ascent.map((g) => -g))).toBeLessThanOrEqual(FD_GRADIENT_REL);
    }
  });

  for (const initScale of [0.5, 0]) {
    it(`expand(W) is U_0 + W Q token by token (${initScale ? 'every token its own class, classes not in token order' : 'unused tokens merged'})`, () => {
      const cp = compressible(7, initScale);
      const k = new ImRmPairKernel(cp, cp.train);
      const { r, Q } = k.basis!;
      const { vocabSize: V, hiddenDim: D } = cp;
      if (initScale) {
        expect(k.classes.count).toBe(V);
        expect(k.classes.rep.some((v, c) => v !== c)).toBe(true);
      } else expect(k.classes.count).toBeLessThan(V);
      const W = normalVector(makeRng(7), k.size, 0.7);
      const U = k.expand(W);
      let worst = 0;
      for (let v = 0; v < V; v++) {
        const c = k.classes.classOf[v]!;
        for (let d = 0; d < D; d++) {
          let x = cp.U0[v * D + d]!;
          for (let j = 0; j < r; j++) x += W[c * r + j]! * Q[j * D + d]!;
          worst = Math.max(worst, Math.abs(U[v * D + d]! - x) / Math.max(1, Math.abs(x)));
        }
      }
      expect(worst).toBeLessThanOrEqual(64 * ROUNDOFF);
    });
  }

  it('margins at W equal the uncompressed margins at U = U_0 + W Q', () => {
    const cp = compressible(6);
    const k = new ImRmPairKernel(cp, cp.train);
    const full = new ImRmPairKernel(cp, cp.train, { compress: false });
    const W = normalVector(makeRng(6), k.size, 0.7);
    const a = new Float64Array(cp.train.count);
    const b = new Float64Array(cp.train.count);
    k.evaluate(W, a);
    full.evaluate(k.expand(W), b);
    const scale = Math.max(...b.map(Math.abs));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(64 * ROUNDOFF * scale);
  });
});
