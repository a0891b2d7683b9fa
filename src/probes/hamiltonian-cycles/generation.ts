/**
 * The exact probability that the IM-RM's language model generates a correct response (docs/hamiltonian-cycles.md):
 *
 *   π_θ(C|x) = Σ_{y ∈ C(x)} π_θ(y|x),   π_θ(y|x) = Π_k softmax(U h(x, y_<k))[y_k],
 *
 * the softmax over all `n` vertices at every position. `C(x)` is the few Hamiltonian cycles of graph `x` from vertex
 * 0, enumerated by depth-first search; the sum is one pass of the dynamic programme over their prefix tree
 * (`completionProbabilities`), one softmax per inner node. `GenerationProbabilities` is the same DP on flat arrays
 * for a fixed representation: the inner nodes' `h` of every graph stacked once into a matrix, so that each time costs
 * one dense product `H_tree Uᵀ`, one row-wise softmax and one backward pass. `bruteForceGenerationProbability` is the independent
 * check: every one of the `(n−1)!` orders of the vertices `1 … n−1`, kept when `isHamiltonianCycle` accepts it, with
 * `π_θ(y|x)` from the toolkit's `logProb`.
 */
import { dot, gemmRowsABt, logSumExpRowsToSoftmax } from '../../linalg/kernels.js';
import { logProb } from '../../models/imRm.js';
import { compileProblem } from '../../models/problem.js';
import type { Representation } from '../../representations/representation.js';
import { permutations, prefixTree, setProbability, treeNodes, type PrefixNode } from '../../theory/hamiltonian.js';
import { isCorrectResponse } from './graphs.js';
import type { Graph } from '../../theory/hamiltonian.js';

/** `π(·|x, prefix)` as a function of the prefix: the model the DP walks. */
export type NextVertex = (prefix: readonly number[]) => Float64Array;

/** `softmax(U h)` over the `V` rows of `U` (`V × D`, row-major), max-shifted. */
export function softmaxLogits(U: Float64Array, V: number, D: number, h: Float64Array): Float64Array {
  const p = new Float64Array(V);
  let mx = -Infinity;
  for (let v = 0; v < V; v++) {
    p[v] = dot(U, v * D, h, 0, D);
    if (p[v]! > mx) mx = p[v]!;
  }
  let s = 0;
  for (let v = 0; v < V; v++) s += p[v] = Math.exp(p[v]! - mx);
  for (let v = 0; v < V; v++) p[v]! /= s;
  return p;
}

/** The next-vertex distribution of the model `U` on prompt `x` of a representation. */
export function nextVertexOf(representation: Representation, U: Float64Array, V: number, x: number): NextVertex {
  const D = representation.dim;
  return (prefix) => softmaxLogits(U, V, D, representation.hidden(x, prefix));
}

/** The prefix tree of a graph's correct responses (build once, walk at every time). */
export const correctTree = (correct: readonly (readonly number[])[]): PrefixNode => prefixTree(correct);

/** `π_θ(C|x)` by the DP over the prefix tree of the correct responses. */
export function generationProbability(tree: PrefixNode, next: NextVertex): number {
  return tree.children.size === 0 ? 0 : setProbability(tree, next);
}

/**
 * `π_θ(C|x)` by brute force: all `(n−1)!` orders of the vertices `1 … n−1` are filtered by `isHamiltonianCycle`
 * (not by the depth-first enumeration), and `π_θ(y|x)` of each survivor is `exp(logProb)` from the toolkit's
 * compiled problem over the representation (not the prefix tree). `U` is the full `n × D` unembedding.
 */
