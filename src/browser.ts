/**
 * imrm-theory in a browser: the part of the library (`src/index.ts`) that runs without Node.js — the simulation
 * (representations, models, dynamics, the built-in instances and the Claim 5 probe sets) and the figures' Vega-Lite
 * spec builders and theme.
 * The explorer (`src/explorer/`) and its Web Worker import from this file only.
 *
 * Left out, because they import `node:*` (file reading and writing, SVG/PNG rendering, schema files, sweeps):
 * `io/` except the problem and trajectory JSON values, `figures/{files,registry,render,schema,definitions}`, `theory/`, `cli/`.
 * `test/explorer/browserSafe.test.ts` walks the static import graph from here and fails on any `node:*` import
 * or a package that is not known to run in a browser.
 */
export { InputError, message, prefixKey } from './messages/index.js';
export { makeRng, normalVector, sampleWithoutReplacement, type Rng } from './random.js';
export { flops, dot, axpy, sigmoidNeg, softplusNeg } from './linalg/kernels.js';
export { kernelInfo, useKernels, kernelStats, resetKernelStats, KERNEL_BACKEND, isKernelBackend, setKernelThreadStarter, type KernelBackend, type KernelName } from './linalg/kernels.js';

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

export { stringifyCompact } from './io/json.js';
export { parseProblem, problemToJson, problemFileText, PROBLEM_FORMAT } from './io/problemJson.js';
export { trajectoryToJson, trajectoryFileText, TRAJECTORY_FORMAT } from './io/trajectoryJson.js';

export { makeProblem, PROBLEM_KIND, isProblemKind, type ProblemKind, type MakeProblemOptions } from './probes/standard.js';
export { buildProbeProblem, resolveProbeOptions, sharedCount, PROBE_KIND, PROBE_SETS, isProbeKind, type ProbeKind, type ProbeSetName, type ProbeProblemOptions, type ProbeProblem } from './probes/probeSets.js';

export * from './figures/specs.js';
export { applyTheme, modelColor, modelColorScale, logTimeAxis, linearAxis, MODEL_COLORS, THEME, TIME_TITLE, STEP_TIME_TITLE, FONT_FAMILY, VEGA_LITE_SCHEMA_URL } from './figures/theme.js';
