/**
 * The probes of docs/theory.md Claim 5: a seeded train set plus two evaluation sets that pull the IM-RM's cue (token
 * identity) and the EX-RM's cue (whole-sequence representation) apart.
 *
 * - `paraphrase` (semantic-similarity probe): the meaning of the matched train pair, mostly in unseen tokens.
 * - `overlap` (token-overlap probe): the meaning of the matched train pair, with train tokens of the *other* label.
 *
 * Probe pair `i` matches train pair `i` and lives on a new prompt id (paraphrase `N + i`, overlap `2N + i`) whose
 * prompt vector equals train prompt `i`'s: representations are keyed by (prompt, prefix), so a new id is what lets
 * the same prefix tokens carry another representation. Both probe responses keep the label of the train response
 * they are matched to (probe chosen ↔ train chosen), and their whole-sequence representations have cosine exactly
 * `ρ` to it: `ρ h + √(1−ρ²) w`, `w` a random unit vector orthogonal to `h` (`unitWithCosine`).
 *
 * Responses are a phrase of `L − 1` tokens and an answer token ("My answer is" + yes). Train chosen responses use
 * one of two yes-phrases and one of `tokensPerLabel` yes-answers, rejected ones the no-counterparts, shared
 * across prompts as in the paper's Persona setup. Every train token `v` has a meaning vector `μ_v` (near its
 * label's direction) and an *unseen* stand-in token `v'` (never in a train response) whose meaning has cosine `ρ`
 * to `μ_v`. In a probe response a fraction `f` (`sharedFraction`) of the `L` positions, `round(f·L)` of them
 * (half up), hold train tokens, the rest the unseen stand-ins of the matched train tokens:
 *
 *   position j shared     paraphrase: the matched train token `y_j` (same label); overlap: the token at `j` of the
 *                         same train pair's *other* response. Meaning: `μ_{y_j}` in both.
 *   position j not shared the unseen stand-in `y_j'`, meaning `μ_{y_j'}`, in both.
 *
 * So a pair's two probes have identical representations and differ only in the token ids at the shared positions:
 * whatever separates a model's paraphrase and overlap accuracy is token identity alone (the EX-RM scores them
 * identically). Prefix representations (`k ≤ L`) are semantic (`SemanticRepresentation`, decay 0.8, prompt weight
 * ½) over the positions' meanings, so the IM-RM sees how close a probe prefix is to train prefixes; the whole
 * sequence (`k = L + 1`) is the cosine-`ρ` vector above. A train response's whole sequence is its semantic vector plus
 * `contextNoise` times a random direction of its own (its context beyond the token meanings).
 *
 * `one-token` is the case `L = 1` (docs/theory.md Claim 3's setting): paraphrase at `f = 0` (unseen tokens), overlap at
 * `f = 1` (the train tokens of the other label); `length` and `sharedFraction` are ignored.
 *
 * Randomness is coupled across options: the train set depends only on `(kind, seed, vocab, dim, pairs, length,
 * tokensPerLabel, contextNoise)`; the orthogonal directions `w` and the order in which positions become
 * shared are drawn from per-item generators, so changing `ρ` or `f` alone moves each probe continuously
 * (shared position sets are nested in `f`).
 */
import { InputError } from '../messages/index.js';
import { checkDemands, problemBytes, TOKEN_LIST_BYTES } from '../models/budget.js';
import { probeMessages as pm } from '../messages/probes.js';
import { isReference, type Pair, type Problem, type Reference } from '../models/problem.js';
import { makeRng, sampleWithoutReplacement, type Rng } from '../random.js';
import { normalize, randomUnit, SemanticRepresentation, unitWithCosine } from '../representations/semantic.js';
import { TableRepresentation } from '../representations/table.js';

export const PROBE_KIND = {
  'one-token': 'one-token responses: paraphrase = unseen tokens, overlap = train tokens of the other label',
  'multi-token': 'phrase + answer-token responses; a fraction of each probe response shared with train responses',
} as const;
export type ProbeKind = keyof typeof PROBE_KIND;
export const isProbeKind = (x: unknown): x is ProbeKind => typeof x === 'string' && Object.hasOwn(PROBE_KIND, x);

/** The two probe sets, in the order they are built. */
export const PROBE_SETS = ['paraphrase', 'overlap'] as const;
export type ProbeSetName = (typeof PROBE_SETS)[number];

