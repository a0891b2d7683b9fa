import { describe, expect, it } from 'vitest';
import { GraphFeatureRepresentation } from '../../../src/probes/hamiltonian-cycles/features.js';
import { bruteForceGenerationProbability, correctTree, generationProbability, GenerationProbabilities, nextVertexOf } from '../../../src/probes/hamiltonian-cycles/generation.js';
import { graphSet } from '../../../src/probes/hamiltonian-cycles/graphs.js';
import { factorial } from '../../../src/theory/hamiltonian.js';
import { makeRng, normalVector } from '../../../src/random.js';
import { GENERATION_EXACT_REL, ROUNDOFF } from '../../tolerance.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('exact π_θ(C|x)', () => {
  // three 10-vertex graphs of the experiment's kind, a model with N(0, 1) logits weights (far from uniform)
  const n = 10;
  const set = graphSet(7, 'test', 3, n, 0.2);
  const rep = new GraphFeatureRepresentation(set.graphs);
  const U = normalVector(makeRng('generation-test'), n * rep.dim, 1);
  const trees = set.correct.map(correctTree);
  const flat = new GenerationProbabilities(trees, rep, [0, 1, 2], n).evaluate(U);

  it('prefix-tree DP = flat DP = brute force over all 9! orders (filtered by isHamiltonianCycle, π from logProb), relative 1e-12', { timeout: 60_000 }, () => {
    for (let x = 0; x < 3; x++) {
      const dp = generationProbability(trees[x]!, nextVertexOf(rep, U, n, x));
      const brute = bruteForceGenerationProbability(set.graphs[x]!, rep, U, x);
      expect(brute.orders).toBe(factorial(9));
      expect(brute.correct).toBe(set.correct[x]!.length);
      expect(dp).toBeGreaterThan(0);
      expect(rel(dp, brute.probability)).toBeLessThanOrEqual(GENERATION_EXACT_REL);
      expect(rel(flat[x]!, brute.probability)).toBeLessThanOrEqual(GENERATION_EXACT_REL);
    }
  });

  it('at U₀ = 0 (the uniform reference) π(C|x) = |C(x)| / n^{n−1}', () => {
    const ref = new GenerationProbabilities(trees, rep, [0, 1, 2], n).evaluate(new Float64Array(n * rep.dim));
    for (let x = 0; x < 3; x++) expect(rel(ref[x]!, set.correct[x]!.length / 1e9)).toBeLessThanOrEqual(ROUNDOFF);
  });

  it('a graph without correct responses has π(C|x) = 0', () => {
    expect(generationProbability(correctTree([]), () => new Float64Array(n).fill(1 / n))).toBe(0);
  });
});
