import { describe, expect, it } from 'vitest';
import { hamiltonianGraphs, hamiltonianRun, runHamiltonianExperiment, RESULTS_FORMAT, type HamiltonianExperimentOptions } from '../../../src/probes/hamiltonian-cycles/experiment.js';
import { ADAM_BLOCKS_REL, FLOW_AGREEMENT_REL, ROUNDOFF } from '../../tolerance.js';

/** A small instance: the one-hot problem is small enough to train whole (dense `H`). */
const SMALL: HamiltonianExperimentOptions = { vertices: 6, trainGraphs: 12, testGraphs: 6, seed: 1 };

const maxRel = (a: readonly Float64Array[], b: readonly Float64Array[]) => {
  let e = 0;
  a.forEach((row, k) => row.forEach((x, i) => (e = Math.max(e, Math.abs(x - b[k]![i]!) / Math.max(Math.abs(b[k]![i]!), 1e-300)))));
  return e;
};

describe('the Hamiltonian-cycle experiment', () => {
  const graphs = hamiltonianGraphs(SMALL);

  it('one-hot, flow: block by block (time t/N per one-pair problem) = the whole problem through the toolkit', () => {
    const o = { ...SMALL, representation: 'one-hot' as const, rtol: 1e-10, times: [0.01, 1, 100] };
    const blocks = hamiltonianRun({ ...o, oneHot: 'blocks' }, graphs);
    const dense = hamiltonianRun({ ...o, oneHot: 'dense' }, graphs);
    expect(maxRel(blocks.train, dense.train)).toBeLessThanOrEqual(FLOW_AGREEMENT_REL);
    expect(blocks.hiddenDim).toBe(dense.hiddenDim);
  });

  it('one-hot, Adam: block by block with ε·N = the whole problem', () => {
    const o = { ...SMALL, representation: 'one-hot' as const, method: 'adam' as const, lr: 0.05, times: [0.05, 1, 5] };
    const blocks = hamiltonianRun({ ...o, oneHot: 'blocks' }, graphs);
    const dense = hamiltonianRun({ ...o, oneHot: 'dense' }, graphs);
    expect(blocks.times).toEqual(dense.times);
    expect(maxRel(blocks.train, dense.train)).toBeLessThanOrEqual(ADAM_BLOCKS_REL);
  });

  it('one-hot, trained whole: every test margin is exactly 0 and π_θ(C|x) = π_ref(C|x) exactly — the test graphs\' columns never move', () => {
    const dense = hamiltonianRun({ ...SMALL, representation: 'one-hot', oneHot: 'dense', times: [0.1, 10, 1000] }, graphs);
    for (const m of dense.test) expect([...m].every((x) => x === 0)).toBe(true);
    for (const g of dense.generation) expect([...g]).toEqual([...dense.reference]);
    expect(dense.train.at(-1)!.every((m) => m > 0)).toBe(true);
  });

  it('one-hot with columns shared between graphs (the wrong variant) does not tie on test graphs', () => {
    const r = runHamiltonianExperiment({ ...SMALL, representation: 'one-hot', variant: 'sharedOneHot', times: [1, 10] }, graphs);
    expect(Math.max(...r.testTies)).toBeLessThan(1);
  });

  it('results: the format, arrays aligned with times, expected cycles = S · mean π_θ(C|x), the reference = mean |C| / n^{n−1}', () => {
    const r = runHamiltonianExperiment({ ...SMALL, representation: 'features', times: [0.1, 1, 10] }, graphs);
    expect(r.format).toBe(RESULTS_FORMAT);
    for (const key of ['trainAccuracy', 'testAccuracy', 'testTies', 'generationProbability', 'expectedCorrect'] as const) expect(r[key]).toHaveLength(r.times.length);
    r.times.forEach((_, k) => expect(Math.abs(r.expectedCorrect[k]! - 6 * r.generationProbability[k]!)).toBeLessThanOrEqual(ROUNDOFF * r.expectedCorrect[k]!));
    const meanCycles = graphs.test.correct.reduce((a, c) => a + c.length, 0) / 6;
    expect(r.meanCyclesPerTestGraph).toBe(meanCycles);
    expect(Math.abs(r.referenceGenerationProbability - meanCycles / 6 ** 5)).toBeLessThanOrEqual(ROUNDOFF * r.referenceGenerationProbability);
    expect(r.config.hiddenDim).toBe(24);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('Adam reports time = steps × η at its default steps 1, 2, 5, …, 100', () => {
    const r = runHamiltonianExperiment({ ...SMALL, method: 'adam', lr: 0.1 }, graphs);
    expect(r.times).toEqual([1, 2, 5, 10, 20, 50, 100].map((s) => s * 0.1));
    expect(r.solver.steps).toBe(100);
  });
});
