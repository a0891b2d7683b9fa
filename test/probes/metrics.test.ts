import { describe, expect, it } from 'vitest';
import { compileProblem, type Problem } from '../../src/models/problem.js';
import { normalizedMargin, rewardStd, TIE_RELATIVE } from '../../src/models/accuracy.js';
import { modelOn } from '../../src/models/model.js';
import { train } from '../../src/dynamics/flow.js';
import { randomInstance } from '../../src/theory/claim1RewardDynamics.js';
import { TableRepresentation } from '../../src/representations/table.js';
import { rewardsByFinalToken, setMetrics } from '../../src/probes/metrics.js';
import { ROUNDOFF } from '../tolerance.js';

describe('setMetrics', () => {
  it('counts wins 1, losses 0 and ties ½, reports ties apart, and averages margins', () => {
    const m = setMetrics({ train: [1, -1, 0, 2], paraphrase: [0, 0], overlap: [-3] });
    expect(m.train).toEqual({ accuracy: (1 + 0 + 0.5 + 1) / 4, ties: 1 / 4, meanMargin: 0.5 });
    expect(m.paraphrase).toEqual({ accuracy: 0.5, ties: 1, meanMargin: 0 });
    expect(m.overlap).toEqual({ accuracy: 0, ties: 0, meanMargin: -3 });
  });

  it('judges ties on one scale, the largest |margin| over all sets', () => {
    const scale = 4;
    const tiny = 0.5 * TIE_RELATIVE * scale;
    // next to a margin of 4 a margin of 2e-12 is a tie; alone it is the largest margin and a win
    expect(setMetrics({ train: [scale], probe: [tiny, -tiny] }).probe).toEqual({ accuracy: 0.5, ties: 1, meanMargin: 0 });
    expect(setMetrics({ probe: [tiny] }).probe).toEqual({ accuracy: 1, ties: 0, meanMargin: tiny });
    expect(setMetrics({ probe: [2 * TIE_RELATIVE * scale], train: [-scale] }).probe!.ties).toBe(0);
  });

  it('reports NaN for an empty set', () => {
    expect(setMetrics({ empty: [] }).empty!.accuracy).toBeNaN();
  });
});

describe('normalized reward margin (the paper\'s metric)', () => {
  it('is mean |margin| over the standard deviation of all rewards, worked by hand', () => {
    // pairs (r⁺, r⁻) = (1, −1), (3, 1): margins 2, 2; rewards 1, −1, 3, 1 have mean 1 and variance (0+4+4+0)/4 = 2
    const std = rewardStd([1, -1, 3, 1]);
    expect(Math.abs(std - Math.SQRT2)).toBeLessThanOrEqual(ROUNDOFF);
    expect(Math.abs(normalizedMargin([2, 2], std) - Math.SQRT2)).toBeLessThanOrEqual(ROUNDOFF);
    expect(setMetrics({ s: [2, 2] }, { s: std }).s!.normalizedMargin).toBe(normalizedMargin([2, 2], std));
  });

  it('is scale-free: multiplying every reward by c leaves it unchanged, and it reads |margins|', () => {
    const r = [0.3, -1.2, 2.5, 0.7, -0.4, 1.1];
    const m = [r[0]! - r[1]!, r[2]! - r[3]!, r[4]! - r[5]!];
    const base = normalizedMargin(m, rewardStd(r));
    const c = -7.5;
    expect(Math.abs(normalizedMargin(m.map((x) => c * x), rewardStd(r.map((x) => c * x))) - base)).toBeLessThanOrEqual(ROUNDOFF * base);
  });

  it('is 0 when every margin is 0 (not 0/0)', () => {
    expect(normalizedMargin([0, 0], rewardStd([0, 0, 0, 0]))).toBe(0);
  });

  it('the flow records the spread of exactly the rewards of each set\'s pairs', () => {
    const cp = compileProblem(randomInstance({ seed: 3, maxLength: 3, initScale: 0.5 }));
    for (const kind of ['ex', 'im', 'gen'] as const) {
      const traj = train(cp, kind, [0.5, 5], { rewardStats: true, keepParams: true });
      const model = modelOn(kind, cp);
      for (const set of [cp.train, ...cp.eval]) {
        traj.times.forEach((_, j) => {
          const ids = Array.from({ length: set.count }, (_, i) => [set.chosen[i]!, set.rejected[i]!]).flat();
          expect(traj.rewardStd![set.name]![j]).toBe(rewardStd(model.rewards(traj.params![j]!, ids)));
        });
      }
    }
  });
});

