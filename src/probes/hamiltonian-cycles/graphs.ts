/**
 * The graphs and preference pairs of the paper's Hamiltonian-cycle experiment (Razin, Lin, Yao, Arora, arXiv
 * 2507.07981): `n`-vertex graphs made of a planted random Hamiltonian cycle plus every other edge independently with
 * probability `p`; per graph one pair (a Hamiltonian cycle, a random vertex order that is not one).
 *
 * Response format (docs/hamiltonian-cycles.md): the vocabulary is the `n` vertices `0 … n−1`; every order starts at
 * vertex 0, which belongs to the prompt, so a response is the `n − 1` vertices that follow it. The response
 * `y = (y_1 … y_{n−1})` is correct when `0, y_1, …, y_{n−1}` is a Hamiltonian cycle (a permutation whose consecutive
 * vertices, and `y_{n−1}` and 0, are adjacent): two responses per undirected Hamiltonian cycle (its two directions).
 */
import { InputError } from '../../messages/index.js';
import { hamiltonianMessages } from '../../messages/hamiltonian.js';
import type { Pair } from '../../models/problem.js';
import { makeRng, sampleWithoutReplacement, type Rng } from '../../random.js';
import { hamiltonianCyclesFrom, isHamiltonianCycle, type Graph } from '../../theory/hamiltonian.js';

/** The vertex every order starts from; it is part of the prompt, not of the response. */
export const START_VERTEX = 0;

/** A planted Hamiltonian cycle (a uniformly random cyclic order of all `n` vertices) plus `G(n, p)` for every other edge. */
export function plantedHamiltonianGraph(rng: Rng, n: number, p: number): Graph {
  const adjacent = new Uint8Array(n * n);
  const cycle = sampleWithoutReplacement(rng, n, n);
  for (let k = 0; k < n; k++) {
    const a = cycle[k]!;
    const b = cycle[(k + 1) % n]!;
    adjacent[a * n + b] = adjacent[b * n + a] = 1;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // one draw per pair whether or not it is already a cycle edge, so the draws do not depend on the cycle
      if (rng.uniform() < p) adjacent[i * n + j] = adjacent[j * n + i] = 1;
    }
  }
  return { n, adjacent };
}

/**
 * Every correct response of `g`: the orders of its Hamiltonian cycles from vertex 0, without the leading 0
 * (lexicographic). With `max`, at most `max + 1` are listed (a longer list than `max` means "more than `max`").
 */
export function correctResponses(g: Graph, max = Infinity): number[][] {
  return hamiltonianCyclesFrom(g, START_VERTEX, max).map((order) => order.slice(1));
}

/** Whether every pair of vertices is an edge (then every order is a Hamiltonian cycle). */
export function isComplete(g: Graph): boolean {
  const { n, adjacent } = g;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!adjacent[i * n + j]) return false;
  return true;
}

/** Whether a response (the vertices after 0) is correct for `g`. */
export function isCorrectResponse(g: Graph, response: readonly number[]): boolean {
  return isHamiltonianCycle(g, [START_VERTEX, ...response]);
}

/** A uniformly random order of the vertices `1 … n−1` that is not a Hamiltonian cycle of `g` (by rejection). */
export function randomIncorrectResponse(rng: Rng, g: Graph): number[] {
  for (;;) {
    const y = sampleWithoutReplacement(rng, g.n - 1, g.n - 1).map((i) => i + 1);
    if (!isCorrectResponse(g, y)) return y;
  }
}

/** A set of graphs (prompts `0 … count−1`), their correct responses, and one (correct, incorrect) pair per graph. */
export interface GraphSet {
  graphs: Graph[];
  /** Every correct response per graph (the Hamiltonian cycles from vertex 0). */
  correct: number[][][];
  /** One pair per graph, prompt = graph index: a uniformly random correct response over a random incorrect one. */
  pairs: Pair[];
}

/** Most consecutive complete graphs (no incorrect response) before giving up. */
const MAX_DRAWS = 1000;

/**
 * Most correct responses of one graph (its prefix tree is walked at every recorded time). The paper's setting has a
 * few dozen (at most a few hundred); dense graphs on many vertices have factorially many.
 */
export const MAX_CYCLES = 100_000;

/**
 * `count` planted graphs and their pairs, from the seeded stream `hamiltonian-cycles/<seed>/<name>` (so the test
 * graphs do not change when the number of training graphs does). A graph on which every order is a cycle (the
 * complete graph: it has no incorrect response) is redrawn; with `n = 10, p = 0.2` that has probability 0.2³⁵. (A
 * graph that is not complete has an incorrect order: a non-edge `{a, b}` cannot be consecutive in a cycle.)
 */
export function graphSet(seed: number, name: string, count: number, vertices: number, edgeProbability: number): GraphSet {
  const rng = makeRng(`hamiltonian-cycles/${seed}/${name}`);
  const graphs: Graph[] = [];
  const correct: number[][][] = [];
  const pairs: Pair[] = [];
  for (let x = 0; x < count; x++) {
    let g: Graph;
    let draws = 0;
    do {
      if (draws++ === MAX_DRAWS) throw new InputError(hamiltonianMessages.onlyCycles(vertices, edgeProbability, MAX_DRAWS));
      g = plantedHamiltonianGraph(rng, vertices, edgeProbability);
    } while (isComplete(g));
    const C = correctResponses(g, MAX_CYCLES);
    if (C.length > MAX_CYCLES) throw new InputError(hamiltonianMessages.tooManyCycles(vertices, edgeProbability, MAX_CYCLES));
    graphs.push(g);
    correct.push(C);
    pairs.push({ prompt: x, chosen: C[rng.int(C.length)]!, rejected: randomIncorrectResponse(rng, g) });
  }
  return { graphs, correct, pairs };
}
