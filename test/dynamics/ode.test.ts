import { describe, expect, it } from 'vitest';
import { dopri5, InputError, message } from '../../src/index.js';

/** Closed-form solutions, integrated at the default rtol 1e-8 (global error a small multiple of it). */
const GLOBAL_REL = 1e-7;

describe('Dormand–Prince 5(4)', () => {
  it('y′ = −y and the harmonic oscillator match their closed forms at dense-output times', () => {
    const times = [0, 0.05, 0.3, 1, 2.5, 7, 10];
    const out: number[][] = [];
    dopri5((_t, y, dy) => {
      dy[0] = -y[0]!;
      dy[1] = y[2]!;
      dy[2] = -y[1]!;
    }, Float64Array.from([1, 0, 1]), times, (i, _t, y) => (out[i] = [...y]));
    times.forEach((t, i) => {
      expect(Math.abs(out[i]![0]! - Math.exp(-t)) / Math.exp(-t)).toBeLessThanOrEqual(GLOBAL_REL);
      expect(Math.abs(out[i]![1]! - Math.sin(t))).toBeLessThanOrEqual(GLOBAL_REL);
      expect(Math.abs(out[i]![2]! - Math.cos(t))).toBeLessThanOrEqual(GLOBAL_REL);
    });
  });

  it('dense output is 4th-order accurate between steps (error falls ~16-32× when the step halves)', () => {
    // exp growth with fixed large steps (rtol loose, h0 set): interpolate mid-step and compare to exp
    const err = (h0: number) => {
      let worst = 0;
      dopri5((_t, y, dy) => (dy[0] = y[0]!), Float64Array.of(1), [0.37 * h0, 0.5 * h0, 0.81 * h0], (_i, t, y) => (worst = Math.max(worst, Math.abs(y[0]! - Math.exp(t))))
        , { h0, rtol: 1, atol: 1 });
      return worst;
    };
    const ratio = err(0.4) / err(0.2);
    expect(ratio).toBeGreaterThan(16);
  });

  it('the step size grows with t when the dynamics slow like 1/t: steps per decade stay bounded', () => {
    // y′ = 1/(1 + e^y): y + e^y = t + 1, margins grow like ln t
    const steps: number[] = [];
    for (const tEnd of [1e3, 1e6, 1e9]) {
      const s = dopri5((_t, y, dy) => (dy[0] = 1 / (1 + Math.exp(y[0]!))), Float64Array.of(0), [tEnd], () => {});
      steps.push(s.steps);
    }
    expect(steps[2]! - steps[1]!).toBeLessThanOrEqual(1.5 * (steps[1]! - steps[0]!) + 5);
    expect(steps[2]!).toBeLessThan(400);
  });

  it('lands exactly on the last time when t + (tEnd − t) rounds below tEnd (no 1-ulp step that underflows)', () => {
    // a first step of h0, then one clamped to tEnd − t: h0 + (1e-4 − h0) is 1 ulp below 1e-4 in floating point
    const h0 = 0.000009094181818181819;
    expect(h0 + (1e-4 - h0)).toBeLessThan(1e-4);
    const out: number[] = [];
    dopri5((_t, _y, dy) => (dy[0] = 0), Float64Array.of(1), [h0, 1e-4], (i, t) => (out[i] = t), { h0 });
    expect(out).toEqual([h0, 1e-4]);
  });

  it('stops with a clear error when maxSteps is reached', () => {
    expect(() => dopri5((_t, y, dy) => (dy[0] = Math.cos(50 * _t)), Float64Array.of(0), [100], () => {}, { maxSteps: 10 })).toThrowError(new InputError(message.maxStepsExceeded(10, 0)).message.split(' at t')[0]);
  });
});
