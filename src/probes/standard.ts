/**
 * Built-in instances (`imrm make-problem --kind …`): seeded random problems with a train set and evaluation
 * sets that pull the two cues of docs/theory.md Claim 5 apart.
 *
 * - `paraphrase`: unseen tokens; new prompt ids whose prompt vector equals a train prompt's, and responses
 *   whose representations are close (cosine `ρ`) to that train pair's responses of the same label.
 * - `overlap`: the train tokens reused with the opposite meaning: the chosen response is made of the train
 *   *rejected* tokens but represented like a chosen one (cosine `ρ`), and vice versa.
 *
 * Kinds:
 * - `single-token`: one-token responses (docs/theory.md Claim 3's setting). Train chosen tokens come from a pool of
 *   `tokensPerLabel` "yes" tokens, rejected from as many "no" tokens, shared across prompts as in the paper's
 *   Persona setup. Prompt vectors `h(x) = normalize(π + g_x)` share a direction `π` (prompts resemble each
 *   other); each token has a meaning `μ_v = normalize(μ_label + ν g_v)`; a whole sequence is
 *   `h(x, y) = normalize(h(x) + 2 μ_y)`. Paraphrase and overlap responses get `h(x̄, ȳ)` with cosine exactly `ρ`
 *   to the matched train response (docs/theory.md Claim 5's semantic-similarity probe).
 * - `multi-token`: responses are a phrase of `length − 1` tokens plus an answer token ("My answer is" + yes);
 *   two yes-phrases and two no-phrases; every prefix represented by `SemanticRepresentation` (decay 0.8).
 *   Paraphrase pairs use new phrase and answer tokens whose meaning vectors have cosine `ρ` to the originals;
 *   overlap pairs reuse the train tokens with each token's meaning swapped to the other label.
 * - `tabular`: one-hot prefix representations (every prefix its own basis vector), responses all length-`length`
 *   strings over `vocab − 1` tokens with one correct response per prompt (docs/theory.md Claim 6's setting); the last
 *   token is held out for the paraphrase set; eval sets are held-out (correct, incorrect) pairs, pairs with the
 *   unseen token, and train responses on new prompts.
 */
import { InputError, message } from '../messages/index.js';
import { checkDemands, FLOAT_BYTES, problemBytes, ROW_OVERHEAD_BYTES, TOKEN_LIST_BYTES, type Demand } from '../models/budget.js';
import type { Pair, Problem, Reference } from '../models/problem.js';
import { makeRng, sampleWithoutReplacement, type Rng } from '../random.js';
import { OneHotRepresentation, prefixesOf } from '../representations/oneHot.js';
import type { Representation } from '../representations/representation.js';
import { normalize, randomUnit, SemanticRepresentation, unitWithCosine } from '../representations/semantic.js';
import { TableRepresentation } from '../representations/table.js';

export const PROBLEM_KIND = {
  'single-token': 'one-token responses; paraphrase (unseen tokens, cosine ρ) and token-overlap sets',
  'multi-token': 'phrase + answer-token responses with semantic prefix representations',
  tabular: 'one-hot prefix representations, one correct response per prompt',
} as const;
export type ProblemKind = keyof typeof PROBLEM_KIND;
export const isProblemKind = (x: unknown): x is ProblemKind => typeof x === 'string' && Object.hasOwn(PROBLEM_KIND, x);

export interface MakeProblemOptions {
  seed: number;
  /** Vocabulary size `|V|`. @default 1000 (tabular: 4) */
  vocab?: number;
  /** Hidden dimension `D` (ignored by `tabular`, whose `D` is the number of prefixes). @default 128 (multi-token: 64) */
  dim?: number;
  /** Train pairs `N`. @default 64 (multi-token: 32, tabular: 12) */
  pairs?: number;
  /** Response length `L` (`multi-token`, `tabular`). @default 8 (tabular: 3) */
  length?: number;
  /** Cosine of paraphrase / overlap representations to their train originals. @default 0.9 */
  rho?: number;
  /** Distinct train tokens per label (`single-token`, `multi-token` answers). @default 4 */
  tokensPerLabel?: number;
  /** @default 1 */
  beta?: number;
  /** @default 'init' */
  reference?: Reference;
}

export function makeProblem(kind: ProblemKind, opts: MakeProblemOptions): Problem {
  if (opts.rho !== undefined && !(opts.rho >= -1 && opts.rho <= 1)) throw new InputError(message.badOption('--rho', String(opts.rho), 'a cosine in [-1, 1]'));
  checkProblemBudget(kind, opts);
  switch (kind) {
    case 'single-token':
      return singleToken(opts);
    case 'multi-token':
      return multiToken(opts);
    case 'tabular':
      return tabular(opts);
  }
}

