/**
 * The Hamiltonian-cycle experiment at the paper's scale (Razin, Lin, Yao, Arora, arXiv 2507.07981; docs/theory.md
 * Claim 6; docs/hamiltonian-cycles.md): an IM-RM (β = 1, π_ref = π_{U₀}, U₀ = 0) trained on one (Hamiltonian cycle,
 * non-cycle vertex order) pair per training graph, evaluated on pairs of *new* graphs, while the exact probability
 * π_θ(C|x) that its language model generates a Hamiltonian cycle of a test graph is tracked over training time.
 *
 *   graphs.ts      planted graphs, correct responses (depth-first), pairs
 *   features.ts    h(graph, prefix): graph features, or one-hot
 *   generation.ts  π_θ(C|x) by the prefix-tree DP, and by brute force over all (n−1)! orders
 *   experiment.ts  this file: training (gradient flow or Adam) and the series over time
 *
 * **One-hot, trained block by block.** With one-hot (graph, prefix) columns the train loss is a sum of per-graph terms
 * over disjoint columns, so the flow is a product of one-pair flows: graph `x`'s columns at time `t` are those of its
 * one-pair problem at time `t/N` (`N` train pairs). For Adam, the per-graph gradient is `N` times the full one and
 * Adam is invariant to that scale except through ε, so each one-pair problem runs Adam with `ε·N`. A test graph's
 * columns receive no gradient and stay at U₀: its margins are exactly 0 (every pair a tie, accuracy ½) and its
 * π_θ(C|x) is π_ref(C|x). The tests check all three against the toolkit trained on the whole one-hot problem
 * (`oneHot: 'dense'`, small instances: its `H` is a dense `rows × rows` identity).
 */
import { accuracy, marginScale } from '../../models/accuracy.js';
import { modelOn } from '../../models/model.js';
import { compileProblem, type Pair, type Problem } from '../../models/problem.js';
import { train, type Trajectory } from '../../dynamics/flow.js';
import { logspace } from '../../dynamics/times.js';
import { OneHotRepresentation, prefixesOf } from '../../representations/oneHot.js';
import type { Representation } from '../../representations/representation.js';
import type { PrefixNode } from '../../theory/hamiltonian.js';
import { GraphFeatureRepresentation, type HamiltonianRepresentation } from './features.js';
import { correctTree, generationProbability, GenerationProbabilities, softmaxLogits, type NextVertex } from './generation.js';
import { graphSet, type GraphSet } from './graphs.js';

export const HAMILTONIAN_METHOD = {
  flow: 'gradient flow (Dormand–Prince 5(4), rtol 1e-6 by default)',
  adam: 'Adam with step η (time = steps × η)',
} as const;
export type HamiltonianMethod = keyof typeof HAMILTONIAN_METHOD;
export const isHamiltonianMethod = (x: unknown): x is HamiltonianMethod => typeof x === 'string' && Object.hasOwn(HAMILTONIAN_METHOD, x);

/** Deliberately wrong variants (the check's tests use them to show it can fail). */
export const HAMILTONIAN_VARIANT = {
  graphBlindFeatures: 'features without the graph: the adjacency and closing blocks are 0',
  sharedOneHot: 'one-hot over the prefix tokens only: columns shared between graphs (needs oneHot: dense)',
} as const;
export type HamiltonianVariant = keyof typeof HAMILTONIAN_VARIANT;

export const RESULTS_FORMAT = 'imrm-hamiltonian-results/1';

/** Adam's steps at its default times: `time = steps × η`. */
const ADAM_STEPS = [1, 2, 5, 10, 20, 50, 100] as const;

export interface HamiltonianExperimentOptions {
  /** Vertices per graph (= vocabulary size; responses have `n − 1` vertices). @default 10 */
  vertices?: number;
  /** Probability of every edge outside the planted cycle. @default 0.2 */
  edgeProbability?: number;
  /** @default 1000 */
  trainGraphs?: number;
  /** @default 200 */
  testGraphs?: number;
  /** @default 'features' */
  representation?: HamiltonianRepresentation;
  /** @default 'flow' */
  method?: HamiltonianMethod;
  /** Seed of the graphs and pairs. @default 0 */
  seed?: number;
  /** IM-RM coefficient. @default 1 */
  beta?: number;
  /** Requested times. @default logspace(-3, 2, 11) for the flow; steps 1, 2, 5, 10, 20, 50, 100 × η for Adam */
  times?: readonly number[];
  /** Adam's step η. @default 0.05 */
  lr?: number;
  /** The flow's relative tolerance. @default 1e-6 */
  rtol?: number;
  /** How the one-hot model is trained (see the file comment); `dense` is for small instances. @default 'blocks' */
  oneHot?: 'blocks' | 'dense';
  variant?: HamiltonianVariant;
}

