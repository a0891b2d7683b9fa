import { describe, expect, it } from 'vitest';
import { compileProblem, ExRmPairKernel, ImRmPairKernel, makeProblem, modelOn, train, parseTimes, InputError, message } from '../../src/index.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { FLOW_AGREEMENT_REL, ROUNDOFF } from '../tolerance.js';

const TIMES = [0, 0.5, 3, 20, 200];

/** Largest |a − b| over all sets, pairs and times, relative to the largest |b| at that time. */
function maxRelDiff(a: Record<string, number[][]>, b: Record<string, number[][]>): number {
  let worst = 0;
  for (const name of Object.keys(b)) {
    b[name]!.forEach((row, p) =>
      row.forEach((y, i) => {
        const scale = Math.max(1e-300, ...Object.values(b).flatMap((s) => s.map((r) => Math.abs(r[i]!))));
        worst = Math.max(worst, Math.abs(a[name]![p]![i]! - y) / scale);
      }),
    );
  }
  return worst;
}

describe('gradient flow: function space vs parameter space', () => {
  for (const seed of [1, 2, 3]) {
    it(`EX-RM and one-token IM-RM agree, seed ${seed}`, () => {
      for (const reference of ['init', 'none'] as const) {
        const cp = compileProblem(randomProblem({ seed, vocab: 9, dim: 6, pairs: 6, reference, initScale: 0.3, evalPairs: 5 }));
        for (const kind of ['ex', 'im'] as const) {
          const f = train(cp, kind, TIMES, { form: 'function', rtol: 1e-11, atol: 1e-13 });
          const p = train(cp, kind, TIMES, { form: 'parameter', rtol: 1e-11, atol: 1e-13 });
          expect(f.solver.form).toBe('function');
          expect(p.solver.form).toBe('parameter');
          expect(maxRelDiff(f.margins, p.margins)).toBeLessThanOrEqual(FLOW_AGREEMENT_REL);
        }
      }
    });
  }

  it('multi-token IM-RM has no function-space form and says so', () => {
    const cp = compileProblem(randomProblem({ seed: 4, maxLength: 3 }));
    expect(modelOn('im', cp).linearForm()).toBeNull();
    expect(() => train(cp, 'im', TIMES, { form: 'function' })).toThrowError(new InputError(message.functionFormUnavailable()));
  });

  it('IM-RM pairs that differ only in their last token are linear: function space applies', () => {
    const cp = compileProblem(makeProblem('single-token', { seed: 1, vocab: 40, dim: 8, pairs: 6 }));
    expect(modelOn('im', cp).linearForm()).not.toBeNull();
  });
});

describe('compressed unembedding (unused tokens merged)', () => {
  it('multi-token IM-RM: compressed and full parameter flows agree, and the compression is real', () => {
    for (const initScale of [0, 0.3]) {
      const cp = compileProblem(randomProblem({ seed: 5, vocab: 40, dim: 6, pairs: 5, maxLength: 3, initScale }));
      const classes = new ImRmPairKernel(cp, cp.train).classes.count;
      // zero init: all unused tokens form one class; random init: nothing can be merged
      expect(classes).toBeLessThan(initScale === 0 ? cp.vocabSize : cp.vocabSize + 1);
      if (initScale > 0) expect(classes).toBe(cp.vocabSize);
      const a = train(cp, 'im', TIMES, { rtol: 1e-11, atol: 1e-13 });
      const b = train(cp, 'im', TIMES, { rtol: 1e-11, atol: 1e-13, compressTokens: false });
      expect(maxRelDiff(a.margins, b.margins)).toBeLessThanOrEqual(FLOW_AGREEMENT_REL);
    }
  });
});

describe('margin error control (parameter space)', () => {
  it("controlling the train margins only ('train', the default) gives the same trajectory as every set's ('all') to the integration tolerance, with no more steps", () => {
    const cp = compileProblem(randomProblem({ seed: 7, maxLength: 4, initScale: 0.5 }));
    const all = train(cp, 'im', [0, 1, 10, 100], { rtol: 1e-10, marginControl: 'all' });
    const trainOnly = train(cp, 'im', [0, 1, 10, 100], { rtol: 1e-10 });
    expect(train(cp, 'im', [0, 1, 10, 100], { rtol: 1e-10, marginControl: 'train' }).margins).toEqual(trainOnly.margins);
    expect(trainOnly.solver.steps).toBeLessThanOrEqual(all.solver.steps);
    for (const [set, rows] of Object.entries(all.margins)) {
      rows.forEach((row, p) => row.forEach((x, j) => expect(Math.abs(trainOnly.margins[set]![p]![j]! - x)).toBeLessThanOrEqual(FLOW_AGREEMENT_REL * Math.max(1, Math.abs(x)))));
    }
  });
});

