import { describe, expect, it } from 'vitest';
import {
  checkHamiltonian,
  checkTilt,
  checkTiltBig,
  claim6,
  correctProbability,
  hamiltonianInstance,
  tiltedCorrectProbability,
  tiltedTabularModel,
} from '../../src/theory/claim6VerifyWithoutGenerating.js';
import {
  allSequences,
  completionProbabilities,
  factorial,
  hamiltonianCycles,
  hamiltonianCyclesFrom,
  isHamiltonianCycle,
  permutations,
  prefixTree,
  randomHamiltonianGraph,
  setProbability,
  type Graph,
} from '../../src/theory/hamiltonian.js';
import { passes, type Measurement } from '../../src/theory/check.js';
import { train } from '../../src/dynamics/flow.js';
import { logspace } from '../../src/dynamics/times.js';
import { makeRng } from '../../src/random.js';
import { ROUNDOFF } from '../tolerance.js';

const failing = (ms: Measurement[]) => ms.filter((m) => !passes(m)).map((m) => m.name);

function graphOf(n: number, edges: [number, number][]): Graph {
  const adjacent = new Uint8Array(n * n);
  for (const [a, b] of edges) adjacent[a * n + b] = adjacent[b * n + a] = 1;
  return { n, adjacent };
}

function completeGraph(n: number): Graph {
  const edges: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) edges.push([a, b]);
  return graphOf(n, edges);
}

describe('Hamiltonian cycles and prefix trees', () => {
  it('counts cycles of known graphs: K_n has n! vertex orders, C_n has 2n, a star none', () => {
    expect(hamiltonianCycles(completeGraph(4))).toHaveLength(factorial(4));
    expect(hamiltonianCycles(completeGraph(5))).toHaveLength(factorial(5));
    const ring = graphOf(6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]]);
    expect(hamiltonianCycles(ring)).toHaveLength(12);
    expect(hamiltonianCycles(graphOf(5, [[0, 1], [0, 2], [0, 3], [0, 4]]))).toHaveLength(0);
  });

  it('the enumerated cycles are exactly the permutations that isHamiltonianCycle accepts', () => {
    const rng = makeRng('hamiltonian-test');
    for (let k = 0; k < 5; k++) {
      const g = randomHamiltonianGraph(rng, 6, 0.5);
      const cycles = hamiltonianCycles(g).map((c) => c.join());
      expect(cycles.length).toBeGreaterThan(0);
      expect(permutations(6).filter((p) => isHamiltonianCycle(g, p)).map((p) => p.join())).toEqual(cycles);
      expect(isHamiltonianCycle(g, [0, 0, 1, 2, 3, 4])).toBe(false);
    }
  });

  it('cycles from a fixed start: the enumerated orders that start there, two per undirected cycle; the search stops after max + 1', () => {
    const rng = makeRng('hamiltonian-from-test');
    for (let k = 0; k < 5; k++) {
      const g = randomHamiltonianGraph(rng, 7, 0.5);
      const from0 = hamiltonianCyclesFrom(g, 0).map((c) => c.join());
      expect(from0).toEqual(hamiltonianCycles(g).filter((c) => c[0] === 0).map((c) => c.join()));
      expect(from0.length * 7).toBe(hamiltonianCycles(g).length);
      expect(hamiltonianCyclesFrom(g, 3).every((c) => c[0] === 3 && isHamiltonianCycle(g, c))).toBe(true);
    }
    expect(hamiltonianCyclesFrom(completeGraph(6), 0)).toHaveLength(factorial(5));
    expect(hamiltonianCyclesFrom(completeGraph(6), 0, 10)).toHaveLength(11);
  });

  it('the prefix-tree DP gives |S| / V^L under the uniform distribution, and the completion probability of each node', () => {
    const S = [[0, 1, 2], [0, 1, 0], [2, 2, 2]];
    const uniform = () => [1 / 3, 1 / 3, 1 / 3];
    expect(Math.abs(setProbability(prefixTree(S), uniform) - 3 / 27)).toBeLessThanOrEqual(ROUNDOFF);
    const tree = prefixTree(S);
    const P = completionProbabilities(tree, uniform);
    expect(Math.abs(P.get(tree.children.get(0)!)! - 2 / 9)).toBeLessThanOrEqual(ROUNDOFF);
    expect(() => prefixTree([[0, 1], [0, 1, 2]])).toThrow(RangeError);
    expect(allSequences(3, 4)).toHaveLength(81);
  });
});

describe('Claim 6 (i): the tilted tabular model', () => {
  it('passes on a fixed seed: accuracy 1, every margin δ, the closed form of π(C|x)', () => {
    expect(failing(checkTilt(1))).toEqual([]);
  });

  it('the closed form is below e^{δ/β} q', () => {
    const m = tiltedTabularModel(0);
    for (const q of m.q) expect(tiltedCorrectProbability(q, m.delta, m.beta)).toBeLessThanOrEqual(Math.exp(m.delta / m.beta) * q);
  });

  it('fails with a tilt at the last token only', () => {
    const names = failing(checkTilt(0, { variant: 'lastTokenTilt' }));
    expect(names).toContain('(i) tilted tabular IM-RM: max |margin − δ|');
    expect(names).toContain('(i) tilted tabular IM-RM: max |π(C|x) − q e^{δ/β}/(q e^{δ/β} + 1 − q)|');
  });

  it('holds in 64-digit decimal arithmetic, and fails there with the wrong tilt', async () => {
    expect(failing(await checkTiltBig(0))).toEqual([]);
    expect(failing(await checkTiltBig(0, { variant: 'lastTokenTilt' }))).toContain('(i) 64-digit decimals: max |margin − δ|');
  });
});

describe('Claim 6 (ii): an IM-RM trained on Hamiltonian cycles', () => {
  it('passes on a fixed seed: train accuracy 1 while π_θ(C|x) stays small; DP = enumeration', () => {
    const ms = checkHamiltonian(2, { vertices: 6, graphs: 1, trainPairs: 4, times: logspace(-2, 2, 9) });
    expect(failing(ms)).toEqual([]);
    expect(ms).toHaveLength(5);
  });

  it('logits at prefixes outside the training responses stay at U_0 = 0: a run with every cycle prefix represented agrees', () => {
    const opts = { vertices: 5, graphs: 1, trainPairs: 3 };
    const small = hamiltonianInstance(3, opts);
    const big = hamiltonianInstance(3, { ...opts, representAllCycles: true });
    expect(big.representation.dim).toBeGreaterThan(small.representation.dim);
    const times = logspace(-1, 0.5, 4);
    const a = train(small.cp, 'im', times, { method: 'adam', lr: 0.05, keepParams: true });
    const b = train(big.cp, 'im', times, { method: 'adam', lr: 0.05, keepParams: true });
    const D = small.representation.dim;
    const De = big.representation.dim;
    const V = small.cp.vocabSize;
    for (let k = 0; k < times.length; k++) {
      const Ub = b.params![k]!;
      for (let v = 0; v < V; v++) for (let j = D; j < De; j++) expect(Ub[v * De + j]).toBe(0);
      const pa = correctProbability(small, a.params![k]!, 0);
      const pb = correctProbability(big, Ub, 0);
      expect(Math.abs(pa - pb)).toBeLessThanOrEqual(ROUNDOFF * pa);
    }
  });

  it('the ClaimCheck passes on a fixed seed', async () => {
    const ms = await claim6.run(0);
    expect(failing(ms)).toEqual([]);
    expect(ms.map((m) => m.name)).toContain('(ii) Hamiltonian cycles, adam: train pair accuracy at the last time');
  });
});