/** What `imrm hamiltonian --json` prints (`imrm-hamiltonian-results/1`); every array is aligned with `times`. */
export interface HamiltonianResults {
  format: typeof RESULTS_FORMAT;
  representation: HamiltonianRepresentation;
  method: HamiltonianMethod;
  times: number[];
  /** Pair accuracy on the training graphs' pairs (ties count ½). */
  trainAccuracy: number[];
  /** Pair accuracy on the test graphs' pairs (new graphs; ties count ½). */
  testAccuracy: number[];
  /** Fraction of test pairs that are ties (`|m| ≤ 1e-12 ·` the largest margin). */
  testTies: number[];
  /** Mean over test graphs of the exact π_θ(C|x). */
  generationProbability: number[];
  /** Expected number of Hamiltonian cycles among one sample per test graph: Σ_x π_θ(C|x). */
  expectedCorrect: number[];
  /** Mean over test graphs of π_ref(C|x) = |C(x)| / n^{n−1} (U₀ = 0: uniform reference). */
  referenceGenerationProbability: number;
  config: Required<Omit<HamiltonianExperimentOptions, 'times' | 'representation' | 'method' | 'variant'>> & { variant: HamiltonianVariant | null; hiddenDim: number };
  /** Mean number of correct responses (Hamiltonian cycles from vertex 0, both directions) per test graph. */
  meanCyclesPerTestGraph: number;
  /** Integrator steps (flow; summed over blocks for one-hot) or optimizer steps (Adam), and loss-gradient evaluations. */
  solver: { steps: number; evaluations: number };
}

/** Defaults of every option, resolved. */
export function resolveHamiltonianOptions(opts: HamiltonianExperimentOptions = {}) {
  const method = opts.method ?? 'flow';
  const lr = opts.lr ?? 0.05;
  return {
    vertices: opts.vertices ?? 10,
    edgeProbability: opts.edgeProbability ?? 0.2,
    trainGraphs: opts.trainGraphs ?? 1000,
    testGraphs: opts.testGraphs ?? 200,
    representation: opts.representation ?? 'features',
    method,
    seed: opts.seed ?? 0,
    beta: opts.beta ?? 1,
    times: [...(opts.times ?? (method === 'flow' ? logspace(-3, 2, 11) : ADAM_STEPS.map((s) => s * lr)))],
    lr,
    rtol: opts.rtol ?? 1e-6,
    oneHot: opts.oneHot ?? 'blocks',
    variant: opts.variant ?? null,
  };
}
type Resolved = ReturnType<typeof resolveHamiltonianOptions>;

/** The graphs of an experiment: training graphs are prompts `0 … T−1`, test graphs `T … T+S−1`. */
export interface HamiltonianGraphs {
  train: GraphSet;
  test: GraphSet;
  /** Test pairs with their prompts shifted by `T`. */
  testPairs: Pair[];
  /** Prefix trees of each test graph's correct responses. */
  testTrees: PrefixNode[];
}

export function hamiltonianGraphs(opts: HamiltonianExperimentOptions = {}): HamiltonianGraphs {
  const o = resolveHamiltonianOptions(opts);
  const train = graphSet(o.seed, 'train', o.trainGraphs, o.vertices, o.edgeProbability);
  const test = graphSet(o.seed, 'test', o.testGraphs, o.vertices, o.edgeProbability);
  const T = o.trainGraphs;
  return { train, test, testPairs: test.pairs.map((p) => ({ ...p, prompt: p.prompt + T })), testTrees: test.correct.map(correctTree) };
}

/** Margins and generation probabilities at every requested time: what the series are computed from. */
export interface HamiltonianRun {
  times: number[];
  /** `[time][pair]`. */
  train: Float64Array[];
  test: Float64Array[];
  /** π_θ(C|x) of every test graph, `[time][graph]`. */
  generation: Float64Array[];
  /** π_ref(C|x) of every test graph. */
  reference: Float64Array;
  /** `D`: the feature dimension, or the number of one-hot columns (summed over blocks). */
  hiddenDim: number;
  steps: number;
  evaluations: number;
}

