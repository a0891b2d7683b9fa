import { describe, expect, it } from 'vitest';
import { correctResponses, graphSet, isComplete, isCorrectResponse, plantedHamiltonianGraph, randomIncorrectResponse, MAX_CYCLES, START_VERTEX } from '../../../src/probes/hamiltonian-cycles/graphs.js';
import { hamiltonianMessages, InputError } from '../../../src/messages/index.js';
import { hamiltonianCycles, permutations } from '../../../src/theory/hamiltonian.js';
import { makeRng } from '../../../src/random.js';

describe('planted Hamiltonian graphs', () => {
  it('every graph has a Hamiltonian cycle; the correct responses are exactly the orders after 0 that isHamiltonianCycle accepts', () => {
    const rng = makeRng('planted-test');
    for (let k = 0; k < 10; k++) {
      const g = plantedHamiltonianGraph(rng, 7, 0.2);
      const C = correctResponses(g);
      expect(C.length).toBeGreaterThan(0);
      expect(C.length % 2).toBe(0); // two directions per undirected cycle
      const brute = permutations(6).map((p) => p.map((v) => v + 1)).filter((y) => isCorrectResponse(g, y));
      expect(C.map((y) => y.join())).toEqual(brute.map((y) => y.join()));
      expect(C.length * 7).toBe(hamiltonianCycles(g).length);
      for (let j = 0; j < 5; j++) {
        const y = randomIncorrectResponse(rng, g);
        expect([...y].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(isCorrectResponse(g, y)).toBe(false);
      }
    }
  });

  it('edges: symmetric, no loops; at edge probability 0 the graph is the planted cycle alone (n edges, one undirected cycle)', () => {
    const g = plantedHamiltonianGraph(makeRng('cycle-only'), 9, 0);
    let edges = 0;
    for (let i = 0; i < 9; i++) {
      expect(g.adjacent[i * 9 + i]).toBe(0);
      for (let j = 0; j < 9; j++) {
        expect(g.adjacent[i * 9 + j]).toBe(g.adjacent[j * 9 + i]);
        edges += g.adjacent[i * 9 + j]!;
      }
    }
    expect(edges / 2).toBe(9);
    expect(correctResponses(g)).toHaveLength(2);
  });

  it('a graph set: one pair per graph, prompt = graph, chosen correct, rejected a non-cycle order; seeded; test graphs independent of the train count', () => {
    const a = graphSet(3, 'train', 20, 8, 0.2);
    expect(a.pairs).toHaveLength(20);
    a.pairs.forEach((p, x) => {
      expect(p.prompt).toBe(x);
      expect(isCorrectResponse(a.graphs[x]!, p.chosen)).toBe(true);
      expect(a.correct[x]!.some((c) => c.join() === p.chosen.join())).toBe(true);
      expect(isCorrectResponse(a.graphs[x]!, p.rejected)).toBe(false);
      expect(p.chosen).toHaveLength(7);
      expect(p.chosen).not.toContain(START_VERTEX);
    });
    expect(graphSet(3, 'train', 20, 8, 0.2)).toEqual(a);
    expect(graphSet(3, 'test', 5, 8, 0.2)).toEqual(graphSet(3, 'test', 5, 8, 0.2));
    expect(graphSet(4, 'train', 20, 8, 0.2).pairs).not.toEqual(a.pairs);
  });

  it('complete graphs are redrawn, and all-complete draws are an input error; too many cycles are an input error', () => {
    expect(isComplete(plantedHamiltonianGraph(makeRng(0), 6, 1))).toBe(true);
    expect(() => graphSet(0, 'train', 1, 6, 1)).toThrow(new InputError(hamiltonianMessages.onlyCycles(6, 1, 1000)));
    expect(() => graphSet(0, 'train', 1, 12, 0.95)).toThrow(new InputError(hamiltonianMessages.tooManyCycles(12, 0.95, MAX_CYCLES)));
  });
});