export interface ProbeProblemOptions {
  kind: ProbeKind;
  seed: number;
  /** Vocabulary size `|V|`. @default 200 */
  vocab?: number;
  /** Hidden dimension `D` (≥ 2). @default 32 */
  dim?: number;
  /** Train pairs `N` (and pairs per probe set). @default 32 */
  pairs?: number;
  /** Response length `L ≥ 2` (`multi-token` only). @default 4 */
  length?: number;
  /** Cosine of each probe response's whole-sequence representation to its matched train response's. @default 0.9 */
  rho?: number;
  /** Fraction `f ∈ [0, 1]` of each probe response's tokens that are train tokens (`multi-token` only). @default 0 */
  sharedFraction?: number;
  /**
   * Weight `σ ≥ 0` of a random unit vector added (before normalising) to each train response's whole-sequence
   * representation: how much it depends on its own context beyond the meanings of its tokens. With `σ = 0` all
   * train differences `z_i` nearly share one direction and the EX-RM separates paraphrases already at small `ρ`;
   * the default gives a gradual rise of EX-RM paraphrase accuracy with `ρ`. @default 3
   */
  contextNoise?: number;
  /** Distinct answer tokens per label. @default 4 */
  tokensPerLabel?: number;
  /** @default 1 */
  beta?: number;
  /** @default 'init' */
  reference?: Reference;
}

/** A built probe problem and what the tests and figures need to know about its construction. */
export interface ProbeProblem {
  problem: Problem;
  /** Response length `L` (1 for `one-token`). */
  length: number;
  /** Sorted shared positions of probe pair `i` (both of its responses), per set. */
  shared: Record<ProbeSetName, number[][]>;
  /** Train tokens by the label of the responses they occur in. */
  trainTokens: { chosen: number[]; rejected: number[] };
  /** The unseen stand-in `v'` of each train token `v`. */
  unseenOf: ReadonlyMap<number, number>;
}

/** Weight of older tokens in the semantic prefix representations. */
const DECAY = 0.8;
/** Weight of the prompt vector in every prefix representation. */
const PROMPT_WEIGHT = 0.5;
/** Noise of token meanings around their label direction: phrase tokens carry the label weakly, answers strongly. */
const PHRASE_NOISE = 1.5;
const ANSWER_NOISE = 0.5;

/** Defaults of the options that set a probe problem's size. */
const PROBE_SIZE_DEFAULTS = { vocab: 200, dim: 32, pairs: 32, length: 4 } as const;

/** The options with defaults filled in, checked once (`InputError` naming the option). */
export function resolveProbeOptions(opts: ProbeProblemOptions): Required<ProbeProblemOptions> {
  const o = {
    ...PROBE_SIZE_DEFAULTS,
    rho: 0.9,
    sharedFraction: 0,
    contextNoise: 3,
    tokensPerLabel: 4,
    beta: 1,
    reference: 'init' as Reference,
    ...definedOnly(opts),
  } as Required<ProbeProblemOptions>;
  const bad = (option: string, expected: string): never => {
    throw new InputError(pm.badProbeOption(option, (o as unknown as Record<string, unknown>)[option], expected));
  };
  if (!isProbeKind(o.kind)) bad('kind', `one of ${Object.keys(PROBE_KIND).map((k) => `"${k}"`).join(', ')}`);
  if (typeof o.seed !== 'number' || !Number.isFinite(o.seed)) bad('seed', 'a finite number');
  const integer = (option: 'vocab' | 'dim' | 'pairs' | 'length' | 'tokensPerLabel', min: number): void => {
    const v = o[option];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(option, `an integer >= ${min}`);
  };
  integer('vocab', 1);
  integer('dim', 2); // a vector at cosine ρ < 1 to another needs a second direction
  integer('pairs', 1);
  integer('tokensPerLabel', 1);
  if (o.kind === 'multi-token') integer('length', 2);
  if (!(typeof o.rho === 'number' && o.rho >= -1 && o.rho <= 1)) bad('rho', 'a cosine in [-1, 1]');
  if (!(typeof o.sharedFraction === 'number' && o.sharedFraction >= 0 && o.sharedFraction <= 1)) bad('sharedFraction', 'a fraction in [0, 1]');
  if (!(typeof o.contextNoise === 'number' && Number.isFinite(o.contextNoise) && o.contextNoise >= 0)) bad('contextNoise', 'a finite number >= 0');
  if (!(typeof o.beta === 'number' && Number.isFinite(o.beta) && o.beta > 0)) bad('beta', 'a finite number > 0');
  if (!isReference(o.reference)) bad('reference', '"init" or "none"');
  const needed = 2 * trainTokenCount(responseLength(o), o.tokensPerLabel);
  if (o.vocab < needed) throw new InputError(pm.probeVocabTooSmall(o.kind, o.vocab, needed));
  checkProbeBudget(o);
  return o;
}