/** Runs the experiment: trains the IM-RM and records every series. `instance`: the graphs of `hamiltonianGraphs(opts)`, if already built. */
export function runHamiltonianExperiment(opts: HamiltonianExperimentOptions = {}, instance?: HamiltonianGraphs): HamiltonianResults {
  const o = resolveHamiltonianOptions(opts);
  const inst = instance ?? hamiltonianGraphs(opts);
  const run = hamiltonianRun(opts, inst);
  const S = inst.testPairs.length;
  const trainAccuracy: number[] = [];
  const testAccuracy: number[] = [];
  const testTies: number[] = [];
  const generation: number[] = [];
  const expected: number[] = [];
  run.times.forEach((_, k) => {
    const scale = marginScale(run.train[k]!, run.test[k]!);
    const te = accuracy(run.test[k]!, scale);
    trainAccuracy.push(accuracy(run.train[k]!, scale).accuracy);
    testAccuracy.push(te.accuracy);
    testTies.push(te.ties);
    const sum = total(run.generation[k]!);
    generation.push(sum / S);
    expected.push(sum);
  });
  const ref = total(run.reference);
  return {
    format: RESULTS_FORMAT,
    representation: o.representation,
    method: o.method,
    times: run.times,
    trainAccuracy,
    testAccuracy,
    testTies,
    generationProbability: generation,
    expectedCorrect: expected,
    referenceGenerationProbability: ref / S,
    config: { vertices: o.vertices, edgeProbability: o.edgeProbability, trainGraphs: o.trainGraphs, testGraphs: o.testGraphs, seed: o.seed, beta: o.beta, lr: o.lr, rtol: o.rtol, oneHot: o.oneHot, variant: o.variant, hiddenDim: run.hiddenDim },
    meanCyclesPerTestGraph: inst.test.correct.reduce((a, c) => a + c.length, 0) / S,
    solver: { steps: run.steps, evaluations: run.evaluations },
  };
}

/** Trains the IM-RM of the options on the graphs and returns margins and π_θ(C|x) per time (what the series come from). */
export function hamiltonianRun(opts: HamiltonianExperimentOptions = {}, instance?: HamiltonianGraphs): HamiltonianRun {
  const o = resolveHamiltonianOptions(opts);
  const inst = instance ?? hamiltonianGraphs(opts);
  if (o.representation === 'features') return runFeatures(o, inst);
  return o.oneHot === 'blocks' && o.variant !== 'sharedOneHot' ? runOneHotBlocks(o, inst) : runOneHotDense(o, inst);
}

const total = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0);

const trainOptions = (o: Resolved) => ({ method: o.method, lr: o.lr, rtol: o.rtol, keepParams: true });

/** Margins `[time][pair]` of a set of a trajectory. */
const byTime = (traj: Trajectory, set: string): Float64Array[] => traj.times.map((_, k) => Float64Array.from(traj.margins[set]!, (row) => row[k]!));

function runFeatures(o: Resolved, inst: HamiltonianGraphs): HamiltonianRun {
  const representation = new GraphFeatureRepresentation([...inst.train.graphs, ...inst.test.graphs], { graphBlind: o.variant === 'graphBlindFeatures' });
  const problem: Problem = {
    vocabSize: o.vertices,
    hiddenDim: representation.dim,
    beta: o.beta,
    reference: 'init',
    representation,
    train: inst.train.pairs,
    eval: { test: inst.testPairs },
  };
  const cp = compileProblem(problem);
  const traj = train(cp, 'im', o.times, trainOptions(o));
  const exact = new GenerationProbabilities(inst.testTrees, representation, inst.testPairs.map((p) => p.prompt), o.vertices);
  return {
    times: traj.times,
    train: byTime(traj, 'train'),
    test: byTime(traj, 'test'),
    generation: traj.params!.map((U) => exact.evaluate(U)),
    reference: exact.evaluate(cp.U0),
    hiddenDim: representation.dim,
    steps: traj.solver.steps,
    evaluations: traj.solver.evaluations,
  };
}

/** One-hot columns keyed by (graph, prefix), or — the wrong variant — by the prefix alone. */
class PrefixColumns implements Representation {
  readonly dim: number;
  private readonly inner: OneHotRepresentation;
  constructor(prefixes: { prompt: number; prefix: number[] }[], private readonly shared: boolean) {
    this.inner = new OneHotRepresentation(shared ? prefixes.map((p) => ({ prompt: 0, prefix: p.prefix })) : prefixes);
    this.dim = this.inner.dim;
  }
  indexOf(prompt: number, prefix: readonly number[]): number {
    return this.inner.indexOf(this.shared ? 0 : prompt, prefix);
  }
  hidden(prompt: number, prefix: readonly number[]): Float64Array {
    return this.inner.hidden(this.shared ? 0 : prompt, prefix);
  }
}

