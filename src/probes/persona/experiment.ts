/**
 * The controlled Persona experiment of Razin et al. (2025, §5.1), after the official
 * `persona_controlled_reward_model_experiment.json` of princeton-pli/exrm-vs-imrm, in the fixed-representation
 * setting of docs/theory.md (§1–2).
 *
 * Data (as the official data module and evaluator build it):
 * - prompts: the 120 committed agreeableness statements (`prompts.ts`), shuffled by the seed and split 80 train /
 *   40 test; every prompt gets ONE original pair, `chosen = yes-prefix + yes-answer`, `rejected = no-prefix +
 *   no-answer`, prefixes and answers drawn uniformly (seeded), for test prompts as for train prompts;
 * - paraphrased evaluation: for every prompt and every (paraphrased yes-answer, paraphrased no-answer) combination,
 *   `chosen = eval-yes-prefix + yes-answer`, `rejected = eval-no-prefix + no-answer`, the eval prefix drawn once
 *   per prompt and side; its accuracy is the mean over the combinations;
 * - per-token rewards: the mean reward of each answer over the prompts of a split (paraphrased answers after their
 *   eval prefix, as the evaluator logs them; original answers over the original responses that end with them).
 * A response's text is `prefix.trimEnd() + ' ' + answer` (the answer alone after an empty prefix), split into word-level tokens that keep their case
 * (`tokens.ts`); the vocabulary is every token of the word lists and of the question texts, in order of first
 * appearance (lists first, then the statements in the committed order).
 *
 * Fixed hidden representations (a choice of this toolkit; the paper's experiment used a real LM's):
 * - a token's meaning vector `v_t` is the GloVe vector of its lower-cased word (stand-ins for single letters),
 *   scaled to unit norm, so "My" and "my" are different tokens with the same vector;
 * - a prompt's vector `p_x` is the normalized mean of the unit vectors of its STATEMENT's tokens (the question frame
 *   is the same for every prompt and would only add a shared direction);
 * - `h(x, y_<k) = normalize(w·p_x + Σ_{j<k} γ^{k−1−j} v_{y_j})` (`SemanticRepresentation`), the whole sequence
 *   at `k = L+1`. Defaults `w = 1`, `γ = 0.8`: the last tokens weigh most, as in a causal LM's last hidden state,
 *   and a 7-token prefix still carries about half the weight of the sum.
 *   The EX-RM's paraphrased accuracy depends on this choice, the IM-RM's does not: measured on train prompts with
 *   the defaults otherwise, γ = 1 gives the EX-RM 0.22 (flow) / 0.00 (Adam), γ = 0.8 gives 0.86 / 1.00, γ = 0.5
 *   gives 0.25 / 0.75 (the prefixes' shared tokens "My" and "I" outweigh the answers when γ is near 1; one answer
 *   pair's GloVe vectors rank the wrong way when γ is small), while the IM-RM is at 0 for each (`--decay`).
 *
 * Both models start at zero (`u_0 = 0`, `U_0 = 0`, `π_ref = π_{U_0}` uniform), with β = 1 (the official
 * kl_coeff 0.01 was for a 1B-parameter LM; here β only scales the IM-RM's logits). They train on the 80 original
 * pairs by gradient flow and by full-batch Adam (the official run used Adam); see
 * {@link personaTrainingDefaults} for the horizons, chosen so that both reach 100% train accuracy.
 */
import { InputError } from '../../messages/index.js';
import { personaMessages } from '../../messages/persona.js';
import { accuracy, marginScale, type Accuracy } from '../../models/accuracy.js';
import { exRewards } from '../../models/exRm.js';
import type { ModelKind } from '../../models/model.js';
import { compileProblem, type CompiledProblem, type Pair, type PairSet, type Problem } from '../../models/problem.js';
import { train, type SolverInfo } from '../../dynamics/flow.js';
import { makeRng, sampleWithoutReplacement } from '../../random.js';
import { normalize, SemanticRepresentation } from '../../representations/semantic.js';
import { loadPersonaWordVectors } from './promptVectors.js';
import { imRewardsSharedPrefixes } from './rewards.js';
import { personaPromptSource, personaQuestion, personaStatements, type PersonaPromptSource } from './prompts.js';
import { personaWordLists, tokenize, type PersonaAnswers, type PersonaWordLists } from './tokens.js';
import { WORD_VECTOR_DIM, type LoadWordVectorsOptions } from './wordVectors.js';