/** Defaults of the options that set a problem's size, per kind (`dim` and `length` where the kind has them). */
const SIZE_DEFAULTS = {
  'single-token': { vocab: 1000, dim: 128, pairs: 64, length: 1 },
  'multi-token': { vocab: 1000, dim: 64, pairs: 32, length: 8 },
  tabular: { vocab: 4, dim: 1, pairs: 12, length: 3 },
} as const satisfies Record<ProblemKind, Record<'vocab' | 'dim' | 'pairs' | 'length', number>>;

/**
 * Refuses options whose problem would not fit the memory budget (`models/budget.ts`), before anything is drawn,
 * naming the option furthest above its default. The estimate: `problemBytes` of the problem built (|V|, D and its
 * hidden vectors: 9 per pair for single-token, 3(2L + 1) per pair for multi-token, whose D is the number of
 * prefixes for tabular), plus what building it takes: the list of all token ids drawn from, multi-token's meaning
 * vector per token (|V| × D), and tabular's enumeration of all (|V| − 1)^L responses.
 */
export function checkProblemBudget(kind: ProblemKind, opts: MakeProblemOptions): void {
  const defaults = SIZE_DEFAULTS[kind];
  const { vocab: V, dim: D, pairs: N, length: L } = sizes(kind, opts);
  const demand = (field: string, value: number, d: number): Demand => ({ field, value, default: d });
  const demands: Demand[] = [demand('--vocab', V, defaults.vocab), demand('--pairs', N, defaults.pairs)];
  let need: number;
  if (kind === 'single-token') {
    demands.push(demand('--dim', D, defaults.dim));
    need = problemBytes(V, D, 9 * N) + TOKEN_LIST_BYTES * V;
  } else if (kind === 'multi-token') {
    demands.push(demand('--dim', D, defaults.dim), demand('--length', L, defaults.length));
    need = problemBytes(V, D, 3 * (2 * L + 1) * N) + TOKEN_LIST_BYTES * V + V * (FLOAT_BYTES * D + ROW_OVERHEAD_BYTES);
  } else {
    demands.push(demand('--length', L, defaults.length));
    const W = V - 1;
    const prompts = Math.max(2, Math.ceil(N / 4));
    // distinct prefixes (the one-hot dimension): at most one per prefix of every response, and at most every
    // string of length ≤ L over the vocabulary per prompt (train, held-out, paraphrase and overlap prompts)
    const strings = V === 1 ? L + 1 : (V ** (L + 1) - 1) / (V - 1);
    const prefixes = Math.min(8 * N * (L + 1), 2 * prompts * strings);
    need = problemBytes(V, prefixes, prefixes) + W ** L * (FLOAT_BYTES * L + ROW_OVERHEAD_BYTES);
  }
  checkDemands(need, demands, (field) => [field, ''], `a ${kind} problem`);
}

/** The size options with the kind's defaults filled in. */
function sizes(kind: ProblemKind, opts: MakeProblemOptions): Record<'vocab' | 'dim' | 'pairs' | 'length', number> {
  const d = SIZE_DEFAULTS[kind];
  return { vocab: opts.vocab ?? d.vocab, dim: opts.dim ?? d.dim, pairs: opts.pairs ?? d.pairs, length: opts.length ?? d.length };
}

const base = (opts: MakeProblemOptions) => ({ beta: opts.beta ?? 1, reference: opts.reference ?? 'init' });

function needVocab(V: number, needed: number): void {
  if (V < needed) throw new InputError(message.badOption('--vocab', String(V), `at least ${needed} tokens for this kind and these options`));
}