/** π(·|x, prefix) of a one-hot model: the prefix's column of `U`, or U₀'s (= 0: uniform) for a prefix without one. */
function oneHotNext(columns: PrefixColumns, U: Float64Array, V: number, x: number): NextVertex {
  const D = columns.dim;
  const e = new Float64Array(D);
  return (prefix) => {
    const col = columns.indexOf(x, prefix);
    if (col < 0) return new Float64Array(V).fill(1 / V);
    e[col] = 1;
    const p = softmaxLogits(U, V, D, e);
    e[col] = 0;
    return p;
  };
}

const responsesOf = (pairs: readonly Pair[]) => pairs.flatMap((p) => [
  { prompt: p.prompt, tokens: p.chosen },
  { prompt: p.prompt, tokens: p.rejected },
]);

/** The whole one-hot problem through the toolkit (small instances: `H` is dense, rows × rows). */
function runOneHotDense(o: Resolved, inst: HamiltonianGraphs): HamiltonianRun {
  const columns = new PrefixColumns(prefixesOf(responsesOf([...inst.train.pairs, ...inst.testPairs])), o.variant === 'sharedOneHot');
  const cp = compileProblem({ vocabSize: o.vertices, hiddenDim: columns.dim, beta: o.beta, reference: 'init', representation: columns, train: inst.train.pairs, eval: { test: inst.testPairs } });
  const traj = train(cp, 'im', o.times, trainOptions(o));
  const exact = (U: Float64Array) => Float64Array.from(inst.testTrees, (tree, x) => generationProbability(tree, oneHotNext(columns, U, o.vertices, inst.testPairs[x]!.prompt)));
  return {
    times: traj.times,
    train: byTime(traj, 'train'),
    test: byTime(traj, 'test'),
    generation: traj.params!.map(exact),
    reference: exact(cp.U0),
    hiddenDim: columns.dim,
    steps: traj.solver.steps,
    evaluations: traj.solver.evaluations,
  };
}

/** One pair's one-hot problem (prompt 0). */
function onePairProblem(o: Resolved, pair: Pair) {
  const p = { prompt: 0, chosen: pair.chosen, rejected: pair.rejected };
  const columns = new PrefixColumns(prefixesOf(responsesOf([p])), false);
  return { columns, cp: compileProblem({ vocabSize: o.vertices, hiddenDim: columns.dim, beta: o.beta, reference: 'init', representation: columns, train: [p], eval: {} }) };
}

/** One-hot, one training graph at a time (exact; see the file comment). */
function runOneHotBlocks(o: Resolved, inst: HamiltonianGraphs): HamiltonianRun {
  const N = inst.train.pairs.length;
  const K = o.times.length;
  const trainM = Array.from({ length: K }, () => new Float64Array(N));
  const blockTimes = o.method === 'flow' ? o.times.map((t) => t / N) : o.times;
  let times = o.times;
  let steps = 0;
  let evaluations = 0;
  let columnCount = 0;
  inst.train.pairs.forEach((pair, i) => {
    const { cp } = onePairProblem(o, pair);
    columnCount += cp.hiddenDim;
    const traj = train(cp, 'im', blockTimes, { method: o.method, lr: o.lr, rtol: o.rtol, adam: { eps: 1e-8 * N } });
    for (let k = 0; k < K; k++) trainM[k]![i] = traj.margins.train![0]![k]!;
    if (o.method === 'adam') times = traj.times;
    steps += traj.solver.steps;
    evaluations += traj.solver.evaluations;
  });
  // a test graph's columns stay at U₀: its margins are the toolkit's at U₀, its model π_{U₀}
  const tests = inst.testPairs.map((pair) => onePairProblem(o, pair));
  const testM = new Float64Array(tests.length);
  tests.forEach(({ cp }, j) => {
    testM[j] = modelOn('im', cp).margins(cp.U0, cp.train)[0]!;
    columnCount += cp.hiddenDim;
  });
  const reference = Float64Array.from(inst.testTrees, (tree, x) => generationProbability(tree, oneHotNext(tests[x]!.columns, tests[x]!.cp.U0, o.vertices, 0)));
  return {
    times: [...times],
    train: trainM,
    test: trainM.map(() => testM),
    generation: trainM.map(() => reference),
    reference,
    hiddenDim: columnCount,
    steps,
    evaluations,
  };
}

/** The figure's two gradient-flow runs on the built-in instance (seed 0, the paper's sizes), on the same graphs. */
export function verificationVsGenerationRuns(): { label: string; results: HamiltonianResults }[] {
  const graphs = hamiltonianGraphs();
  return [
    { label: 'graph features', results: runHamiltonianExperiment({ representation: 'features' }, graphs) },
    { label: 'one-hot (graph, prefix)', results: runHamiltonianExperiment({ representation: 'one-hot' }, graphs) },
  ];
}
