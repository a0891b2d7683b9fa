/**
 * imrm-theory: the library. Everything public is exported here; the CLI, notebooks and the explorer import
 * from this file only.
 *
 *   representations/  h(x, y_<k): table, Gaussian, semantic, one-hot
 *        ↓
 *   models/           Problem → CompiledProblem; EX-RM and IM-RM margins, rewards, gradients (linalg/ kernels)
 *        ↓
 *   dynamics/         Bradley–Terry loss; gradient flow (Dormand–Prince 5(4)), gradient descent, Adam
 *        ↓
 *   io/, sweep/       problem and trajectory files; the sweep engine (worker pool, resumable JSONL, shards, merge)
 *        ↓
 *   theory/           the claims of docs/theory.md as checks
 *        ↓
 *   probes/           built-in instances, probes, the paper's experiments (one folder each), sweep cells
 *        ↓
 *   paper/            the paper map: one entry per result of the paper, run on the built-in instances
 *        ↓
 *   figures/          Vega-Lite specs, rendering
 *        ↓
 *   cli/              the `imrm` command
 *
 * Each layer imports only from the layers above it.
 */
export { InputError, message, prefixKey } from './messages/index.js';
export { makeRng, normalVector, sampleWithoutReplacement, type Rng } from './random.js';
export { flops, dot, axpy, sigmoidNeg, softplusNeg } from './linalg/kernels.js';
export { kernelInfo, useKernels, kernelStats, resetKernelStats, KERNEL_BACKEND, isKernelBackend, setKernelThreadStarter, type KernelBackend, type KernelName } from './linalg/kernels.js';
import './linalg/wasm/node.js'; // Node: the kernels' second thread, IMRM_KERNELS / IMRM_THREADS

export * from './representations/index.js';

export { REFERENCE, isReference, compileProblem, pairSets, type Reference, type Pair, type Problem, type CompiledProblem, type PairSet, type Responses } from './models/problem.js';
export { compilePairTerms, type PairTerms } from './models/pairTerms.js';
export { ExRmPairKernel, exDifferences, exFeatures, exRewards, exRewardGradient, EX_FEATURE, type ExFeature } from './models/exRm.js';
export { GenRmPairKernel, genRewards, genRewardGradient, DEFAULT_YES_TOKEN, type GenRmOptions } from './models/genRm.js';
export { ImRmPairKernel, imRewards, imRewardGradient, logProb, logProbs, nextTokenDistribution, identityClasses, mergeUnusedTokens, compressRows, expandRows, type TokenClasses } from './models/imRm.js';
export { MODEL, MODEL_LABEL, isModelKind, MODEL_VARIANT, REWARD_MODEL, REWARD_MODEL_LABEL, isVariantKind, isRewardModelKind, modelOn, type ModelKind, type VariantKind, type RewardModelKind, type ModelOptions, type ModelOnProblem, type PairKernel, type LinearForm } from './models/model.js';
export { accuracy, marginScale, normalizedMargin, rewardStd, TIE_RELATIVE, type Accuracy } from './models/accuracy.js';

export { bradleyTerryLoss } from './dynamics/loss.js';
export { dopri5, type OdeOptions, type OdeStats, type Rhs } from './dynamics/ode.js';
export { logspace, parseTimes, checkTimes } from './dynamics/times.js';
export { train, METHOD, FORM, isMethod, type Method, type Form, type FlowOptions, type Trajectory, type SolverInfo } from './dynamics/flow.js';

export { writeFileAtomic, writeFilesAtomic, type FileData, type FileToWrite } from './io/atomic.js';
export { readJsonText, resolveNamedFile, openNamedFile, openRegularFile, MAX_JSON_BYTES } from './io/files.js';
export { applyMaxMemory, machineMemory, MEMORY_ENV } from './io/memory.js';
export { memoryBudget, heapBudget, setMemoryBudget, checkMemory, problemBytes, trajectoryBytes, parseMemorySize, MEMORY_FRACTION } from './models/budget.js';
export { formatBytes } from './messages/core.js';
export { stringifyCompact, compactJsonChunks } from './io/json.js';
export { parseProblem, problemToJson, problemFileText, PROBLEM_FORMAT, type ArrayLoader, type ArrayFileNames } from './io/problemJson.js';
export { readProblem, writeProblem, readJson, npyBeside, NPY_INLINE_LIMIT, type WriteProblemOptions } from './io/problemFile.js';
export { trajectoryToJson, trajectoryFileText, TRAJECTORY_FORMAT } from './io/trajectoryJson.js';
export { readTrajectory, writeTrajectory, type TrajectoryFile } from './io/trajectoryFile.js';

export * from './theory/index.js';

export { cliMessages, npyMessages, personaMessages, probeMessages, sweepMessages } from './messages/index.js';
export { decodeUtf8 } from './utf8.js';
export { parseNpy, writeNpy, npyFileChunks, isFloat32Exact, type NpyDtype } from './io/npy.js';
export { importHidden, parseHiddenIndex, readNpy, HIDDEN_INDEX_FORMAT, DEFAULT_HIDDEN_FILE, type ImportHiddenOptions } from './io/hiddenImport.js';

export { makeProblem, PROBLEM_KIND, isProblemKind, type ProblemKind, type MakeProblemOptions } from './probes/standard.js';
export { buildProbeProblem, resolveProbeOptions, sharedCount, PROBE_KIND, PROBE_SETS, isProbeKind, type ProbeKind, type ProbeSetName, type ProbeProblemOptions, type ProbeProblem } from './probes/probeSets.js';
export { setMetrics, rewardsByFinalToken, type SetMetrics, type TokenReward } from './probes/metrics.js';
export { runProbeCell, measureProblem, probeCellMetrics, resolveTrainOptions, type ProbeCellOptions, type ProbeTrainOptions, type ProbeCellResult, type ProbeModelResult, type MeasuredModel, type Measured } from './probes/probeCell.js';
export { claim5, checkProbes, CLAIM5_TOLERANCE, CLAIM5_VARIANT, type Claim5Variant } from './probes/claim5Probes.js';
export { ALL_CLAIM_CHECKS } from './probes/checks.js';
export * from './sweep/index.js';
export { buildPersonaExperiment, runPersonaExperiment, personaExperiment, personaTrainingDefaults, PERSONA_SET, PERSONA_METHOD, isPersonaMethod, type PersonaExperimentOptions, type PersonaExperiment, type PersonaResults, type PersonaRun, type PersonaTrainingOptions, type PersonaMethod, type PersonaSetName } from './probes/persona/experiment.js';
export { personaWordLists, tokenize, vectorKey, vectorStandIns, type PersonaWordLists } from './probes/persona/tokens.js';
export { loadWordVectors, WORD_VECTOR_DIM } from './probes/persona/wordVectors.js';
export { personaStatements, personaPromptSource } from './probes/persona/prompts.js';
export * from './probes/hamiltonian-cycles/index.js';
export { hamiltonianMessages } from './messages/index.js';

export * from './paper/index.js';
export * from './figures/index.js';