/** The four evaluation sets, in table order. */
export const PERSONA_SET = {
  'train-original': 'train prompts, the training pairs (training prefixes and answers)',
  'train-paraphrased': 'train prompts, every (paraphrased yes, paraphrased no) answer combination after the eval prefixes',
  'test-original': 'test prompts, one pair each drawn like the training pairs',
  'test-paraphrased': 'test prompts, every paraphrased answer combination after the eval prefixes',
} as const;
export type PersonaSetName = keyof typeof PERSONA_SET;
const SET_NAMES = Object.keys(PERSONA_SET) as PersonaSetName[];

/** Training methods of the experiment. */
export const PERSONA_METHOD = {
  flow: 'gradient flow (adaptive Dormand–Prince)',
  adam: 'full-batch Adam',
} as const;
export type PersonaMethod = keyof typeof PERSONA_METHOD;
export const isPersonaMethod = (x: unknown): x is PersonaMethod => typeof x === 'string' && Object.hasOwn(PERSONA_METHOD, x);

/** Options of {@link buildPersonaExperiment}. */
export interface PersonaExperimentOptions {
  /** Answers and prefixes. @default personaWordLists (the official ones) */
  lists?: PersonaWordLists;
  /** Statements to draw the prompts from. @default personaStatements (the 120 committed ones) */
  statements?: readonly string[];
  /** @default 80 */
  trainPrompts?: number;
  /** @default 40 */
  testPrompts?: number;
  /** Seed of the shuffle and of every draw. @default 875 (the official dataset_prep_random_seed) */
  seed?: number;
  /** IM-RM coefficient β. @default 1 */
  beta?: number;
  /** Decay γ ∈ (0, 1] of older tokens in `h`. @default 0.8 */
  decay?: number;
  /** Weight `w` of the prompt vector in `h`. @default 1 */
  promptWeight?: number;
  /** Where to find the full GloVe package when a word is not in the committed files. */
  vectors?: LoadWordVectorsOptions;
}

/** A pair as text, for inspection. */
export interface PersonaPairText {
  prompt: number;
  chosen: string;
  rejected: string;
}

/** The pairs of a set whose chosen (`side: 'yes'`) or rejected (`'no'`) response ends with `answer`: one per prompt for a paraphrased answer. */
interface AnswerIndex {
  answer: string;
  side: 'yes' | 'no';
  kind: 'original' | 'paraphrased';
  set: PersonaSetName;
  pairs: number[];
}

/** The pairs `first … first+count−1` of a paraphrased set: one (yes answer, no answer) combination over the prompts. */
interface Combination {
  set: PersonaSetName;
  yes: string;
  no: string;
  first: number;
  count: number;
}

/** A built experiment: the problem, its compiled form, and what the results need to name things. */
export interface PersonaExperiment {
  options: Required<Omit<PersonaExperimentOptions, 'vectors' | 'statements'>>;
  source: Readonly<PersonaPromptSource> | null;
  /** The statements of the train and test prompts (prompt ids `0 … train−1`, then `train …`). */
  train: string[];
  test: string[];
  /** Token strings by id. */
  vocabulary: string[];
  problem: Problem;
  cp: CompiledProblem;
  /** Every pair of every set, as text. */
  pairs: Record<PersonaSetName, PersonaPairText[]>;
  answers: AnswerIndex[];
  combinations: Combination[];
}

/** Accuracy of one set (ties count ½ and are reported apart). */
export type PersonaSetResult = Accuracy & { pairs: number };

/** Mean reward of one answer over the prompts of a split. */
export interface PersonaTokenReward {
  answer: string;
  side: 'yes' | 'no';
  kind: 'original' | 'paraphrased';
  /** Responses averaged over. */
  count: number;
  meanReward: number;
}

/** Accuracy on one (paraphrased yes, paraphrased no) answer combination of a paraphrased set. */
export interface PersonaCombinationResult extends Accuracy {
  set: PersonaSetName;
  yes: string;
  no: string;
}