function singleToken(opts: MakeProblemOptions): Problem {
  const { vocab: V, dim: D, pairs: N } = sizes('single-token', opts);
  const T = opts.tokensPerLabel ?? 4;
  const rho = opts.rho ?? 0.9;
  needVocab(V, 4 * T);
  const rng = makeRng(`single-token/${opts.seed}`);
  const [yes, no, yesNew, noNew] = chunks(sampleWithoutReplacement(rng, V, 4 * T), T);
  const promptDir = randomUnit(rng, D);
  const labelDir = { yes: randomUnit(rng, D), no: randomUnit(rng, D) };
  const meaning = new Map<number, Float64Array>();
  for (const v of yes!) meaning.set(v, noisyUnit(rng, labelDir.yes, 0.5));
  for (const v of no!) meaning.set(v, noisyUnit(rng, labelDir.no, 0.5));

  const table = new TableRepresentation(D);
  const train: Pair[] = [];
  const paraphrase: Pair[] = [];
  const overlap: Pair[] = [];
  for (let i = 0; i < N; i++) {
    const hx = noisyUnit(rng, promptDir, 1);
    const c = yes![i % T]!;
    const r = no![i % T]!;
    const hc = normalize(axpby(1, hx, 2, meaning.get(c)!));
    const hr = normalize(axpby(1, hx, 2, meaning.get(r)!));
    table.set(i, [], hx);
    table.set(i, [c], hc);
    table.set(i, [r], hr);
    train.push({ prompt: i, chosen: [c], rejected: [r] });
    // paraphrase: unseen tokens, whole-sequence representations at cosine ρ to this pair's
    const pp = N + i;
    const pc = yesNew![i % T]!;
    const pr = noNew![i % T]!;
    table.set(pp, [], hx);
    table.set(pp, [pc], unitWithCosine(rng, hc, rho));
    table.set(pp, [pr], unitWithCosine(rng, hr, rho));
    paraphrase.push({ prompt: pp, chosen: [pc], rejected: [pr] });
    // token overlap: the train tokens with their meanings swapped
    const po = 2 * N + i;
    table.set(po, [], hx);
    table.set(po, [r], unitWithCosine(rng, hc, rho));
    table.set(po, [c], unitWithCosine(rng, hr, rho));
    overlap.push({ prompt: po, chosen: [r], rejected: [c] });
  }
  return { vocabSize: V, hiddenDim: D, ...base(opts), representation: table, train, eval: { paraphrase, overlap } };
}

function multiToken(opts: MakeProblemOptions): Problem {
  const { vocab: V, dim: D, pairs: N, length: L } = sizes('multi-token', opts);
  const T = opts.tokensPerLabel ?? 4;
  const rho = opts.rho ?? 0.9;
  if (!(L >= 2)) throw new InputError(message.badOption('--length', String(L), 'an integer >= 2 for multi-token responses'));
  const P = L - 1;
  // 2 yes-phrases + 2 no-phrases, their paraphrases, and answer tokens (train and paraphrase)
  needVocab(V, 8 * P + 4 * T);
  const rng = makeRng(`multi-token/${opts.seed}`);
  const ids = sampleWithoutReplacement(rng, V, 8 * P + 4 * T);
  const phrase = chunks(ids.slice(0, 8 * P), P); // [yes0, yes1, no0, no1, yes0', yes1', no0', no1']
  const [yes, no, yesNew, noNew] = chunks(ids.slice(8 * P), T);
  const promptDir = randomUnit(rng, D);
  const labelDir = { yes: randomUnit(rng, D), no: randomUnit(rng, D) };
  const tokenVectors: Float64Array[] = Array.from({ length: V }, () => new Float64Array(D));
  const label = new Map<number, 'yes' | 'no'>();
  const setMeaning = (v: number, lab: 'yes' | 'no', strength: number): void => {
    tokenVectors[v] = noisyUnit(rng, labelDir[lab], strength);
    label.set(v, lab);
  };
  phrase.slice(0, 2).flat().forEach((v) => setMeaning(v, 'yes', 1.5));
  phrase.slice(2, 4).flat().forEach((v) => setMeaning(v, 'no', 1.5));
  yes!.forEach((v) => setMeaning(v, 'yes', 0.5));
  no!.forEach((v) => setMeaning(v, 'no', 0.5));
  // paraphrase tokens: meaning at cosine ρ to the token they stand for
  const para = new Map<number, number>();
  const link = (orig: number[], repl: number[]): void =>
    orig.forEach((v, j) => {
      tokenVectors[repl[j]!] = unitWithCosine(rng, tokenVectors[v]!, rho);
      para.set(v, repl[j]!);
    });
  for (let k = 0; k < 4; k++) link(phrase[k]!, phrase[k + 4]!);
  link(yes!, yesNew!);
  link(no!, noNew!);
  // overlap: the same tokens, each meaning replaced by one of the other label (cosine ρ to a train token of that label)
  const swapped = tokenVectors.slice();
  const yesTokens = [...phrase[0]!, ...phrase[1]!, ...yes!];
  const noTokens = [...phrase[2]!, ...phrase[3]!, ...no!];
  yesTokens.forEach((v, j) => (swapped[v] = unitWithCosine(rng, tokenVectors[noTokens[j % noTokens.length]!]!, rho)));
  noTokens.forEach((v, j) => (swapped[v] = unitWithCosine(rng, tokenVectors[yesTokens[j % yesTokens.length]!]!, rho)));

  const promptVectors: Float64Array[] = [];
  const train: Pair[] = [];
  const paraphrase: Pair[] = [];
  const overlap: Pair[] = [];
  for (let i = 0; i < N; i++) {
    const hx = noisyUnit(rng, promptDir, 1);
    promptVectors[i] = promptVectors[N + i] = promptVectors[2 * N + i] = hx;
    const chosen = [...phrase[i % 2]!, yes![i % T]!];
    const rejected = [...phrase[2 + ((i >> 1) % 2)]!, no![i % T]!];
    train.push({ prompt: i, chosen, rejected });
    paraphrase.push({ prompt: N + i, chosen: chosen.map((v) => para.get(v)!), rejected: rejected.map((v) => para.get(v)!) });
    overlap.push({ prompt: 2 * N + i, chosen: rejected, rejected: chosen });
  }
  const normal = new SemanticRepresentation({ dim: D, promptVectors, tokenVectors, decay: 0.8 });
  const swappedRep = new SemanticRepresentation({ dim: D, promptVectors, tokenVectors: swapped, decay: 0.8 });
  const table = tabulate(D, [...train, ...paraphrase], normal);
  fillTable(table, overlap, swappedRep);
  return { vocabSize: V, hiddenDim: D, ...base(opts), representation: table, train, eval: { paraphrase, overlap } };
}

