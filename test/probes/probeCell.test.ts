/**
 * docs/theory.md Claim 5 on fixed seeds: the probes pull the IM-RM's cue (token identity) and the EX-RM's cue (whole-
 * sequence representation) apart.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/messages/index.js';
import { probeMessages } from '../../src/messages/probes.js';
import { buildProbeProblem } from '../../src/probes/probeSets.js';
import { measureProblem, probeCellMetrics, runProbeCell, type ProbeCellOptions, type ProbeCellResult } from '../../src/probes/probeCell.js';
import { ROUNDOFF } from '../tolerance.js';

const RHOS = [0, 0.3, 0.6, 0.9, 0.99];
const SEEDS = [0, 1, 2, 3];
const ONE_TOKEN: ProbeCellOptions = { kind: 'one-token', seed: 0, vocab: 200, dim: 32, pairs: 32 };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('one-token probes (Claim 3 setting, π_ref = π_{U_0})', () => {
  const grid = new Map<number, ProbeCellResult[]>();
  beforeAll(() => {
    for (const rho of RHOS) grid.set(rho, SEEDS.map((seed) => runProbeCell({ ...ONE_TOKEN, rho, seed })));
  });

  it('fits the train set with both models', () => {
    for (const cells of grid.values()) for (const c of cells) for (const m of [c.ex, c.im]) expect(m.train.accuracy).toBe(1);
  });

  it('IM-RM paraphrase accuracy is exactly ½, every pair a tie, for every ρ', () => {
    for (const cells of grid.values()) {
      for (const c of cells) expect(c.im.paraphrase).toEqual({ accuracy: 0.5, ties: 1, meanMargin: 0, normalizedMargin: 0 });
    }
  });

  it('EX-RM paraphrase accuracy rises with ρ, from chance to ≈ 1', () => {
    const acc = RHOS.map((rho) => mean(grid.get(rho)!.map((c) => c.ex.paraphrase.accuracy)));
    expect(acc[0]).toBeGreaterThan(0.35);
    expect(acc[0]).toBeLessThan(0.65);
    expect(acc[RHOS.length - 1]).toBeGreaterThanOrEqual(0.97);
    for (let i = 1; i < acc.length; i++) expect(acc[i]).toBeGreaterThan(acc[i - 1]!);
  });

  it('token overlap: the IM-RM follows the tokens (accuracy ≈ 0), the EX-RM the meaning', () => {
    for (const cells of grid.values()) for (const c of cells) expect(c.im.overlap.accuracy).toBeLessThanOrEqual(0.05);
    expect(mean(grid.get(0.99)!.map((c) => c.ex.overlap.accuracy))).toBeGreaterThanOrEqual(0.97);
    // same representations as the paraphrase probe: the EX-RM cannot tell the two probes apart
    for (const cells of grid.values()) for (const c of cells) expect(c.ex.overlap).toEqual(c.ex.paraphrase);
  });

  it('keeps the IM-RM paraphrase margins at exactly 0 under gradient descent and Adam too', () => {
    for (const optimizer of ['gd', 'adam'] as const) {
      const c = runProbeCell({ ...ONE_TOKEN, pairs: 16, rho: 0.9, optimizer, lr: 0.05, horizon: 5 });
      expect(c.im.train.meanMargin).toBeGreaterThan(0);
      expect(c.im.paraphrase).toEqual({ accuracy: 0.5, ties: 1, meanMargin: 0, normalizedMargin: 0 });
    }
  });

  it('per-token rewards: an unseen chosen answer and its rejected counterpart get equal IM-RM rewards', () => {
    const c = runProbeCell({ ...ONE_TOKEN, pairs: 16, tokensPerLabel: 2, rho: 0.9, tokenRewards: true });
    const pp = buildProbeProblem({ ...ONE_TOKEN, pairs: 16, tokensPerLabel: 2, rho: 0.9 });
    const byToken = new Map(c.im.tokenRewards!.paraphrase.map((r) => [r.token, r]));
    const scale = Math.max(...c.im.tokenRewards!.train.map((r) => Math.abs(r.meanReward)));
    for (let t = 0; t < 2; t++) {
      // train pair i uses answers yes[i % T], no[i % T]: paraphrase answers are their unseen stand-ins, on the same prompts
      const yes = byToken.get(pp.unseenOf.get(pp.problem.train[t]!.chosen[0]!)!)!;
      const no = byToken.get(pp.unseenOf.get(pp.problem.train[t]!.rejected[0]!)!)!;
      expect(yes.responses).toBe(8);
      expect(yes.chosen).toBe(8);
      expect(no.chosen).toBe(0);
      expect(Math.abs(yes.meanReward - no.meanReward)).toBeLessThanOrEqual(ROUNDOFF * scale);
    }
    // the EX-RM does rank them
    const ex = new Map(c.ex.tokenRewards!.paraphrase.map((r) => [r.token, r.meanReward]));
    const yes0 = pp.unseenOf.get(pp.problem.train[0]!.chosen[0]!)!;
    const no0 = pp.unseenOf.get(pp.problem.train[0]!.rejected[0]!)!;
    expect(ex.get(yes0)!).toBeGreaterThan(ex.get(no0)!);
  });
});

describe('multi-token probes', () => {
  const MULTI: ProbeCellOptions = { kind: 'multi-token', seed: 0, vocab: 80, dim: 16, pairs: 12, length: 3, tokensPerLabel: 2, rho: 0.9, horizon: 100 };
  const cells = new Map<number, ProbeCellResult>();
  beforeAll(() => {
    for (const f of [0, 1]) cells.set(f, runProbeCell({ ...MULTI, sharedFraction: f }));
  });

  it('the IM-RM is no longer pinned at ½: shared prefixes move unseen-token margins', () => {
    const im = cells.get(0)!.im.paraphrase;
    expect(im.ties).toBe(0);
    expect(im.accuracy).not.toBe(0.5);
  });

  it('with every token shared, the IM-RM follows the tokens: right on paraphrases, below chance on overlaps', () => {
    const im = cells.get(1)!.im;
    expect(im.paraphrase.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(im.overlap.accuracy).toBeLessThan(0.5);
  });

  it('the EX-RM sees only whole sequences: the same result for every f, and for both probes', () => {
    expect(cells.get(1)!.ex).toEqual(cells.get(0)!.ex);
    expect(cells.get(0)!.ex.overlap).toEqual(cells.get(0)!.ex.paraphrase);
  });
});

describe('runProbeCell', () => {
  it('is deterministic in its options', () => {
    const opts: ProbeCellOptions = { ...ONE_TOKEN, pairs: 8, rho: 0.5, seed: 7 };
    expect(runProbeCell(opts)).toEqual(runProbeCell(opts));
  });

  it('flattens to named numbers for sweep result lines', () => {
    const m = probeCellMetrics(runProbeCell({ ...ONE_TOKEN, pairs: 8 }));
    expect(Object.keys(m)).toHaveLength(2 * (1 + 3 * 4));
    expect(m['im.paraphrase.ties']).toBe(1);
    expect(m['ex.train.accuracy']).toBe(1);
    expect(Number.isFinite(m['ex.loss'])).toBe(true);
  });

  it('measureProblem works on any problem and agrees with runProbeCell', () => {
    const opts: ProbeCellOptions = { ...ONE_TOKEN, pairs: 8, seed: 3 };
    const m = measureProblem(buildProbeProblem(opts).problem);
    const c = runProbeCell(opts);
    expect(m.ex.sets.paraphrase).toEqual(c.ex.paraphrase);
    expect(m.im.sets.overlap).toEqual(c.im.overlap);
  });

  it.each([
    [{ optimizer: 'sgd' }, 'optimizer', 'sgd', 'one of "flow", "gd", "adam"'],
    [{ lr: 0 }, 'lr', 0, 'a finite number > 0'],
    [{ horizon: -1 }, 'horizon', -1, 'a finite time >= 0'],
    [{ rtol: 2 }, 'rtol', 2, 'a tolerance in (0, 1)'],
  ])('rejects %j', (bad, option, got, expected) => {
    const run = () => runProbeCell({ ...ONE_TOKEN, ...bad } as ProbeCellOptions);
    expect(run).toThrow(InputError);
    expect(run).toThrow(probeMessages.badProbeOption(option, got, expected));
  });
});
