/**
 * Identities that pin the loss and the optimiser down (issue 12's surviving mutations): the Bradley–Terry loss is a
 * mean (ln 2 at zero margins, whatever the number of pairs), and one Adam step from the start moves every
 * coordinate by `η g / (|g| + ε)` (bias-corrected moments: `m̂ = g`, `v̂ = g²`).
 */
import { describe, expect, it } from 'vitest';
import { bradleyTerryLoss, compileProblem, ExRmPairKernel, ImRmPairKernel, randomInstance, train } from '../../src/index.js';
import { ROUNDOFF } from '../tolerance.js';

describe('Bradley–Terry loss', () => {
  it('is ln 2 at zero margins, for any number of pairs (a mean, not a sum)', () => {
    for (const n of [1, 3, 17]) expect(bradleyTerryLoss(new Float64Array(n))).toBe(Math.LN2);
  });

  for (const kind of ['ex', 'im'] as const) {
    it(`${kind.toUpperCase()}-RM from zero init: the trajectory's and the kernel's loss at t = 0 are ln 2`, () => {
      const cp = compileProblem(randomInstance({ seed: 3, pairs: 7, maxLength: 2 }));
      const traj = train(cp, kind, [0, 1]);
      expect(Math.abs(traj.loss[0]! - Math.LN2)).toBeLessThanOrEqual(ROUNDOFF);
      const k = kind === 'ex' ? new ExRmPairKernel(cp, cp.train) : new ImRmPairKernel(cp, cp.train);
      const theta = k instanceof ImRmPairKernel ? k.initial() : Float64Array.from(cp.u0);
      expect(Math.abs(k.evaluate(theta, new Float64Array(cp.train.count)) - Math.LN2)).toBeLessThanOrEqual(ROUNDOFF);
      expect(traj.loss[1]!).toBeLessThan(Math.LN2);
    });
  }
});

describe('Adam', () => {
  it('one step from the start moves each coordinate by η g/(|g| + ε) (bias correction)', () => {
    const cp = compileProblem(randomInstance({ seed: 4, pairs: 6, initScale: 0.3 }));
    const lr = 0.01;
    const eps = 1e-8;
    const traj = train(cp, 'ex', [lr], { method: 'adam', lr, adam: { eps }, keepParams: true });
    expect(traj.solver.steps).toBe(1);
    const ascent = new Float64Array(cp.hiddenDim);
    new ExRmPairKernel(cp, cp.train).evaluate(Float64Array.from(cp.u0), new Float64Array(cp.train.count), ascent);
    const u1 = traj.params![0]!;
    for (let k = 0; k < cp.hiddenDim; k++) {
      const expected = cp.u0[k]! + (lr * ascent[k]!) / (Math.abs(ascent[k]!) + eps);
      expect(Math.abs(u1[k]! - expected)).toBeLessThanOrEqual(ROUNDOFF * lr);
    }
  });
});