/** One model trained by one method. */
export interface PersonaRun {
  model: ModelKind;
  method: PersonaMethod;
  /** Training time reached (`steps × lr` for Adam). */
  time: number;
  loss: number;
  sets: Record<PersonaSetName, PersonaSetResult>;
  /** The paraphrased sets by answer combination (their mean is the set's accuracy, as the official evaluator reports it). */
  combinations: PersonaCombinationResult[];
  tokenRewards: { train: PersonaTokenReward[]; test: PersonaTokenReward[] };
  solver: SolverInfo;
  ms: number;
}

/** Training horizons of {@link runPersonaExperiment}. */
export interface PersonaTrainingOptions {
  /** @default ['flow', 'adam'] */
  methods?: readonly PersonaMethod[];
  /** Gradient-flow horizon. @default personaTrainingDefaults.time */
  time?: number;
  /** Relative tolerance of the flow's integrator. @default personaTrainingDefaults.rtol */
  rtol?: number;
  /** Adam step. @default personaTrainingDefaults.lr */
  lr?: number;
  /** Adam steps (its horizon is `steps × lr`). @default personaTrainingDefaults.steps */
  steps?: number;
}

/**
 * Horizons, measured with the default lists and prompts: both models are at 100% train accuracy from t ≈ 1 on.
 * Gradient flow runs to t = 1000 (train loss ≈ 0.02 for the EX-RM, whose margins grow like ln t; ≈ 2e-4 for the
 * IM-RM) at rtol 1e-6 (the accuracies are those of rtol 1e-8; half the steps). Adam takes 150 full-batch steps
 * of 0.03 (moment decays 0.9 / 0.999): about the official run's number of optimizer steps (50 epochs of 80
 * prompts in accumulated batches of 32), with a step suited to these unit-norm representations.
 */
export const personaTrainingDefaults = { time: 1000, rtol: 1e-6, lr: 0.03, steps: 150 } as const;

/** The results of every run, with the configuration that produced them. */
export interface PersonaResults {
  format: 'imrm-persona-results/1';
  config: PersonaExperiment['options'] & { lists: PersonaWordLists; training: Required<PersonaTrainingOptions>; vocabularySize: number; hiddenDim: number };
  prompts: { source: Readonly<PersonaPromptSource> | null; train: string[]; test: string[] };
  runs: PersonaRun[];
}

/** The text of a response: the prefix without its trailing spaces, one space, the answer (just the answer after an empty prefix). */
export function responseText(prefix: string, answer: string): string {
  const p = prefix.trimEnd();
  return p === '' ? answer : `${p} ${answer}`;
}

