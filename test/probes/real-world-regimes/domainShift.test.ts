/**
 * The domain-shift probe family: its documented geometry (unit representations, the common component, the evaluation
 * domain at cosine ρ, shared tokens nested in f and keeping their label), Theorem 2 at f = 0, and the reversal with
 * the ingredient it needs.
 */
import { describe, expect, it } from 'vitest';
import { compileProblem, dot } from '../../../src/index.js';
import { buildDomainShiftProblem, pointName, type DomainShiftPoint } from '../../../src/probes/real-world-regimes/domainShift.js';
import { REGIME, runDomainShift, summarizeDomainShift } from '../../../src/probes/real-world-regimes/regimes.js';
import { InputError } from '../../../src/messages/index.js';
import { ROUNDOFF } from '../../tolerance.js';

const POINTS: DomainShiftPoint[] = [0, 0.25, 0.5, 0.75, 1].flatMap((f) => [0, 0.5, 1].map((rho) => ({ sharedFraction: f, rho })));
const TRAIN_TOKENS = 16; // 2 × tokensPerLabel (8): ids below are training tokens

describe('domain-shift family: construction', () => {
  it('every representation has unit norm', () => {
    const { problem } = buildDomainShiftProblem({ kind: 'multi-token', seed: 1 }, POINTS);
    const cp = compileProblem(problem);
    for (let r = 0; r < cp.rowCount; r++) expect(Math.abs(dot(cp.H, r * cp.hiddenDim, cp.H, r * cp.hiddenDim, cp.hiddenDim) - 1)).toBeLessThanOrEqual(ROUNDOFF);
  });

  it('shared positions are nested in f, hold training tokens exactly there, and f = 0 shares none', () => {
    const { problem } = buildDomainShiftProblem({ kind: 'multi-token', seed: 2 }, POINTS);
    for (const rho of [0, 0.5, 1]) {
      const sets = [0, 0.25, 0.5, 0.75, 1].map((f) => problem.eval[pointName({ sharedFraction: f, rho })]!);
      sets.forEach((pairs, k) => {
        for (const p of pairs) for (const y of [p.chosen, p.rejected]) expect(y.filter((v) => v < TRAIN_TOKENS).length).toBe(k); // round(f·4) = k
      });
      for (let k = 1; k < sets.length; k++) {
        sets[k]!.forEach((p, i) => {
          const prev = sets[k - 1]![i]!;
          // every position shared at the smaller f is shared, with the same token, at the larger one
          prev.chosen.forEach((v, j) => {
            if (v < TRAIN_TOKENS) expect(p.chosen[j]).toBe(v);
          });
        });
      }
    }
  });

  it('shared tokens keep their label more often than not (π_t = 0.75), and lose it with sharedTokens: random', () => {
    const share = (opts: object) => {
      const { problem } = buildDomainShiftProblem({ kind: 'multi-token', seed: 3, evalPairs: 200, ...opts }, [{ sharedFraction: 1, rho: 1 }]);
      let own = 0;
      let all = 0;
      for (const p of problem.eval['f=1,rho=1']!) {
        for (const v of p.chosen) (own += v < 8 ? 1 : 0), all++; // good pool: ids 0 … 7
        for (const v of p.rejected) (own += v >= 8 && v < 16 ? 1 : 0), all++;
      }
      return own / all;
    };
    expect(share({})).toBeGreaterThan(0.7);
    expect(share({})).toBeLessThan(0.8);
    expect(Math.abs(share({ sharedTokens: 'random' }) - 0.5)).toBeLessThan(0.05);
  });

  it('the common component: <h, h\'> > 0 across domains with it, and averages 0 without it', () => {
    const mean = (commonWeight: number) => {
      const { problem } = buildDomainShiftProblem({ kind: 'one-token', seed: 4, commonWeight }, [{ sharedFraction: 0.5, rho: 0 }]);
      const train = problem.train.map((p) => problem.representation.hidden(p.prompt, []));
      const evalPrompts = problem.eval['f=0.5,rho=0']!.map((p) => problem.representation.hidden(p.prompt, []));
      let s = 0;
      let min = Infinity;
      for (const a of train) for (const b of evalPrompts) (s += dot(a, 0, b, 0, a.length)), (min = Math.min(min, dot(a, 0, b, 0, a.length)));
      return { mean: s / (train.length * evalPrompts.length), min };
    };
    expect(mean(1.5).min).toBeGreaterThan(0);
    expect(Math.abs(mean(0).mean)).toBeLessThan(0.05);
  });

  it('rejects a point outside its range, naming it', () => {
    expect(() => buildDomainShiftProblem({ kind: 'one-token', seed: 0 }, [{ sharedFraction: 1.5, rho: 0 }])).toThrow(InputError);
    expect(() => buildDomainShiftProblem({ kind: 'one-token', seed: 0 }, [{ sharedFraction: 0.5, rho: 2 }])).toThrow(/points\[0\]\.rho/);
  });
});

describe('domain-shift family: what the models do', { timeout: 120_000 }, () => {
  it('one-token responses at f = 0: the IM-RM is exactly at ½, every pair a tie, for every ρ (Theorem 2)', () => {
    const pts = [0, 0.5, 1].map((rho) => ({ sharedFraction: 0, rho }));
    for (const seed of [0, 1]) {
      const run = runDomainShift({ kind: 'one-token', seed }, pts, ['im']);
      for (const m of run.metrics.im!) expect({ accuracy: m.accuracy, ties: m.ties, normalizedMargin: m.normalizedMargin }).toEqual({ accuracy: 0.5, ties: 1, normalizedMargin: 0 });
    }
  });

  it('the reversal: EX-RM ahead in-distribution and under the token-level shift, behind under the domain shift; gone without the common component', () => {
    const points = [REGIME['in-distribution'], REGIME['token-level shift'], REGIME['domain shift']];
    const s = summarizeDomainShift({ kind: 'one-token' }, points, 20);
    const diff = (j: number) => s.accuracy.ex![j]! - s.accuracy.im![j]!;
    expect(diff(0)).toBeGreaterThan(0.2);
    expect(diff(1)).toBeGreaterThan(0.3);
    expect(diff(2)).toBeLessThan(-0.05);
    // without the common component the IM-RM has nothing to carry across domains: about chance
    const noCommon = summarizeDomainShift({ kind: 'one-token', commonWeight: 0 }, [REGIME['domain shift']], 20);
    expect(Math.abs(noCommon.accuracy.im![0]! - 0.5)).toBeLessThan(0.05);
    expect(s.accuracy.im![2]! - noCommon.accuracy.im![0]!).toBeGreaterThan(0.05);
  });
});
