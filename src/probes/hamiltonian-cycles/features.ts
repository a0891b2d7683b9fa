/**
 * Fixed representations `h(graph, prefix)` of the Hamiltonian-cycle experiment (docs/hamiltonian-cycles.md).
 *
 * **Graph features** — what a capable language model could read off the prompt (the adjacency list) and the prefix:
 * with the walk so far `w = (0, y_1 … y_{k−1})`, its last vertex `ℓ` and `n` vertices,
 *
 *   h = [ A[ℓ, ·]  |  1[· ∈ w]  |  A[0, ·] · 1[k = n−1]  |  e_{k−1} ]  ∈ R^{4n}
 *
 * the adjacency row of the last vertex (who can come next), the visited set, what closing the cycle needs (the
 * neighbours of 0, only at the last position, where the next vertex must also be adjacent to 0), and the position
 * (one-hot over `|prefix| = 0 … n−1`; `n − 1` is the whole response). The logit of vertex `v` is `<U_v, h>`, so the
 * weights that mean the same thing on every graph are the diagonal ones, `U[v, v]` ("v is a neighbour of ℓ"),
 * `U[v, n+v]` ("v was visited"), `U[v, 2n+v]` ("v closes the cycle"); the rest depend on vertex names.
 *
 * **One-hot** — every prefix of every graph its own basis vector: the tabular model of docs/theory.md Claim 6,
 * which can represent any distribution but shares nothing between graphs.
 */
import type { Representation } from '../../representations/representation.js';
import type { Graph } from '../../theory/hamiltonian.js';
import { START_VERTEX } from './graphs.js';

/** The two representations of the experiment. */
export const HAMILTONIAN_REPRESENTATION = {
  features: 'graph features: adjacency row of the last vertex, visited set, closing neighbours, position (D = 4n)',
  'one-hot': 'one-hot over (graph, prefix): nothing shared between graphs',
} as const;
export type HamiltonianRepresentation = keyof typeof HAMILTONIAN_REPRESENTATION;
export const isHamiltonianRepresentation = (x: unknown): x is HamiltonianRepresentation => typeof x === 'string' && Object.hasOwn(HAMILTONIAN_REPRESENTATION, x);

/** The blocks of the feature vector, in order; each is `n` wide. */
export const FEATURE_BLOCKS = ['adjacency of the last vertex', 'visited', 'closing neighbours (last position only)', 'position'] as const;

export interface GraphFeatureOptions {
  /**
   * Deliberately wrong (for the check's failing variant): the feature map without the graph — the adjacency and
   * closing blocks are 0, so nothing ties a vertex to the edges of the graph it is in. @default false
   */
  graphBlind?: boolean;
}

/** `h(graph, prefix)` of the graph features; prompt `x` is graph `graphs[x]`. */
export class GraphFeatureRepresentation implements Representation {
  readonly dim: number;
  private readonly n: number;

  constructor(
    readonly graphs: readonly Graph[],
    readonly opts: GraphFeatureOptions = {},
  ) {
    this.n = graphs[0]?.n ?? 0;
    this.dim = 4 * this.n;
  }

  hidden(prompt: number, prefix: readonly number[]): Float64Array {
    const h = new Float64Array(this.dim);
    this.fill(prompt, prefix, h, 0);
    return h;
  }

  /** Writes `h(prompt, prefix)` into `out[offset …]` (which must be zero there). */
  fill(prompt: number, prefix: readonly number[], out: Float64Array, offset: number): void {
    const n = this.n;
    const { adjacent } = this.graphs[prompt]!;
    const last = prefix.length === 0 ? START_VERTEX : prefix[prefix.length - 1]!;
    const blind = this.opts.graphBlind === true;
    if (!blind) for (let j = 0; j < n; j++) out[offset + j] = adjacent[last * n + j]!;
    out[offset + n + START_VERTEX] = 1;
    for (const v of prefix) out[offset + n + v] = 1;
    if (!blind && prefix.length === n - 2) for (let j = 0; j < n; j++) out[offset + 2 * n + j] = adjacent[START_VERTEX * n + j]!;
    out[offset + 3 * n + Math.min(prefix.length, n - 1)] = 1;
  }
}
