/**
 * The paper's ablations as model variants: the EX-RM on the mean of the response's token-position representations,
 * the IM-RM without a reference, the generative RM. Gradients by central differences (shared checker), rewards
 * against definitions written out here, and the variants wired through `modelOn` and the flow.
 */
import { describe, expect, it } from 'vitest';
import { compileProblem, exFeatures, exRewardGradient, exRewards, ExRmPairKernel, genRewardGradient, genRewards, GenRmPairKernel, imRewards, logProb, modelOn, train } from '../../src/index.js';
import { makeRng, normalVector } from '../../src/random.js';
import { gradientCheck } from '../helpers/finiteDifference.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { FD_GRADIENT_REL, FLOW_AGREEMENT_REL, ROUNDOFF } from '../tolerance.js';

const SEEDS = [1, 2, 3];

describe('EX-RM on the mean representation (ex-mean)', () => {
  it('its feature is the mean of h(x, y_≤k), k = 1 … L, written out from the representation', () => {
    const problem = randomProblem({ seed: 4, maxLength: 4 });
    const cp = compileProblem(problem);
    const D = cp.hiddenDim;
    for (let r = 0; r < cp.responses.count; r++) {
      const { prompt, start } = cp.responses;
      const y = Array.from(cp.responses.tokens.subarray(start[r]!, start[r + 1]!));
      const expected = new Float64Array(D);
      for (let k = 1; k <= y.length; k++) {
        const h = problem.representation.hidden(prompt[r]!, y.slice(0, k));
        for (let d = 0; d < D; d++) expected[d]! += h[d]! / y.length;
      }
      const got = exFeatures(cp, [r], 'mean');
      for (let d = 0; d < D; d++) expect(Math.abs(got[d]! - expected[d]!)).toBeLessThanOrEqual(ROUNDOFF);
    }
  });

  it('equals the EX-RM on one-token responses (the mean of one position is the whole sequence)', () => {
    const cp = compileProblem(randomProblem({ seed: 5, maxLength: 1 }));
    const u = normalVector(makeRng(5), cp.hiddenDim);
    const ids = Int32Array.from({ length: cp.responses.count }, (_, i) => i);
    expect(Array.from(exRewards(cp, u, ids, 'mean'))).toEqual(Array.from(exRewards(cp, u, ids, 'whole')));
  });

  for (const seed of SEEDS) {
    it(`reward and loss gradients, seed ${seed}`, () => {
      const cp = compileProblem(randomProblem({ seed, maxLength: 4, initScale: 0.5 }));
      const u = normalVector(makeRng(seed), cp.hiddenDim);
      for (let r = 0; r < cp.responses.count; r++) {
        expect(gradientCheck((x) => exRewards(cp, x, [r], 'mean')[0]!, u, exRewardGradient(cp, r, 'mean'))).toBeLessThanOrEqual(FD_GRADIENT_REL);
      }
      const k = new ExRmPairKernel(cp, cp.train, 'mean');
      const m = new Float64Array(cp.train.count);
      const ascent = new Float64Array(cp.hiddenDim);
      k.evaluate(u, m, ascent);
      expect(gradientCheck((x) => k.evaluate(x, m), u, ascent.map((g) => -g))).toBeLessThanOrEqual(FD_GRADIENT_REL);
    });
  }
});

describe('IM-RM without a reference (im-noref)', () => {
  it('rewards are β ln π_U(y|x) whatever the problem says about the reference', () => {
    const cp = compileProblem(randomProblem({ seed: 6, maxLength: 3, reference: 'init', initScale: 0.5, beta: 0.7 }));
    const U = normalVector(makeRng(6), cp.vocabSize * cp.hiddenDim, 0.8);
    const ids = Int32Array.from({ length: cp.responses.count }, (_, i) => i);
    const r = modelOn('im-noref', cp).rewards(U, ids);
    ids.forEach((id, j) => expect(Math.abs(r[j]! - 0.7 * logProb(cp, U, id))).toBeLessThanOrEqual(ROUNDOFF * 16 * Math.max(1, Math.abs(r[j]!))));
  });

  it('trains as the IM-RM of the same problem with reference none', () => {
    const problem = randomProblem({ seed: 7, maxLength: 3, reference: 'init', initScale: 0.5 });
    const a = train(compileProblem(problem), 'im-noref', [0, 1, 10], { rtol: 1e-10 });
    const b = train(compileProblem({ ...problem, reference: 'none' }), 'im', [0, 1, 10], { rtol: 1e-10 });
    expect(a.model).toBe('im-noref');
    expect(a.margins).toEqual(b.margins);
  });
});

