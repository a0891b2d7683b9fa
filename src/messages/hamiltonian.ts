/**
 * Error texts of the Hamiltonian-cycle experiment (`src/probes/hamiltonian-cycles/`, `imrm hamiltonian`). Re-exported
 * by the main catalogue `src/messages/index.ts`.
 */
export const hamiltonianMessages = {
  onlyCycles: (vertices: number, edgeProbability: number, draws: number) =>
    `hamiltonian: --edge-prob: ${draws} graphs in a row on ${vertices} vertices with edge probability ${edgeProbability} ` +
    `were complete (every order of the vertices is a Hamiltonian cycle, so there is no incorrect response to reject); lower --edge-prob`,
  tooManyCycles: (vertices: number, edgeProbability: number, max: number) =>
    `hamiltonian: --edge-prob: a graph on ${vertices} vertices with edge probability ${edgeProbability} has more than ${max} ` +
    `Hamiltonian cycles from vertex 0 (the exact generation probability walks all of them); lower --edge-prob or --vertices`,
} as const;
