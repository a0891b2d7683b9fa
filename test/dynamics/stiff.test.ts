import { describe, expect, it } from 'vitest';
import { compileProblem, modelOn, randomInstance, train } from '../../src/index.js';
import { rodas4 } from '../../src/dynamics/rosenbrock.js';
import { CLOSED_FORM_REL, STIFF_AGREEMENT_REL, STIFF_MAX_STEPS } from '../tolerance.js';

const DECADES = [0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** 40 random pairs in 3 dimensions (6 tokens): not separable, so the flow settles at a finite loss minimiser. */
const nonSeparable = () => compileProblem(randomInstance({ seed: 1, vocab: 6, dim: 3, pairs: 40 }));
/** 8 pairs in 16 dimensions: separable, margins grow like ln t. */
const separable = () => compileProblem(randomInstance({ seed: 1, vocab: 30, dim: 16, pairs: 8 }));

describe('stiff problems (issue 11)', { timeout: 120_000 }, () => {
  for (const kind of ['ex', 'im'] as const) {
    it(`${kind.toUpperCase()}-RM on non-separable data: switches to RODAS4 and reaches t = 1e9 in ≤ ${STIFF_MAX_STEPS} steps`, () => {
      const cp = nonSeparable();
      expect(modelOn(kind, cp).linearForm()).not.toBeNull();
      const traj = train(cp, kind, DECADES);
      expect(traj.solver.method).toBe('dopri5 → rodas4');
      const [explicit, stiff] = traj.solver.segments!;
      expect(explicit!.method).toBe('dopri5');
      expect(stiff!.method).toBe('rodas4');
      expect(stiff!.from).toBe(explicit!.to);
      expect(stiff!.to).toBe(1e9);
      expect(traj.solver.steps).toBeLessThanOrEqual(STIFF_MAX_STEPS);
      expect(traj.solver.steps).toBe(explicit!.steps + stiff!.steps);
      // the loss settles at its minimum (not separable): constant over the last decade to the default rtol 1e-8
      expect(traj.loss.at(-1)!).toBeGreaterThan(0.1);
      expect(Math.abs(traj.loss.at(-1)! - traj.loss.at(-2)!)).toBeLessThanOrEqual(1e-8 * traj.loss.at(-1)!);
    });

    it(`${kind.toUpperCase()}-RM: the stiff switch agrees with explicit steps throughout (to t = 1e5)`, () => {
      const cp = nonSeparable();
      const times = DECADES.slice(0, 7);
      const a = train(cp, kind, times, { rtol: 1e-10, atol: 1e-12 });
      const b = train(cp, kind, times, { rtol: 1e-10, atol: 1e-12, stiff: 'never' });
      expect(a.solver.segments!.map((s) => s.method)).toEqual(['dopri5', 'rodas4']);
      expect(b.solver.method).toBe('dopri5');
      expect(a.solver.steps * 5).toBeLessThan(b.solver.steps);
      for (const set of Object.keys(b.margins)) {
        b.margins[set]!.forEach((row, p) =>
          row.forEach((y, i) => {
            const scale = Math.max(...b.margins[set]!.map((r) => Math.abs(r[i]!)), 1e-300);
            expect(Math.abs(a.margins[set]![p]![i]! - y) / scale, `${set}[${p}] at t = ${times[i]}`).toBeLessThanOrEqual(STIFF_AGREEMENT_REL);
          }),
        );
      }
    });
  }

  it('separable data never turns stiff: Dormand–Prince throughout, steps per decade bounded', () => {
    const traj = train(separable(), 'ex', DECADES);
    expect(traj.solver.method).toBe('dopri5');
    expect(traj.solver.steps).toBeLessThanOrEqual(STIFF_MAX_STEPS);
  });

  it('RODAS4 integrates a stiff linear system to its closed form', () => {
    // y' = A y with eigenvalues −1 and −1e6: y(t) = e^{−t} v1 + e^{−1e6 t} v2
    const A = [-1, 0, 1e6 - 1, -1e6]; // lower triangular: y1' = −y1, y2' = (1e6 − 1) y1 − 1e6 y2
    const f = (_t: number, y: Float64Array, dy: Float64Array) => {
      dy[0] = A[0]! * y[0]!;
      dy[1] = A[2]! * y[0]! + A[3]! * y[1]!;
    };
    let hg = 1;
    const jac = {
      factor: (_y: Float64Array, h: number) => void (hg = h),
      solve(b: Float64Array, x: Float64Array) {
        // (I/hg − A) x = b, lower triangular
        const x0 = b[0]! / (1 / hg - A[0]!);
        x[1] = (b[1]! + A[2]! * x0) / (1 / hg - A[3]!);
        x[0] = x0;
      },
    };
    const times = [1e-3, 0.1, 1, 5];
    const out: number[][] = [];
    const stats = rodas4(f, jac, 0, Float64Array.from([1, 2]), times, 0, (_i, _t, y) => out.push([...y]), { rtol: 1e-10, atol: 1e-14, maxSteps: 10_000, h0: 1e-8 });
    times.forEach((t, i) => {
      const exact = [Math.exp(-t), Math.exp(-t) + Math.exp(-1e6 * t)];
      for (let k = 0; k < 2; k++) expect(Math.abs(out[i]![k]! - exact[k]!) / Math.abs(exact[k]!)).toBeLessThanOrEqual(CLOSED_FORM_REL);
    });
    // an explicit method would need h ≤ 3.3/1e6, i.e. over a million steps to t = 5
    expect(stats.steps).toBeLessThan(1000);
  });
});