describe('generative RM (gen)', () => {
  /** ln softmax(U g)_Yes written out with a max shift, for one response. */
  const definition = (cp: ReturnType<typeof compileProblem>, U: Float64Array, r: number, yes: number): number => {
    const { vocabSize: V, hiddenDim: D, H } = cp;
    const row = cp.responses.wholeRow[r]! * D;
    const z = Array.from({ length: V }, (_, v) => {
      let s = 0;
      for (let d = 0; d < D; d++) s += U[v * D + d]! * H[row + d]!;
      return s;
    });
    const mx = Math.max(...z);
    return z[yes]! - mx - Math.log(z.reduce((s, x) => s + Math.exp(x - mx), 0));
  };

  it('rewards are ln π_U(Yes | h(x, y)) and depend on the response only through h(x, y)', () => {
    const cp = compileProblem(randomProblem({ seed: 8, maxLength: 3 }));
    const U = normalVector(makeRng(8), cp.vocabSize * cp.hiddenDim, 0.8);
    const ids = Int32Array.from({ length: cp.responses.count }, (_, i) => i);
    const r = genRewards(cp, U, ids, 2);
    ids.forEach((id, j) => expect(Math.abs(r[j]! - definition(cp, U, id, 2))).toBeLessThanOrEqual(ROUNDOFF * 16 * Math.max(1, Math.abs(r[j]!))));
  });

  for (const seed of SEEDS) {
    it(`reward and loss gradients, full and compressed, seed ${seed}`, () => {
      const cp = compileProblem(randomProblem({ seed, maxLength: 3, initScale: 0.5 }));
      const U = normalVector(makeRng(seed + 100), cp.vocabSize * cp.hiddenDim, 0.8);
      for (let r = 0; r < cp.responses.count; r++) {
        expect(gradientCheck((x) => genRewards(cp, x, [r], 1)[0]!, U, genRewardGradient(cp, U, r, 1))).toBeLessThanOrEqual(FD_GRADIENT_REL);
      }
      const k = new GenRmPairKernel(cp, cp.train, { yesToken: 1 });
      const theta = Float64Array.from({ length: k.size }, (_, i) => U[i]!);
      const m = new Float64Array(cp.train.count);
      const ascent = new Float64Array(k.size);
      k.evaluate(theta, m, ascent);
      expect(gradientCheck((x) => k.evaluate(x, m), theta, ascent.map((g) => -g))).toBeLessThanOrEqual(FD_GRADIENT_REL);
    });
  }

  it('merging the unused tokens is exact: compressed and full flows agree', () => {
    const cp = compileProblem(randomProblem({ seed: 9, maxLength: 3, vocab: 12 }));
    const a = train(cp, 'gen', [0, 1, 10, 100], { rtol: 1e-10, compressTokens: true });
    const b = train(cp, 'gen', [0, 1, 10, 100], { rtol: 1e-10, compressTokens: false });
    for (const set of Object.keys(a.margins)) {
      a.margins[set]!.forEach((row, p) => row.forEach((x, j) => expect(Math.abs(x - b.margins[set]![p]![j]!)).toBeLessThanOrEqual(FLOW_AGREEMENT_REL * Math.max(1, Math.abs(x)))));
    }
  });

  it('margins of the model equal differences of its rewards', () => {
    const cp = compileProblem(randomProblem({ seed: 10, maxLength: 3, initScale: 0.5 }));
    const traj = train(cp, 'gen', [3], { keepParams: true });
    const model = modelOn('gen', cp);
    const U = traj.params![0]!;
    const rc = model.rewards(U, cp.train.chosen);
    const rr = model.rewards(U, cp.train.rejected);
    traj.margins.train!.forEach((row, i) => expect(Math.abs(row[0]! - (rc[i]! - rr[i]!))).toBeLessThanOrEqual(ROUNDOFF * 16 * Math.max(1, Math.abs(row[0]!))));
  });
});

describe('rewards through modelOn agree with the model functions', () => {
  it('ex, im: the model interface returns exRewards / imRewards', () => {
    const cp = compileProblem(randomProblem({ seed: 11, maxLength: 3, initScale: 0.5 }));
    const ids = Int32Array.from({ length: cp.responses.count }, (_, i) => i);
    const u = normalVector(makeRng(11), cp.hiddenDim);
    const U = normalVector(makeRng(12), cp.vocabSize * cp.hiddenDim, 0.8);
    expect(Array.from(modelOn('ex', cp).rewards(u, ids))).toEqual(Array.from(exRewards(cp, u, ids)));
    const a = modelOn('im', cp).rewards(U, ids);
    const b = imRewards(cp, U, ids);
    a.forEach((x, j) => expect(Math.abs(x - b[j]!)).toBeLessThanOrEqual(ROUNDOFF * Math.max(1, Math.abs(x))));
  });
});
