/**
 * Small combinatorial helpers for docs/theory.md Claim 6: undirected graphs, their Hamiltonian cycles as vertex orders,
 * and the prefix tree of a set of responses with the dynamic programme that gives the probability of completing a
 * prefix into one of them under an autoregressive model.
 *
 * A *vertex order* of a graph on `n` vertices is a response of length `n` over the vocabulary `{0 … n−1}`; it is a
 * Hamiltonian cycle when it is a permutation and consecutive vertices, and the last and the first, are adjacent.
 * Each undirected Hamiltonian cycle is `2n` vertex orders (n starting vertices × 2 directions).
 */
import type { Rng } from '../random.js';

/** An undirected simple graph; `adjacent[i·n + j]` is 1 when `{i, j}` is an edge (symmetric, zero diagonal). */
export interface Graph {
  n: number;
  adjacent: Uint8Array;
}

/** `G(n, p)`: every edge independently with probability `p`. */
export function randomGraph(rng: Rng, n: number, p: number): Graph {
  const adjacent = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.uniform() < p) adjacent[i * n + j] = adjacent[j * n + i] = 1;
    }
  }
  return { n, adjacent };
}

/**
 * A `G(n, p)` graph with at least one Hamiltonian cycle and at least one permutation that is not one (so both
 * correct and incorrect responses exist), by rejection. Throws after `maxTries` draws.
 */
export function randomHamiltonianGraph(rng: Rng, n: number, p: number, maxTries = 10_000): Graph {
  const total = factorial(n);
  for (let k = 0; k < maxTries; k++) {
    const g = randomGraph(rng, n, p);
    const c = hamiltonianCycles(g).length;
    if (c > 0 && c < total) return g;
  }
  throw new RangeError(`no G(${n}, ${p}) graph with a Hamiltonian cycle in ${maxTries} draws`);
}

/** Whether a vertex order is a Hamiltonian cycle of `g`. */
export function isHamiltonianCycle(g: Graph, order: readonly number[]): boolean {
  const { n, adjacent } = g;
  if (order.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const v of order) {
    if (!(Number.isInteger(v) && v >= 0 && v < n) || seen[v]) return false;
    seen[v] = 1;
  }
  for (let k = 0; k < n; k++) if (!adjacent[order[k]! * n + order[(k + 1) % n]!]) return false;
  return true;
}

/**
 * Every order of the vertices `0 … n−1` (depth first, lexicographic) in which each vertex may follow the previous one
 * (`canFollow(prev, v)`; the first vertex is free, or `first` when given) and that `accept` keeps; the search stops
 * once it has found more than `max`.
 */
function vertexOrders(n: number, canFollow: (prev: number, v: number) => boolean, accept: (order: readonly number[]) => boolean, first?: number, max = Infinity): number[][] {
  const out: number[][] = [];
  const path: number[] = [];
  const used = new Uint8Array(n);
  if (first !== undefined) {
    path.push(first);
    used[first] = 1;
  }
  const extend = (): void => {
    if (path.length === n) {
      if (accept(path)) out.push(path.slice());
      return;
    }
    for (let v = 0; v < n && out.length <= max; v++) {
      if (used[v] || (path.length > 0 && !canFollow(path[path.length - 1]!, v))) continue;
      used[v] = 1;
      path.push(v);
      extend();
      path.pop();
      used[v] = 0;
    }
  };
  extend();
  return out;
}

/** Every Hamiltonian cycle of `g` as a vertex order (all starting vertices and both directions), in lexicographic order. */
export function hamiltonianCycles(g: Graph): number[][] {
  const { n, adjacent } = g;
  if (n < 3) return [];
  return vertexOrders(n, (u, v) => adjacent[u * n + v] === 1, (path) => adjacent[path[n - 1]! * n + path[0]!] === 1);
}

/**
 * The Hamiltonian cycles of `g` that start at vertex `start`, as vertex orders beginning with `start` (lexicographic):
 * two per undirected cycle (its two directions), for `n ≥ 3`. With `max`, the search stops after `max + 1` of them (so
 * a longer list than `max` means "more than `max`").
 */
export function hamiltonianCyclesFrom(g: Graph, start: number, max = Infinity): number[][] {
  const { n, adjacent } = g;
  if (n < 3) return [];
  return vertexOrders(n, (u, v) => adjacent[u * n + v] === 1, (path) => adjacent[path[n - 1]! * n + path[0]!] === 1, start, max);
}

/** All permutations of `0 … n−1` in lexicographic order (`n!` of them). */
export function permutations(n: number): number[][] {
  return vertexOrders(n, () => true, () => true);
}

/** `n!`. */
export function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Every sequence of length `L` over `{0 … V−1}`, in lexicographic order (`V^L` of them). */
export function allSequences(V: number, L: number): number[][] {
  let out: number[][] = [[]];
  for (let k = 0; k < L; k++) {
    const next: number[][] = [];
    for (const s of out) for (let v = 0; v < V; v++) next.push([...s, v]);
    out = next;
  }
  return out;
}

// --- prefix tree ------------------------------------------------------------------------------------------

/** A node of a prefix tree: the prefix it stands for, its children by next token, and whether a response ends here. */
export interface PrefixNode {
  prefix: number[];
  children: Map<number, PrefixNode>;
  terminal: boolean;
}

/**
 * The prefix tree (trie) of a set of responses. The responses must be prefix-free (no response is a proper prefix of
 * another, e.g. all of one length): a response is a *complete* sequence, with no end-of-sequence token.
 */
export function prefixTree(responses: Iterable<readonly number[]>): PrefixNode {
  const root: PrefixNode = { prefix: [], children: new Map(), terminal: false };
  for (const y of responses) {
    let node = root;
    for (const v of y) {
      let child = node.children.get(v);
      if (!child) node.children.set(v, (child = { prefix: [...node.prefix, v], children: new Map(), terminal: false }));
      node = child;
    }
    node.terminal = true;
  }
  const check = (node: PrefixNode): void => {
    if (node.terminal && node.children.size > 0) throw new RangeError(`prefixTree: response [${node.prefix.join(',')}] is a proper prefix of another`);
    for (const c of node.children.values()) check(c);
  };
  check(root);
  return root;
}

/** Every node of a tree, parents before children. */
export function treeNodes(root: PrefixNode): PrefixNode[] {
  const out: PrefixNode[] = [root];
  for (let i = 0; i < out.length; i++) for (const c of out[i]!.children.values()) out.push(c);
  return out;
}

/**
 * Completion probabilities of the responses in the tree under an autoregressive model:
 * `P(p) = 1` at a response, `P(p) = Σ_{v child of p} π(v | p) · P(p·v)` otherwise, so `P(root) = π(set | x)`.
 * A prefix outside the tree has `P = 0` and is not listed. `next(prefix)` is `π(· | x, prefix)`; it is called once per
 * inner node. One pass, children before parents (the dynamic programme over the prefix tree).
 */
export function completionProbabilities(root: PrefixNode, next: (prefix: readonly number[]) => ArrayLike<number>): Map<PrefixNode, number> {
  const P = new Map<PrefixNode, number>();
  const nodes = treeNodes(root);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.terminal) {
      P.set(node, 1);
      continue;
    }
    const p = next(node.prefix);
    let s = 0;
    for (const [v, c] of node.children) s += p[v]! * P.get(c)!;
    P.set(node, s);
  }
  return P;
}

/** `π(set | x)` for the responses of a tree: the root's completion probability. */
export function setProbability(root: PrefixNode, next: (prefix: readonly number[]) => ArrayLike<number>): number {
  return completionProbabilities(root, next).get(root)!;
}
