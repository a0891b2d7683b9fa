/** The Hamiltonian-cycle experiment (docs/hamiltonian-cycles.md): everything public, re-exported by `src/index.ts`. */
export { START_VERTEX, MAX_CYCLES, plantedHamiltonianGraph, correctResponses, isCorrectResponse, isComplete, randomIncorrectResponse, graphSet, type GraphSet } from './graphs.js';
export { HAMILTONIAN_REPRESENTATION, isHamiltonianRepresentation, FEATURE_BLOCKS, GraphFeatureRepresentation, type HamiltonianRepresentation, type GraphFeatureOptions } from './features.js';
export { softmaxLogits, nextVertexOf, correctTree, generationProbability, bruteForceGenerationProbability, GenerationProbabilities, type NextVertex } from './generation.js';
export {
  HAMILTONIAN_METHOD,
  isHamiltonianMethod,
  HAMILTONIAN_VARIANT,
  RESULTS_FORMAT as HAMILTONIAN_RESULTS_FORMAT,
  resolveHamiltonianOptions,
  hamiltonianGraphs,
  runHamiltonianExperiment,
  hamiltonianRun,
  verificationVsGenerationRuns,
  type HamiltonianMethod,
  type HamiltonianVariant,
  type HamiltonianExperimentOptions,
  type HamiltonianResults,
  type HamiltonianRun,
  type HamiltonianGraphs,
} from './experiment.js';
export { checkAtScale, claim6WithScale, CLAIM6_SCALE_TOLERANCE, CLAIM6_SCALE_VARIANT, AT_SCALE_SEEDS, AT_SCALE_TIMES, type Claim6ScaleVariant, type AtScaleOptions } from './claim6AtScale.js';
