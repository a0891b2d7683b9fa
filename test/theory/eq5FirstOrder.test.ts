/**
 * Eq. 5 is first order: after one gradient step of size η the IM-RM's reward changes by η × the kernel prediction
 * plus O(η²) (fitted log-log slope 2), the EX-RM's by exactly η × its prediction; the check fails when the prediction
 * is wrong at first order (token factor replaced by token identity: slope 1).
 */
import { describe, expect, it } from 'vitest';
import { passes } from '../../src/theory/check.js';
import { checkRewardDynamics, claim1Instances } from '../../src/theory/claim1RewardDynamics.js';
import { EQ5_SLOPE_TOLERANCE, EQ5_STEP_SIZES, firstOrderResult, logLogSlope, oneStepRemainders } from '../../src/theory/eq5FirstOrder.js';
import { tokenFactor } from '../../src/theory/tangentKernel.js';
import { makeRng, normalVector } from '../../src/random.js';

const multiTokenInstances = (seed: number) => claim1Instances(seed).filter((i) => i.name === 'multi-token').map((i) => i.cp);
const head = (cp: { hiddenDim: number }) => normalVector(makeRng('eq5-test'), cp.hiddenDim);

describe('Eq. 5 is first order', () => {
  it('logLogSlope recovers the exponent of a power law', () => {
    const xs = [1e-4, 1e-3, 1e-2, 1e-1];
    expect(logLogSlope(xs, xs.map((x) => 3 * x ** 2))).toBeCloseTo(2, 12);
    expect(logLogSlope(xs, xs.map((x) => x))).toBeCloseTo(1, 12);
  });

  for (const seed of [0, 1, 2]) {
    it(`IM-RM remainder has slope 2 ± ${EQ5_SLOPE_TOLERANCE}; EX-RM change exact; |ρ| ≤ 2 (seed ${seed})`, () => {
      const r = firstOrderResult(multiTokenInstances(seed), head);
      for (const s of r.imSlopes) expect(Math.abs(s - 2)).toBeLessThanOrEqual(EQ5_SLOPE_TOLERANCE);
      expect(r.exRelative).toBeLessThanOrEqual(1e-13);
      expect(r.maxCoefficient).toBeLessThanOrEqual(2);
      expect(r.maxCoefficient).toBeGreaterThan(0.5); // the coefficients are exercised, not all ~0
    });
  }

  it('the deliberately wrong prediction (token identity) leaves a first-order remainder: slope 1, the check fails', () => {
    const r = firstOrderResult(multiTokenInstances(0), head, { variant: 'identity' });
    for (const s of r.imSlopes) expect(Math.abs(s - 1)).toBeLessThan(0.1);
    const ms = checkRewardDynamics(0, { eq5Variant: 'identity', times: [1] }).filter((m) => m.name.startsWith('Eq. 5, one GD step'));
    expect(ms).toHaveLength(1);
    expect(passes(ms[0]!)).toBe(false);
  });

  it('the remainder shrinks by 100× when η shrinks by 10× (the definition of second order), at every step size', () => {
    const cp = multiTokenInstances(1)[0]!;
    const pts = oneStepRemainders('im', cp, cp.U0, EQ5_STEP_SIZES);
    for (let i = 2; i < pts.length; i += 2) {
      // EQ5_STEP_SIZES are 10^{-6 + k/2}: every second one is 10× larger
      expect(pts[i]!.error / pts[i - 2]!.error).toBeGreaterThan(80);
      expect(pts[i]!.error / pts[i - 2]!.error).toBeLessThan(125);
    }
  });

  it('the coefficient range [−2, 2] is sharp: τ = −2 at p̄ = e_b, p = e_a with a ≠ b, and 2 at p̄ = p = e_c, a = b ≠ c', () => {
    const e = (k: number) => Float64Array.from([0, 0, 0], (_, i) => (i === k ? 1 : 0));
    expect(tokenFactor(0, e(1), 1, e(0))).toBe(-2);
    expect(tokenFactor(0, e(2), 0, e(2))).toBe(2);
  });
});