export function bruteForceGenerationProbability(graph: Graph, representation: Representation, U: Float64Array, x: number): { probability: number; orders: number; correct: number } {
  const n = graph.n;
  const orders = permutations(n - 1).map((p) => p.map((v) => v + 1));
  const correct = orders.filter((y) => isCorrectResponse(graph, y));
  if (correct.length === 0) return { probability: 0, orders: orders.length, correct: 0 };
  const other = orders.find((y) => !isCorrectResponse(graph, y)) ?? correct[0]!;
  const cp = compileProblem({
    vocabSize: n,
    hiddenDim: representation.dim,
    beta: 1,
    reference: 'none',
    representation,
    train: correct.map((y) => ({ prompt: x, chosen: y, rejected: other })),
    eval: {},
  });
  let probability = 0;
  for (let i = 0; i < correct.length; i++) probability += Math.exp(logProb(cp, U, cp.train.chosen[i]!));
  return { probability, orders: orders.length, correct: correct.length };
}

/**
 * `π_θ(C|x)` of many graphs at many parameters: the prefix trees of their correct responses flattened once (nodes
 * parents first, the representation of every inner node a row of `H`), then per parameter `U` one dense product,
 * a softmax per row and one backward pass (children before parents).
 */
export class GenerationProbabilities {
  /** Per node: its parent (−1 at a root), the vertex on the edge from the parent, its row in `H` (−1 at a leaf). */
  private readonly parent: Int32Array;
  private readonly token: Int32Array;
  private readonly row: Int32Array;
  /** Node range of each graph's tree. */
  private readonly start: Int32Array;
  private readonly H: Float64Array;
  private readonly rows: Int32Array;
  private readonly P: Float64Array;
  private readonly probs: Float64Array;
  private readonly lse: Float64Array;
  private readonly ones: Float64Array;
  private readonly D: number;

  constructor(
    trees: readonly PrefixNode[],
    representation: Representation,
    /** Prompt of each tree's graph. */
    prompts: readonly number[],
    private readonly V: number,
  ) {
    const D = (this.D = representation.dim);
    const parent: number[] = [];
    const token: number[] = [];
    const row: number[] = [];
    const start = [0];
    const hs: Float64Array[] = [];
    trees.forEach((tree, g) => {
      const nodes = treeNodes(tree);
      const base = parent.length;
      const index = new Map<PrefixNode, number>(nodes.map((n, i) => [n, base + i]));
      for (const node of nodes) {
        parent.push(-1);
        token.push(-1);
        if (node.terminal) row.push(-1);
        else {
          row.push(hs.length);
          hs.push(representation.hidden(prompts[g]!, node.prefix));
        }
      }
      for (const node of nodes) {
        for (const [v, child] of node.children) {
          parent[index.get(child)!] = index.get(node)!;
          token[index.get(child)!] = v;
        }
      }
      start.push(parent.length);
    });
    this.parent = Int32Array.from(parent);
    this.token = Int32Array.from(token);
    this.row = Int32Array.from(row);
    this.start = Int32Array.from(start);
    this.H = new Float64Array(hs.length * D);
    hs.forEach((h, i) => this.H.set(h, i * D));
    this.rows = Int32Array.from(hs, (_, i) => i);
    this.P = new Float64Array(parent.length);
    this.probs = new Float64Array(hs.length * V);
    this.lse = new Float64Array(hs.length);
    this.ones = new Float64Array(V).fill(1);
  }

  /** `π_U(C(x)|x)` of every graph, for the full unembedding `U` (`V × D`). */
  evaluate(U: Float64Array): Float64Array {
    const { V, D, parent, token, row, P, probs } = this;
    const m = this.rows.length;
    gemmRowsABt(this.H, this.rows, m, U, V, D, probs);
    logSumExpRowsToSoftmax(probs, m, V, this.ones, this.lse);
    const G = this.start.length - 1;
    const out = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      const a = this.start[g]!;
      const b = this.start[g + 1]!;
      for (let i = a; i < b; i++) P[i] = row[i]! < 0 ? 1 : 0;
      // children before parents: each node adds π(its vertex | parent prefix) · P(node) to its parent
      for (let i = b - 1; i > a; i--) P[parent[i]!]! += probs[row[parent[i]!]! * V + token[i]!]! * P[i]!;
      out[g] = b - a > 1 ? P[a]! : 0;
    }
    return out;
  }
}
