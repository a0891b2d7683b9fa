import { describe, expect, it } from 'vitest';
import { FEATURE_BLOCKS, GraphFeatureRepresentation } from '../../../src/probes/hamiltonian-cycles/features.js';
import type { Graph } from '../../../src/theory/hamiltonian.js';

/** 0-1-2-3-4-0 plus the chord 1-3. */
function pentagon(): Graph {
  const n = 5;
  const adjacent = new Uint8Array(n * n);
  for (const [a, b] of [[0, 1], [1, 2], [2, 3], [3, 4], [4, 0], [1, 3]] as const) adjacent[a * n + b] = adjacent[b * n + a] = 1;
  return { n, adjacent };
}

const blocks = (h: Float64Array, n: number) => FEATURE_BLOCKS.map((_, b) => Array.from(h.subarray(b * n, (b + 1) * n)));

describe('graph features h(graph, prefix)', () => {
  const rep = new GraphFeatureRepresentation([pentagon()]);

  it('D = 4n: adjacency of the last vertex, visited set, closing neighbours at the last position only, position', () => {
    expect(rep.dim).toBe(20);
    expect(blocks(rep.hidden(0, []), 5)).toEqual([[0, 1, 0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]);
    expect(blocks(rep.hidden(0, [1, 3]), 5)).toEqual([[0, 1, 1, 0, 1], [1, 1, 0, 1, 0], [0, 0, 0, 0, 0], [0, 0, 1, 0, 0]]);
    // |prefix| = n − 2: the next vertex is the last one and must also be adjacent to 0
    expect(blocks(rep.hidden(0, [1, 2, 3]), 5)).toEqual([[0, 1, 1, 0, 1], [1, 1, 1, 1, 0], [0, 1, 0, 0, 1], [0, 0, 0, 1, 0]]);
    expect(blocks(rep.hidden(0, [1, 2, 3, 4]), 5)).toEqual([[1, 0, 0, 1, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]]);
  });

  it('the graph-blind variant (the check\'s failing variant) drops the adjacency and closing blocks only', () => {
    const blind = new GraphFeatureRepresentation([pentagon()], { graphBlind: true });
    for (const prefix of [[], [1, 3], [1, 2, 3]]) {
      const [, visited, , position] = blocks(rep.hidden(0, prefix), 5);
      expect(blocks(blind.hidden(0, prefix), 5)).toEqual([[0, 0, 0, 0, 0], visited, [0, 0, 0, 0, 0], position]);
    }
  });
});