describe('rewardsByFinalToken', () => {
  // V = 3, D = 2; prompts 0 and 1 have h(x) = e_1 and e_2; responses [1] and [2]
  const table = new TableRepresentation(2, [
    { prompt: 0, prefix: [], h: Float64Array.of(1, 0) },
    { prompt: 0, prefix: [1], h: Float64Array.of(1, 1) },
    { prompt: 0, prefix: [2], h: Float64Array.of(0, 2) },
    { prompt: 1, prefix: [], h: Float64Array.of(0, 1) },
    { prompt: 1, prefix: [1], h: Float64Array.of(3, 0) },
    { prompt: 1, prefix: [2], h: Float64Array.of(-1, 0) },
    { prompt: 1, prefix: [2, 0], h: Float64Array.of(5, 5) },
  ]);
  const problem: Problem = {
    vocabSize: 3,
    hiddenDim: 2,
    beta: 2,
    reference: 'init',
    representation: table,
    train: [
      { prompt: 0, chosen: [1], rejected: [2] },
      { prompt: 1, chosen: [1], rejected: [2] },
    ],
    eval: { probe: [{ prompt: 1, chosen: [2, 0], rejected: [1] }] },
  };
  const cp = compileProblem(problem);

  it('EX-RM: the mean of <u, h(x, y)> over the responses ending in each token', () => {
    const u = Float64Array.of(2, 1);
    expect(rewardsByFinalToken(cp, cp.train, 'ex', u)).toEqual([
      { token: 1, responses: 2, chosen: 2, meanReward: (3 + 6) / 2 },
      { token: 2, responses: 2, chosen: 0, meanReward: (2 - 2) / 2 },
    ]);
    // the set's distinct responses only: [1] on prompt 1 ends in 1, [2, 0] ends in 0
    expect(rewardsByFinalToken(cp, cp.eval[0]!, 'ex', u)).toEqual([
      { token: 0, responses: 1, chosen: 1, meanReward: 15 },
      { token: 1, responses: 1, chosen: 0, meanReward: 6 },
    ]);
  });

  it('IM-RM: the mean of β ln(π_U / π_ref) over the responses ending in each token', () => {
    // U: row 1 = (1, 0), the others 0; U_0 = 0 so π_ref is uniform, ln π_ref(v | ·) = −ln 3
    const U = Float64Array.of(0, 0, 1, 0, 0, 0);
    const lnPi = (logits: number[], v: number) => logits[v]! - Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
    const r = (logits: number[], v: number) => 2 * (lnPi(logits, v) + Math.log(3));
    // prompt 0: h = (1, 0), logits (0, 1, 0); prompt 1: h = (0, 1), logits (0, 0, 0)
    const got = rewardsByFinalToken(cp, cp.train, 'im', U);
    const want = [
      { token: 1, responses: 2, chosen: 2, meanReward: (r([0, 1, 0], 1) + r([0, 0, 0], 1)) / 2 },
      { token: 2, responses: 2, chosen: 0, meanReward: (r([0, 1, 0], 2) + r([0, 0, 0], 2)) / 2 },
    ];
    got.forEach((g, i) => {
      expect({ ...g, meanReward: 0 }).toEqual({ ...want[i]!, meanReward: 0 });
      expect(Math.abs(g.meanReward - want[i]!.meanReward)).toBeLessThanOrEqual(ROUNDOFF);
    });
    // a two-token response: ln π(2 | h=(0,1)) + ln π(0 | h=(−1,0)), logits (0,0,0) and (0,−1,0)
    const probe = rewardsByFinalToken(cp, cp.eval[0]!, 'im', U);
    const two = r([0, 0, 0], 2) + r([0, -1, 0], 0);
    expect(Math.abs(probe[0]!.meanReward - two)).toBeLessThanOrEqual(ROUNDOFF);
  });
});