/**
 * Refuses options whose probe problem would not fit the memory budget (`models/budget.ts`), naming the option
 * furthest above its default: `problemBytes` of |V|, D and the 3(2L + 1) hidden vectors per pair (train, paraphrase
 * and overlap responses), plus the list of all token ids the tokens are drawn from. Part of the options' resolution,
 * so every caller (`buildProbeProblem`, `runProbeCell`, the sweep cell's parameter check) is covered.
 */
function checkProbeBudget(o: Required<ProbeProblemOptions>): void {
  const L = responseLength(o);
  const need = problemBytes(o.vocab, o.dim, 3 * (2 * L + 1) * o.pairs) + TOKEN_LIST_BYTES * o.vocab;
  const fields = o.kind === 'multi-token' ? (['vocab', 'dim', 'pairs', 'length'] as const) : (['vocab', 'dim', 'pairs'] as const);
  const demands = fields.map((field) => ({ field, value: o[field], default: PROBE_SIZE_DEFAULTS[field] }));
  checkDemands(need, demands, (field) => ['probe', field], `a ${o.kind} probe problem`);
}

/** `L`: 1 for `one-token`, `length` for `multi-token`. */
function responseLength(o: Pick<Required<ProbeProblemOptions>, 'kind' | 'length'>): number {
  return o.kind === 'one-token' ? 1 : o.length;
}

/** Distinct train tokens: two phrases of `L − 1` tokens per label, `T` answers per label. */
function trainTokenCount(L: number, T: number): number {
  return 4 * (L - 1) + 2 * T;
}

/** Shared positions in a response of length `L` at fraction `f`: `round(f·L)`, half up. */
export function sharedCount(f: number, L: number): number {
  return Math.round(f * L);
}