/** Builds the prompts, pairs, vocabulary and representations (loads word vectors; no training). */
export function buildPersonaExperiment(opts: PersonaExperimentOptions = {}): PersonaExperiment {
  const lists = opts.lists ?? personaWordLists;
  const statements = opts.statements ?? personaStatements;
  const options = {
    lists,
    trainPrompts: opts.trainPrompts ?? 80,
    testPrompts: opts.testPrompts ?? 40,
    seed: opts.seed ?? 875,
    beta: opts.beta ?? 1,
    decay: opts.decay ?? 0.8,
    promptWeight: opts.promptWeight ?? 1,
  };
  const { trainPrompts: nTrain, testPrompts: nTest } = options;
  if (nTrain + nTest > statements.length) throw new InputError(personaMessages.tooFewPrompts(nTrain + nTest, statements.length));
  if (!(nTrain >= 1 && nTest >= 1)) throw new RangeError('need at least one train and one test prompt');

  // Draws in the official data module's order: the shuffle, then (yes prefix, yes answer, no prefix, no answer)
  // per train prompt and per test prompt; then the evaluator's eval prefixes (train yes, test yes, train no, test no).
  const rng = makeRng(`persona/${options.seed}`);
  const order = sampleWithoutReplacement(rng, statements.length, nTrain + nTest);
  const chosenStatements = order.map((i) => statements[i]!);
  const nPrompts = nTrain + nTest;
  const draw = (s: PersonaAnswers): [string, string] => [s.prefixes[rng.int(s.prefixes.length)]!, s.answers[rng.int(s.answers.length)]!];
  const original = Array.from({ length: nPrompts }, () => ({ yes: draw(lists.train.yes), no: draw(lists.train.no) }));
  const evalPrefix = (s: PersonaAnswers, n: number): string[] => Array.from({ length: n }, () => s.prefixes[rng.int(s.prefixes.length)]!);
  const yesTrain = evalPrefix(lists.paraphrase.yes, nTrain);
  const yesTest = evalPrefix(lists.paraphrase.yes, nTest);
  const noTrain = evalPrefix(lists.paraphrase.no, nTrain);
  const noTest = evalPrefix(lists.paraphrase.no, nTest);
  const evalYes = [...yesTrain, ...yesTest];
  const evalNo = [...noTrain, ...noTest];

  // Vocabulary: every token of the lists, then of the question texts, in order of first appearance.
  const vocabulary: string[] = [];
  const idOf = new Map<string, number>();
  const addTokens = (text: string): number[] =>
    tokenize(text).map((t) => {
      let id = idOf.get(t);
      if (id === undefined) {
        idOf.set(t, (id = vocabulary.length));
        vocabulary.push(t);
      }
      return id;
    });
  for (const s of [lists.train.yes, lists.train.no, lists.paraphrase.yes, lists.paraphrase.no]) {
    for (const text of [...s.prefixes, ...s.answers]) addTokens(text);
  }
  for (const s of statements) addTokens(personaQuestion(s));
  const ids = (text: string): number[] => addTokens(text); // every token is already in the vocabulary

  // Representations.
  const vectors = loadPersonaWordVectors(vocabulary, opts.vectors);
  const tokenVectors = vocabulary.map((t) => normalize(Float64Array.from(vectors.get(t)!)));
  const promptVectors = chosenStatements.map((s) => {
    const p = new Float64Array(WORD_VECTOR_DIM);
    const tokens = tokenize(s);
    for (const t of tokens) {
      const v = tokenVectors[idOf.get(t)!]!;
      for (let i = 0; i < WORD_VECTOR_DIM; i++) p[i]! += v[i]! / tokens.length;
    }
    return normalize(p);
  });
  const representation = new SemanticRepresentation({ dim: WORD_VECTOR_DIM, promptVectors, tokenVectors, decay: options.decay, promptWeight: options.promptWeight });

  // Pair sets.
  const pairs = {} as Record<PersonaSetName, PersonaPairText[]>;
  const problemPairs = {} as Record<PersonaSetName, Pair[]>;
  const answers: AnswerIndex[] = [];
  const combinations: Combination[] = [];
  const add = (set: PersonaSetName, prompt: number, chosen: string, rejected: string): number => {
    (pairs[set] ??= []).push({ prompt, chosen, rejected });
    (problemPairs[set] ??= []).push({ prompt, chosen: ids(chosen), rejected: ids(rejected) });
    return pairs[set].length - 1;
  };
  for (const [split, first, count] of [['train', 0, nTrain], ['test', nTrain, nTest]] as const) {
    const origSet: PersonaSetName = `${split}-original`;
    const paraSet: PersonaSetName = `${split}-paraphrased`;
    const byAnswer = new Map<string, AnswerIndex>();
    const index = (answer: string, side: 'yes' | 'no', kind: AnswerIndex['kind'], set: PersonaSetName): AnswerIndex => {
      const key = `${kind}/${side}/${answer}`;
      let a = byAnswer.get(key);
      if (!a) {
        byAnswer.set(key, (a = { answer, side, kind, set, pairs: [] }));
        answers.push(a);
      }
      return a;
    };
    for (const a of lists.train.yes.answers) index(a, 'yes', 'original', origSet); // every answer listed, even if never drawn
    for (const a of lists.train.no.answers) index(a, 'no', 'original', origSet);
    for (let i = first; i < first + count; i++) {
      const { yes, no } = original[i]!;
      const p = add(origSet, i, responseText(...yes), responseText(...no));
      index(yes[1], 'yes', 'original', origSet).pairs.push(p);
      index(no[1], 'no', 'original', origSet).pairs.push(p);
    }
    const yesAnswers = lists.paraphrase.yes.answers;
    const noAnswers = lists.paraphrase.no.answers;
    for (const a of yesAnswers) index(a, 'yes', 'paraphrased', paraSet);
    for (const b of noAnswers) index(b, 'no', 'paraphrased', paraSet);
    yesAnswers.forEach((a, ia) => {
      noAnswers.forEach((b, ib) => {
        combinations.push({ set: paraSet, yes: a, no: b, first: pairs[paraSet]?.length ?? 0, count });
        for (let i = first; i < first + count; i++) {
          const p = add(paraSet, i, responseText(evalYes[i]!, a), responseText(evalNo[i]!, b));
          if (ib === 0) index(a, 'yes', 'paraphrased', paraSet).pairs.push(p);
          if (ia === 0) index(b, 'no', 'paraphrased', paraSet).pairs.push(p);
        }
      });
    });
  }

  const problem: Problem = {
    vocabSize: vocabulary.length,
    hiddenDim: WORD_VECTOR_DIM,
    beta: options.beta,
    reference: 'init',
    representation,
    train: problemPairs['train-original'],
    eval: { 'train-paraphrased': problemPairs['train-paraphrased'], 'test-original': problemPairs['test-original'], 'test-paraphrased': problemPairs['test-paraphrased'] },
  };
  return {
    options,
    source: opts.statements ? null : personaPromptSource,
    train: chosenStatements.slice(0, nTrain),
    test: chosenStatements.slice(nTrain),
    vocabulary,
    problem,
    cp: compileProblem(problem),
    pairs,
    answers,
    combinations,
  };
}

