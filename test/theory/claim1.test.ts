import { describe, expect, it } from 'vitest';
import { compileProblem, imRewardGradient, exRewardGradient, dot, makeRng, normalVector } from '../../src/index.js';
import { passes } from '../../src/theory/check.js';
import { checkRewardDynamics, claim1, predictedRewardVelocity, exactRewardVelocity, randomInstance } from '../../src/theory/claim1RewardDynamics.js';
import { exTangentKernel, imTangentKernel } from '../../src/theory/tangentKernel.js';
import { ROUNDOFF } from '../tolerance.js';

const SEEDS = [0, 1, 2, 3, 4];
/** Generous per-test timeout: the machine running the suite may be shared. */
const TIMEOUT = 30_000;

describe('Claim 1: the tangent kernels', () => {
  it('Θ_EX and Θ_IM are the inner products of the models’ reward gradients', () => {
    for (const seed of [0, 1]) {
      const cp = compileProblem(randomInstance({ seed, maxLength: 3, initScale: 0.5, beta: 0.7 }));
      const U = normalVector(makeRng(`claim1-test/${seed}`), cp.vocabSize * cp.hiddenDim, 0.8);
      const im = imTangentKernel(cp, U);
      const ex = exTangentKernel(cp);
      const n = cp.responses.count;
      const g = Array.from({ length: n }, (_, r) => imRewardGradient(cp, U, r));
      const h = Array.from({ length: n }, (_, r) => exRewardGradient(cp, r));
      let scale = 0;
      let worstIm = 0;
      let worstEx = 0;
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          const ref = dot(g[a]!, 0, g[b]!, 0, g[a]!.length);
          scale = Math.max(scale, Math.abs(ref));
          worstIm = Math.max(worstIm, Math.abs(im(a, b) - ref));
          worstEx = Math.max(worstEx, Math.abs(ex(a, b) - dot(h[a]!, 0, h[b]!, 0, h[a]!.length)));
        }
      }
      expect(worstIm / scale).toBeLessThanOrEqual(ROUNDOFF);
      expect(worstEx).toBeLessThanOrEqual(ROUNDOFF);
    }
  });

  it('the prediction equals <∇r, −∇L> at a random parameter, and the identity variant does not', () => {
    const cp = compileProblem(randomInstance({ seed: 5, maxLength: 2, initScale: 0.5 }));
    const U = normalVector(makeRng('claim1-test/velocity'), cp.vocabSize * cp.hiddenDim, 0.8);
    const exact = exactRewardVelocity('im', cp, U);
    const scale = Math.max(...exact.map(Math.abs));
    const err = (v: Float64Array) => Math.max(...v.map((x, i) => Math.abs(x - exact[i]!))) / scale;
    expect(err(predictedRewardVelocity('im', cp, U))).toBeLessThanOrEqual(ROUNDOFF);
    expect(err(predictedRewardVelocity('im', cp, U, undefined, { variant: 'identity' }))).toBeGreaterThan(1e-3);
  });
});

describe('Claim 1: the check', () => {
  for (const seed of SEEDS) {
    it(`passes on seed ${seed}`, { timeout: TIMEOUT }, async () => {
      const ms = await claim1.run(seed);
      expect(ms.length).toBe(12); // 9 kernel comparisons + 3 one-step (Eq. 5) measurements
      for (const m of ms) expect(passes(m), `${m.name} = ${m.value} (tolerance ${m.tolerance})`).toBe(true);
    });
  }

  it('fails when the IM-RM kernel drops the −p terms of τ', { timeout: TIMEOUT }, () => {
    for (const seed of [0, 1]) {
      const ms = checkRewardDynamics(seed, { variant: 'identity' });
      const im = ms.filter((m) => m.name.startsWith('IM-RM'));
      expect(im.length).toBe(6);
      for (const m of im) expect(passes(m), m.name).toBe(false);
      // the EX-RM's kernel has no token factor: the variant leaves it right
      for (const m of ms.filter((m) => m.name.startsWith('EX-RM'))) expect(passes(m), m.name).toBe(true);
    }
  });
});