/** Builds the train set and both probe sets of docs/theory.md Claim 5 (see the file comment). Deterministic in the options. */
export function buildProbeProblem(opts: ProbeProblemOptions): ProbeProblem {
  const o = resolveProbeOptions(opts);
  const { kind, seed, vocab: V, dim: D, pairs: N, rho, tokensPerLabel: T } = o;
  const L = responseLength(o);
  const P = L - 1;
  const tag = `probe/${kind}/${seed}`;
  const rng = makeRng(tag);

  // token ids: phrases yes0 yes1 no0 no1, answers yes then no, then one unseen stand-in per train token
  const count = trainTokenCount(L, T);
  const ids = sampleWithoutReplacement(rng, V, 2 * count);
  const phrase = [0, 1, 2, 3].map((k) => ids.slice(k * P, (k + 1) * P));
  const yes = ids.slice(4 * P, 4 * P + T);
  const no = ids.slice(4 * P + T, count);
  const unseenOf = new Map<number, number>(ids.slice(0, count).map((v, j) => [v, ids[count + j]!]));

  const promptDir = randomUnit(rng, D);
  const labelDir = { yes: randomUnit(rng, D), no: randomUnit(rng, D) };
  const meaning = new Map<number, Float64Array>();
  for (const v of [...phrase[0]!, ...phrase[1]!]) meaning.set(v, noisyUnit(rng, labelDir.yes, PHRASE_NOISE));
  for (const v of [...phrase[2]!, ...phrase[3]!]) meaning.set(v, noisyUnit(rng, labelDir.no, PHRASE_NOISE));
  for (const v of yes) meaning.set(v, noisyUnit(rng, labelDir.yes, ANSWER_NOISE));
  for (const v of no) meaning.set(v, noisyUnit(rng, labelDir.no, ANSWER_NOISE));
  // the stand-ins' meanings: cosine ρ to the token they stand for (own generator per token: coupled across ρ)
  const unseenMeaning = new Map<number, Float64Array>();
  for (const [v, mu] of meaning) unseenMeaning.set(v, unitWithCosine(makeRng(`${tag}/unseen/${v}`), mu, rho));

  const table = new TableRepresentation(D);
  const train: Pair[] = [];
  const sets: Record<ProbeSetName, Pair[]> = { paraphrase: [], overlap: [] };
  const shared: Record<ProbeSetName, number[][]> = { paraphrase: [], overlap: [] };
  const fraction: Record<ProbeSetName, number> =
    kind === 'one-token' ? { paraphrase: 0, overlap: 1 } : { paraphrase: o.sharedFraction, overlap: o.sharedFraction };

  for (let i = 0; i < N; i++) {
    const prompt = noisyUnit(rng, promptDir, 1);
    const pair: Pair = {
      prompt: i,
      chosen: [...phrase[i % 2]!, yes[i % T]!],
      rejected: [...phrase[2 + ((i >> 1) % 2)]!, no[i % T]!],
    };
    train.push(pair);
    const whole: { chosen: Float64Array; rejected: Float64Array } = { chosen: new Float64Array(), rejected: new Float64Array() };
    for (const side of ['chosen', 'rejected'] as const) {
      const y = pair[side];
      const hs = semanticPrefixes(D, prompt, y.map((v) => meaning.get(v)!));
      if (o.contextNoise > 0) {
        // the whole sequence's own context: h(x, y) = normalize(semantic + σ g), g a random unit vector
        const g = randomUnit(makeRng(`${tag}/context/${i}/${side}`), D);
        hs[L] = normalize(Float64Array.from(hs[L]!, (x, k) => x + o.contextNoise * g[k]!));
      }
      hs.forEach((h, k) => table.set(i, y.slice(0, k), h));
      whole[side] = hs[L]!;
    }

    // probe side s of pair i: whole sequence at cosine ρ to the train response of the same label
    const probeWhole = {
      chosen: unitWithCosine(makeRng(`${tag}/whole/${i}/chosen`), whole.chosen, rho),
      rejected: unitWithCosine(makeRng(`${tag}/whole/${i}/rejected`), whole.rejected, rho),
    };
    const order = sampleWithoutReplacement(makeRng(`${tag}/positions/${i}`), L, L);
    PROBE_SETS.forEach((name, s) => {
      const promptId = (s + 1) * N + i;
      const positions = order.slice(0, sharedCount(fraction[name], L)).sort((a, b) => a - b);
      const isShared = new Set(positions);
      const probe = (side: 'chosen' | 'rejected'): number[] => {
        const orig = pair[side];
        const other = pair[side === 'chosen' ? 'rejected' : 'chosen'];
        const tokens = orig.map((v, j) => (isShared.has(j) ? (name === 'paraphrase' ? v : other[j]!) : unseenOf.get(v)!));
        const meanings = orig.map((v, j) => (isShared.has(j) ? meaning.get(v)! : unseenMeaning.get(v)!));
        const hs = semanticPrefixes(D, prompt, meanings.slice(0, L - 1));
        hs.forEach((h, k) => table.set(promptId, tokens.slice(0, k), h));
        table.set(promptId, tokens, probeWhole[side]);
        return tokens;
      };
      sets[name].push({ prompt: promptId, chosen: probe('chosen'), rejected: probe('rejected') });
      shared[name].push(positions);
    });
  }

  const problem: Problem = { vocabSize: V, hiddenDim: D, beta: o.beta, reference: o.reference, representation: table, train, eval: sets };
  return {
    problem,
    length: L,
    shared,
    trainTokens: { chosen: [...phrase[0]!, ...phrase[1]!, ...yes], rejected: [...phrase[2]!, ...phrase[3]!, ...no] },
    unseenOf,
  };
}

// --- helpers ---------------------------------------------------------------------------------------------

/**
 * `h(x, y_<k)` for `k = 1 … m+1` of a response whose positions carry the given meanings: the formula of
 * `SemanticRepresentation` with the positions' meaning vectors as its token table.
 */
function semanticPrefixes(D: number, prompt: Float64Array, meanings: Float64Array[]): Float64Array[] {
  const rep = new SemanticRepresentation({ dim: D, promptVectors: [prompt], tokenVectors: meanings, decay: DECAY, promptWeight: PROMPT_WEIGHT });
  const positions = meanings.map((_, j) => j);
  return Array.from({ length: meanings.length + 1 }, (_, k) => rep.hidden(0, positions.slice(0, k)));
}

/** `normalize(dir + ν g)` with `g` a random unit vector. */
function noisyUnit(rng: Rng, dir: Float64Array, nu: number): Float64Array {
  const g = randomUnit(rng, dir.length);
  return normalize(Float64Array.from(dir, (d, i) => d + nu * g[i]!));
}

/** The object without its `undefined` entries, so they do not override defaults. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