/** Trains both models by each method and evaluates every set and every answer's mean reward. */
export function runPersonaExperiment(exp: PersonaExperiment, opts: PersonaTrainingOptions = {}): PersonaResults {
  const training: Required<PersonaTrainingOptions> = {
    methods: opts.methods ?? ['flow', 'adam'],
    time: opts.time ?? personaTrainingDefaults.time,
    rtol: opts.rtol ?? personaTrainingDefaults.rtol,
    lr: opts.lr ?? personaTrainingDefaults.lr,
    steps: opts.steps ?? personaTrainingDefaults.steps,
  };
  const { cp } = exp;
  const setOf = (name: PersonaSetName): PairSet => (name === 'train-original' ? cp.train : cp.eval.find((s) => s.name === name)!);
  const trajName = (name: PersonaSetName): string => (name === 'train-original' ? 'train' : name);
  const runs: PersonaRun[] = [];
  for (const method of training.methods) {
    for (const model of ['ex', 'im'] as const) {
      const started = performance.now();
      const horizon = method === 'flow' ? training.time : training.steps * training.lr;
      const traj = train(cp, model, [horizon], method === 'flow' ? { method, rtol: training.rtol, keepParams: true } : { method, lr: training.lr, keepParams: true });
      const last = traj.times.length - 1;
      const margins = Object.fromEntries(SET_NAMES.map((n) => [n, traj.margins[trajName(n)]!.map((p) => p[last]!)])) as Record<PersonaSetName, number[]>;
      const scale = marginScale(...Object.values(margins));
      const sets = Object.fromEntries(SET_NAMES.map((n) => [n, { ...accuracy(margins[n], scale), pairs: margins[n].length }])) as Record<PersonaSetName, PersonaSetResult>;
      const combinations = exp.combinations.map((c) => ({ set: c.set, yes: c.yes, no: c.no, ...accuracy(margins[c.set].slice(c.first, c.first + c.count), scale) }));
      const params = traj.params![last]!;
      const tokenRewards: PersonaRun['tokenRewards'] = { train: [], test: [] };
      for (const a of exp.answers) {
        const set = setOf(a.set);
        const responses = a.pairs.map((p) => (a.side === 'yes' ? set.chosen[p]! : set.rejected[p]!));
        const r = model === 'ex' ? exRewards(cp, params, responses) : imRewardsSharedPrefixes(cp, params, responses);
        const meanReward = r.length ? r.reduce((s, x) => s + x, 0) / r.length : NaN;
        tokenRewards[a.set.startsWith('train') ? 'train' : 'test'].push({ answer: a.answer, side: a.side, kind: a.kind, count: r.length, meanReward });
      }
      runs.push({ model, method, time: traj.times[last]!, loss: traj.loss[last]!, sets, combinations, tokenRewards, solver: traj.solver, ms: performance.now() - started });
    }
  }
  return {
    format: 'imrm-persona-results/1',
    config: { ...exp.options, training, vocabularySize: cp.vocabSize, hiddenDim: cp.hiddenDim },
    prompts: { source: exp.source, train: exp.train, test: exp.test },
    runs,
  };
}

/** Builds and runs the experiment in one call. */
export function personaExperiment(opts: PersonaExperimentOptions & { training?: PersonaTrainingOptions } = {}): PersonaResults {
  return runPersonaExperiment(buildPersonaExperiment(opts), opts.training);
}