function tabular(opts: MakeProblemOptions): Problem {
  const { vocab: V, length: L, pairs: N } = sizes('tabular', opts);
  if (V < 3) throw new InputError(message.badOption('--vocab', String(V), 'at least 3 tokens for tabular problems'));
  const rng = makeRng(`tabular/${opts.seed}`);
  const W = V - 1; // tokens 0..V−2 form responses; token V−1 is held out
  const all = allStrings(W, L);
  const prompts = Math.max(2, Math.ceil(N / 4));
  const correct = Array.from({ length: prompts }, () => all[rng.int(all.length)]!);
  const incorrect = (x: number): number[] => {
    for (;;) {
      const y = all[rng.int(all.length)]!;
      if (y.join() !== correct[x]!.join()) return y;
    }
  };
  const train: Pair[] = [];
  const heldout: Pair[] = [];
  const paraphrase: Pair[] = [];
  const overlap: Pair[] = [];
  for (let i = 0; i < N; i++) {
    const x = i % prompts;
    train.push({ prompt: x, chosen: correct[x]!, rejected: incorrect(x) });
    heldout.push({ prompt: x, chosen: correct[x]!, rejected: incorrect(x) });
    paraphrase.push({ prompt: x, chosen: [...correct[x]!.slice(0, L - 1), W], rejected: [...incorrect(x).slice(0, L - 1), W] });
    overlap.push({ prompt: prompts + x, chosen: correct[x]!, rejected: train[i]!.rejected });
  }
  const pairs = [...train, ...heldout, ...paraphrase, ...overlap];
  const rep = new OneHotRepresentation(prefixesOf(pairs.flatMap((p) => [{ prompt: p.prompt, tokens: p.chosen }, { prompt: p.prompt, tokens: p.rejected }])));
  return { vocabSize: V, hiddenDim: rep.dim, ...base(opts), representation: rep, train, eval: { heldout, paraphrase, overlap } };
}

// --- helpers ---------------------------------------------------------------------------------------------

function chunks<T>(a: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
  return out;
}

/** `normalize(dir + ν g)` with `g` a random unit vector. */
function noisyUnit(rng: Rng, dir: Float64Array, nu: number): Float64Array {
  return normalize(axpby(1, dir, nu, randomUnit(rng, dir.length)));
}

function axpby(a: number, x: Float64Array, b: number, y: Float64Array): Float64Array {
  return Float64Array.from(x, (xi, i) => a * xi + b * y[i]!);
}

function allStrings(W: number, L: number): number[][] {
  let out: number[][] = [[]];
  for (let k = 0; k < L; k++) out = out.flatMap((s) => Array.from({ length: W }, (_, v) => [...s, v]));
  return out;
}

/** A table holding `rep`'s vector for every prefix of the pairs' responses. */
function tabulate(D: number, pairs: readonly Pair[], rep: Representation): TableRepresentation {
  const table = new TableRepresentation(D);
  fillTable(table, pairs, rep);
  return table;
}

function fillTable(table: TableRepresentation, pairs: readonly Pair[], rep: Representation): void {
  for (const p of pairs) {
    for (const y of [p.chosen, p.rejected]) {
      for (let k = 0; k <= y.length; k++) if (!table.has(p.prompt, y.slice(0, k))) table.set(p.prompt, y.slice(0, k), rep.hidden(p.prompt, y.slice(0, k)));
    }
  }
}