describe('gradient descent and Adam', () => {
  it('gradient descent takes round(t/η) steps and reports times as steps × η', () => {
    const cp = compileProblem(randomProblem({ seed: 6, maxLength: 2 }));
    const traj = train(cp, 'im', [0, 0.25, 1.01], { method: 'gd', lr: 0.1 });
    expect(traj.times).toEqual([0, 3 * 0.1, 10 * 0.1]);
    expect(traj.solver.steps).toBe(10);
  });

  it('gradient descent with a small step follows the flow (error O(η))', () => {
    const cp = compileProblem(randomProblem({ seed: 7, maxLength: 2 }));
    const flow = train(cp, 'ex', [2], { rtol: 1e-10 });
    const gd1 = train(cp, 'ex', [2], { method: 'gd', lr: 0.02 });
    const gd2 = train(cp, 'ex', [2], { method: 'gd', lr: 0.01 });
    const e1 = maxRelDiff(gd1.margins, flow.margins);
    const e2 = maxRelDiff(gd2.margins, flow.margins);
    expect(e2).toBeLessThan(0.6 * e1); // first order: halving η about halves the error
    expect(e2).toBeLessThan(1e-2);
  });

  it('gradient descent in parameter space equals its function-space recursion c ← c + η σ(−m)/N', () => {
    const cp = compileProblem(randomProblem({ seed: 8, pairs: 5 }));
    const lin = modelOn('ex', cp).linearForm()!;
    const N = cp.train.count;
    const c = new Float64Array(N);
    for (let s = 0; s < 20; s++) {
      const m = lin.m0.map((m0, i) => m0 + lin.K.slice(i * N, (i + 1) * N).reduce((acc, k, j) => acc + k * c[j]!, 0));
      m.forEach((mi, i) => (c[i]! += (0.1 * (1 / (1 + Math.exp(mi)))) / N));
    }
    const u = lin.params(c);
    const traj = train(cp, 'ex', [2], { method: 'gd', lr: 0.1 });
    const mk = new Float64Array(N);
    new ExRmPairKernel(cp, cp.train).evaluate(u, mk);
    mk.forEach((m, i) => expect(Math.abs(traj.margins.train![i]![0]! - m)).toBeLessThanOrEqual(1e3 * ROUNDOFF * Math.max(1, Math.abs(m))));
  });

  it('Adam decreases the loss and is deterministic', () => {
    const cp = compileProblem(randomProblem({ seed: 9, maxLength: 3 }));
    const a = train(cp, 'im', [0, 1, 5], { method: 'adam', lr: 0.01 });
    const b = train(cp, 'im', [0, 1, 5], { method: 'adam', lr: 0.01 });
    expect(a.loss[2]!).toBeLessThan(a.loss[1]!);
    expect(a.loss[1]!).toBeLessThan(a.loss[0]!);
    expect(a).toEqual(b);
  });
});

describe('requested times', () => {
  it('parses lists and log-spaced grids, with exact endpoints', () => {
    expect(parseTimes('0,1,10')).toEqual([0, 1, 10]);
    expect(parseTimes('logspace:-1:3:5')).toEqual([0.1, 1, 10, 100, 1000]);
  });
  it('rejects bad grids naming the option', () => {
    expect(() => parseTimes('1,-2')).toThrowError(new InputError(message.badTimes('--times', '1,-2', 'time 2 is not a finite number >= 0')));
    expect(() => parseTimes('logspace:1:2')).toThrowError(InputError);
    expect(() => parseTimes('a')).toThrowError(InputError);
  });
  it('times in any order come back in the order given, equal to the sorted run', () => {
    const cp = compileProblem(randomProblem({ seed: 11, maxLength: 2 }));
    for (const method of ['flow', 'gd'] as const) {
      const a = train(cp, 'im', [10, 0, 2.5], { method });
      const b = train(cp, 'im', [0, 2.5, 10], { method });
      expect(a.times).toEqual([b.times[2], b.times[0], b.times[1]]);
      for (const [name, set] of Object.entries(b.margins)) set.forEach((row, p) => expect(a.margins[name]![p]).toEqual([row[2], row[0], row[1]]));
    }
  });

  it('a trajectory has one value per requested time, equal times included', () => {
    const cp = compileProblem(randomProblem({ seed: 10 }));
    const traj = train(cp, 'ex', [0, 1, 1, 4]);
    expect(traj.margins.train![0]).toHaveLength(4);
    expect(traj.margins.train![0]![1]).toBe(traj.margins.train![0]![2]);
  });
});
