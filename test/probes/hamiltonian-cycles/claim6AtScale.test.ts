import { describe, expect, it } from 'vitest';
import { AT_SCALE_SEEDS, checkAtScale, claim6WithScale } from '../../../src/probes/hamiltonian-cycles/claim6AtScale.js';
import { ALL_CLAIM_CHECKS } from '../../../src/probes/checks.js';
import { claim6 } from '../../../src/theory/claim6VerifyWithoutGenerating.js';
import { passes, type Measurement } from '../../../src/theory/check.js';

const failing = (ms: Measurement[]) => ms.filter((m) => !passes(m)).map((m) => m.name);
const FEATURES = "(iii) paper scale, features: test-graph pair accuracy at a time when mean π_θ(C|x) ≤ 0.05";
const ONE_HOT = ['(iii) paper scale, one-hot: max over times |test-graph pair accuracy − ½|', '(iii) paper scale, one-hot: min over times of the test-graph tie fraction'];

describe('Claim 6 (iii): verification without generation at the paper\'s scale', { timeout: 120_000 }, () => {
  it('passes on seed 0 (10 vertices, 1000 train / 200 test graphs): features ≥ 0.95 while π_θ(C|x) ≤ 0.05, one-hot exactly ½ by ties', () => {
    const ms = checkAtScale(0);
    expect(ms.map((m) => m.name)).toEqual([FEATURES, ...ONE_HOT]);
    expect(failing(ms)).toEqual([]);
  });

  it('fails with graph-blind features (nothing ties a vertex to the edges of its graph)', () => {
    expect(failing(checkAtScale(0, { variant: 'graphBlindFeatures' }))).toEqual([FEATURES]);
  });

  it('fails with one-hot columns shared between graphs (small instance: trained whole)', () => {
    expect(failing(checkAtScale(0, { variant: 'sharedOneHot', vertices: 7, trainGraphs: 40, testGraphs: 20 }))).toEqual(ONE_HOT);
  });

  it('imrm check runs Claim 6 once, with parts (i)–(ii) on every seed and (iii) on the first AT_SCALE_SEEDS', async () => {
    expect(ALL_CLAIM_CHECKS.filter((c) => c.claim === '6')).toEqual([claim6WithScale]);
    const later = await claim6WithScale.run(AT_SCALE_SEEDS);
    expect(later.map((m) => m.name)).toEqual((await claim6.run(AT_SCALE_SEEDS)).map((m) => m.name));
    expect(later.some((m) => m.name.startsWith('(iii)'))).toBe(false);
  });
});
