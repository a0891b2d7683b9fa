/**
 * The domain-shift probe family: a model of the paper's real-world regimes (its real-world table: in-distribution,
 * token-level shift, domain shift), with two knobs that pull apart the two kernels of the one-step reward change
 * (docs/theory.md, "Which model wins where"):
 *
 * - `f` (`sharedFraction`): the fraction of evaluation response tokens that are training tokens. Shared tokens keep
 *   their meaning: a shared position of a chosen (rejected) evaluation response holds a token that training used in
 *   chosen (rejected) responses. The rest are evaluation-domain tokens never seen in training.
 * - `ρ` (`rho`): the cosine between the evaluation domain's directions and the training domain's — its prompt topic
 *   `a_E = ρ a_T + √(1−ρ²) a⊥` and its response-meaning directions `g_E`, `b_E` (good, bad), built the same way.
 *
 * ## Geometry (documented, and the reason for the reversal)
 *
 * Exactly orthonormal directions are drawn per seed: a common direction `c`, the training domain's `a_T, g_T, b_T`,
 * and the evaluation domain's orthogonal complements `a⊥, g⊥, b⊥`. Then, with `normalize` to unit length,
 *
 *   prompt          p_x        = normalize(a_D + ν_p ξ_x)                         (D = the prompt's domain)
 *   token meaning   μ_v        = normalize(m_v + ν_t ξ_v),  m_v = g_D or b_D       (the label of the responses it is used in)
 *   prefix          h(x, y_<k) = normalize(w_c c + w_p p_x + Σ_{j<k} γ^{k−1−j} μ_{y_j})          k = 1 … L
 *   whole sequence  h(x, y)    = normalize(w_c c + w_p p_x + w_m m_y + σ ε_y),  m_y = g_D or b_D
 *
 * `c` is the component every hidden state shares (real LLM hidden states are far from isotropic: they share a large
 * common direction). The whole-sequence representation encodes what the response means *in its domain* — not the
 * identity of its tokens — plus its own context `ε_y` (weight `σ`), so the EX-RM, whose evaluation margins move by
 * `<z̄, z_i>` with `z = h(x, y⁺) − h(x, y⁻)` (prompt and `c` cancel), loses its signal as the domain rotates away
 * (`<z̄, z_i> ∝ ρ`). The IM-RM moves an evaluation margin by token identity times prefix similarity,
 * `Σ_{k,l} τ(ȳ_k, y_l) <h̄_k, h_l>` (Eq. 5); at a shared token `τ ≈ 1`, and `<h̄_k, h_l>` stays positive across
 * domains through `c` — so the IM-RM keeps ranking by the shared tokens whatever `ρ` is, and wins once `ρ` is small.
 *
 * Ablations (which ingredient the reversal needs): `commonWeight: 0` (no common component: across domains the prefix
 * similarities average 0 and the IM-RM falls to chance), `sharedTokens: 'random'` (shared tokens lose their meaning:
 * each shared position draws from either label's pool), `wholeSequence: 'tokens'` (the whole-sequence representation
 * is the prefix formula at `k = L + 1`, so it carries the shared tokens' training meanings and the EX-RM benefits from
 * them too).
 *
 * Randomness is coupled across `(f, ρ)`: directions, prompts, token meanings and contexts come from per-item
 * generators, the positions (pairs, for one-token responses) that become shared are nested in `f`, and `ρ` only
 * rotates the evaluation domain, so a phase diagram is smooth in both knobs.
 */
import { InputError } from '../../messages/index.js';
import { probeMessages as pm } from '../../messages/probes.js';
import { isReference, type Pair, type Problem, type Reference } from '../../models/problem.js';
import { makeRng, normalVector, sampleWithoutReplacement, type Rng } from '../../random.js';
import { normalize } from '../../representations/semantic.js';
import { TableRepresentation } from '../../representations/table.js';
import { isProbeKind, PROBE_KIND, sharedCount, type ProbeKind } from '../probeSets.js';

export const SHARED_TOKENS = {
  keep: 'a shared position holds a training token of its own label (tokens keep their meaning)',
  random: 'a shared position holds a training token of either label at random (ablation: tokens lose their meaning)',
} as const;
export type SharedTokens = keyof typeof SHARED_TOKENS;

export const WHOLE_SEQUENCE = {
  domain: 'h(x, y) encodes the response\'s meaning in its own domain, w_m m_y, plus its context',
  tokens: 'h(x, y) is the prefix formula at k = L + 1, the sum of its tokens\' meanings (ablation), plus its context',
} as const;
export type WholeSequence = keyof typeof WHOLE_SEQUENCE;

/** One point of the family: an evaluation set. */
export interface DomainShiftPoint {
  /** Fraction of evaluation response tokens shared with training, in [0, 1]. */
  sharedFraction: number;
  /** Cosine of the evaluation domain's directions to training's, in [−1, 1]. */
  rho: number;
}

export interface DomainShiftOptions {
  /** `one-token` or `multi-token` responses. */
  kind: ProbeKind;
  seed: number;
  /** Hidden dimension `D` (≥ 8). @default 48 */
  dim?: number;
  /** Train pairs, one prompt each. @default 32 */
  pairs?: number;
  /** Pairs of each evaluation set. @default 32 */
  evalPairs?: number;
  /** Response length `L ≥ 2` (`multi-token`). @default 4 */
  length?: number;
  /** Tokens per label in each domain's pool. @default 8 */
  tokensPerLabel?: number;
  /** Weight `w_c` of the common component. @default 1.5 */
  commonWeight?: number;
  /** Weight `w_p` of the prompt. @default 1 */
  promptWeight?: number;
  /** Weight `w_m` of the response's meaning in its whole-sequence representation. @default 1 */
  meaningWeight?: number;
  /** Weight `σ` of each whole sequence's own context. @default 3 */
  contextNoise?: number;
  /** Spread `ν_p` of prompts around their domain's topic. @default 1 */
  promptNoise?: number;
  /** Spread `ν_t` of token meanings around their label's direction. @default 1 */
  tokenNoise?: number;
  /** Decay `γ` of older tokens in the prefix representations. @default 0.8 */
  decay?: number;
  /** Weight `w_t` of the token meanings in the prefix representations. @default 0.5 */
  prefixMeaningWeight?: number;
  /**
   * Probability `π_t` that a token of a chosen (rejected) response comes from the good (bad) pool — in training and
   * at shared evaluation positions alike: tokens are only this predictive of the label. @default 0.75
   */
  tokenPurity?: number;
  /** @default 'keep' */
  sharedTokens?: SharedTokens;
  /** @default 'domain' */
  wholeSequence?: WholeSequence;
  /** @default 1 */
  beta?: number;
  /** @default 'init' */
  reference?: Reference;
}

export interface DomainShiftProblem {
  problem: Problem;
  /** Name of the evaluation set of each requested point, in order. */
  setNames: string[];
  /** Response length (1 for one-token). */
  length: number;
}

/** The name of a point's evaluation set, e.g. `f=0.5,rho=0.2`. */
export const pointName = (p: DomainShiftPoint): string => `f=${p.sharedFraction},rho=${p.rho}`;

/** The options with defaults, checked once (`InputError` naming the option). */
export function resolveDomainShiftOptions(opts: DomainShiftOptions): Required<DomainShiftOptions> {
  const o: Required<DomainShiftOptions> = {
    dim: 48,
    pairs: 32,
    evalPairs: 32,
    length: 4,
    tokensPerLabel: 8,
    commonWeight: 1.5,
    promptWeight: 1,
    meaningWeight: 1,
    contextNoise: 3,
    promptNoise: 1,
    tokenNoise: 1,
    decay: 0.8,
    prefixMeaningWeight: 0.5,
    tokenPurity: 0.75,
    sharedTokens: 'keep',
    wholeSequence: 'domain',
    beta: 1,
    reference: 'init',
    ...(Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as DomainShiftOptions),
  };
  const bad = (option: string, expected: string): never => {
    throw new InputError(pm.badProbeOption(option, (o as unknown as Record<string, unknown>)[option], expected));
  };
  if (!isProbeKind(o.kind)) bad('kind', `one of ${Object.keys(PROBE_KIND).map((k) => `"${k}"`).join(', ')}`);
  if (!Number.isSafeInteger(o.seed)) bad('seed', 'a safe integer');
  for (const [k, min] of [['dim', 8], ['pairs', 1], ['evalPairs', 1], ['tokensPerLabel', 1], ['length', 2]] as const) {
    if (!(Number.isInteger(o[k]) && o[k] >= min)) bad(k, `an integer >= ${min}`);
  }
  if (!(o.tokenPurity >= 0 && o.tokenPurity <= 1)) bad('tokenPurity', 'a probability in [0, 1]');
  for (const k of ['commonWeight', 'promptWeight', 'meaningWeight', 'contextNoise', 'promptNoise', 'tokenNoise', 'prefixMeaningWeight'] as const) {
    if (!(Number.isFinite(o[k]) && o[k] >= 0)) bad(k, 'a finite number >= 0');
  }
  if (!(o.decay > 0 && o.decay <= 1)) bad('decay', 'a number in (0, 1]');
  if (!Object.hasOwn(SHARED_TOKENS, o.sharedTokens)) bad('sharedTokens', '"keep" or "random"');
  if (!Object.hasOwn(WHOLE_SEQUENCE, o.wholeSequence)) bad('wholeSequence', '"domain" or "tokens"');
  if (!(Number.isFinite(o.beta) && o.beta > 0)) bad('beta', 'a finite number > 0');
  if (!isReference(o.reference)) bad('reference', '"init" or "none"');
  return o;
}

/** Exactly orthonormal directions, by Gram–Schmidt on Gaussian draws. */
function orthonormal(rng: Rng, count: number, dim: number): Float64Array[] {
  const out: Float64Array[] = [];
  while (out.length < count) {
    const v = normalVector(rng, dim);
    for (const q of out) {
      let d = 0;
      for (let i = 0; i < dim; i++) d += v[i]! * q[i]!;
      for (let i = 0; i < dim; i++) v[i]! -= d * q[i]!;
    }
    let n = 0;
    for (let i = 0; i < dim; i++) n += v[i]! * v[i]!;
    if (n > 1e-12) out.push(normalize(v));
  }
  return out;
}

/** `ρ a + √(1−ρ²) b`. */
const rotate = (a: Float64Array, b: Float64Array, rho: number): Float64Array => {
  const s = Math.sqrt(Math.max(0, 1 - rho * rho));
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = rho * a[i]! + s * b[i]!;
  return out;
};

/** `normalize(Σ w_j v_j)`. */
function combine(dim: number, terms: [number, Float64Array][]): Float64Array {
  const h = new Float64Array(dim);
  for (const [w, v] of terms) for (let i = 0; i < dim; i++) h[i]! += w * v[i]!;
  return normalize(h);
}

/** Builds the train set and one evaluation set per point (see the file comment). Deterministic in the options. */
export function buildDomainShiftProblem(opts: DomainShiftOptions, points: readonly DomainShiftPoint[]): DomainShiftProblem {
  const o = resolveDomainShiftOptions(opts);
  points.forEach((p, j) => {
    if (!(p.sharedFraction >= 0 && p.sharedFraction <= 1)) throw new InputError(pm.badProbeOption(`points[${j}].sharedFraction`, p.sharedFraction, 'a fraction in [0, 1]'));
    if (!(p.rho >= -1 && p.rho <= 1)) throw new InputError(pm.badProbeOption(`points[${j}].rho`, p.rho, 'a cosine in [-1, 1]'));
  });
  const { dim: D, pairs: N, evalPairs: M, tokensPerLabel: T } = o;
  const L = o.kind === 'one-token' ? 1 : o.length;
  const tag = `domain-shift/${o.kind}/${o.seed}/${D}`;
  const [c, aT, gT, bT, aPerp, gPerp, bPerp] = orthonormal(makeRng(`${tag}/directions`), 7, D) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

  // token ids: train good, train bad, eval good, eval bad (T each)
  const pool = { train: { good: range(0, T), bad: range(T, 2 * T) }, eval: { good: range(2 * T, 3 * T), bad: range(3 * T, 4 * T) } };
  const V = 4 * T;
  const noisy = (r: Rng, dir: Float64Array, nu: number) => combine(D, [[1, dir], [nu, normalVector(r, D, 1 / Math.sqrt(D))]]);
  // a token's meaning: its label's direction in its domain plus its own noise (own generator: coupled across ρ)
  const tokenNoise = new Map<number, Float64Array>();
  const meanings = new Map<string, Float64Array>();
  const meaningOf = (v: number, rho: number): Float64Array => {
    const isTrain = v < 2 * T;
    const key = isTrain ? `${v}` : `${v}/${rho}`;
    let mu = meanings.get(key);
    if (mu) return mu;
    let xi = tokenNoise.get(v);
    if (!xi) tokenNoise.set(v, (xi = normalVector(makeRng(`${tag}/token/${v}`), D, 1 / Math.sqrt(D))));
    const good = isTrain ? v < T : v < 3 * T;
    const dir = isTrain ? (good ? gT : bT) : good ? rotate(gT, gPerp, rho) : rotate(bT, bPerp, rho);
    meanings.set(key, (mu = combine(D, [[1, dir], [o.tokenNoise, xi]])));
    return mu;
  };

  const table = new TableRepresentation(D);
  // every prefix of a response, and its whole sequence
  const base = new Float64Array(D);
  const decayed = new Float64Array(D);
  const represent = (prompt: number, p: Float64Array, tokens: number[], meanings: Float64Array[], label: Float64Array, context: Float64Array): void => {
    // base = w_c c + w_p p; decayed = Σ_{j<k} γ^{k−1−j} μ_{y_j}, updated as decayed ← γ decayed + μ_{y_{k−1}}
    for (let i = 0; i < D; i++) base[i] = o.commonWeight * c[i]! + o.promptWeight * p[i]!;
    decayed.fill(0);
    for (let k = 0; k <= tokens.length; k++) {
      if (k > 0) for (let i = 0; i < D; i++) decayed[i] = o.decay * decayed[i]! + meanings[k - 1]![i]!;
      if (k === tokens.length) break;
      const h = new Float64Array(D);
      for (let i = 0; i < D; i++) h[i] = base[i]! + o.prefixMeaningWeight * decayed[i]!;
      table.set(prompt, tokens.slice(0, k), normalize(h));
    }
    const whole = new Float64Array(D);
    for (let i = 0; i < D; i++) whole[i] = base[i]! + o.contextNoise * context[i]!;
    if (o.wholeSequence === 'domain') for (let i = 0; i < D; i++) whole[i]! += o.meaningWeight * label[i]!;
    else for (let i = 0; i < D; i++) whole[i]! += o.meaningWeight * decayed[i]!;
    table.set(prompt, tokens, normalize(whole));
  };
  const contexts = new Map<string, Float64Array>();
  const contextOf = (key: string): Float64Array => {
    let g = contexts.get(key);
    if (!g) contexts.set(key, (g = normalize(normalVector(makeRng(`${tag}/context/${key}`), D))));
    return g;
  };

  const train: Pair[] = [];
  for (let i = 0; i < N; i++) {
    const r = makeRng(`${tag}/train/${i}`);
    const p = noisy(r, aT, o.promptNoise);
    // a token of a chosen (rejected) response is from the good (bad) pool with probability π_t
    const draw = (own: number[], other: number[]) => Array.from({ length: L }, () => (r.uniform() < o.tokenPurity ? own : other)[r.int(T)]!);
    const chosen = draw(pool.train.good, pool.train.bad);
    const rejected = draw(pool.train.bad, pool.train.good);
    represent(i, p, chosen, chosen.map((v) => meaningOf(v, 1)), gT, contextOf(`train/${i}/chosen`));
    represent(i, p, rejected, rejected.map((v) => meaningOf(v, 1)), bT, contextOf(`train/${i}/rejected`));
    train.push({ prompt: i, chosen, rejected });
  }

  // which positions (one-token: which pairs) are shared, nested in f
  const sharedPairOrder = sampleWithoutReplacement(makeRng(`${tag}/shared-pairs`), M, M);
  const evalPromptNoise: Float64Array[] = [];
  // the random draws of evaluation pair i, the same at every point: the order in which positions become shared,
  // and at each position both candidates (an unseen token and a training token), so the tokens do not depend on
  // which positions are shared
  type Draws = { order: number[] } & Record<'chosen' | 'rejected', { unseen: number[]; shared: number[] }>;
  const drawsCache: Draws[] = [];
  const evalDraws = (i: number): Draws => {
    const cached = drawsCache[i];
    if (cached) return cached;
    const side = (name: 'chosen' | 'rejected') => {
      const tr = makeRng(`${tag}/eval/${i}/${name}`);
      const unseen: number[] = [];
      const shared: number[] = [];
      for (let k = 0; k < L; k++) {
        const own = tr.uniform() < o.tokenPurity;
        unseen.push(((name === 'chosen') === own ? pool.eval.good : pool.eval.bad)[tr.int(T)]!);
        const keepLabel = o.sharedTokens === 'keep' ? own : tr.uniform() < 0.5;
        shared.push(((name === 'chosen') === keepLabel ? pool.train.good : pool.train.bad)[tr.int(T)]!);
      }
      return { unseen, shared };
    };
    const order = o.kind === 'one-token' ? [0] : sampleWithoutReplacement(makeRng(`${tag}/eval/${i}/positions`), L, L);
    return (drawsCache[i] = { order, chosen: side('chosen'), rejected: side('rejected') });
  };
  const evalSets: Record<string, Pair[]> = {};
  const setNames: string[] = [];
  points.forEach((pt, j) => {
    const name = pointName(pt);
    if (Object.hasOwn(evalSets, name)) throw new InputError(pm.badProbeOption(`points[${j}]`, pt, 'distinct points'));
    const aE = rotate(aT, aPerp, pt.rho);
    const gE = rotate(gT, gPerp, pt.rho);
    const bE = rotate(bT, bPerp, pt.rho);
    const sharedPairs = new Set(sharedPairOrder.slice(0, sharedCount(pt.sharedFraction, M)));
    const pairs: Pair[] = [];
    for (let i = 0; i < M; i++) {
      const prompt = N + j * M + i;
      let xi = evalPromptNoise[i];
      if (!xi) xi = evalPromptNoise[i] = normalVector(makeRng(`${tag}/eval/${i}`), D, 1 / Math.sqrt(D));
      const p = combine(D, [[1, aE], [o.promptNoise, xi]]);
      const draws = evalDraws(i);
      const positions = o.kind === 'one-token' ? (sharedPairs.has(i) ? [0] : []) : draws.order.slice(0, sharedCount(pt.sharedFraction, L));
      const isShared = new Set(positions);
      const response = (side: 'chosen' | 'rejected'): number[] => Array.from({ length: L }, (_, k) => (isShared.has(k) ? draws[side].shared[k]! : draws[side].unseen[k]!));
      const chosen = response('chosen');
      const rejected = response('rejected');
      represent(prompt, p, chosen, chosen.map((v) => meaningOf(v, pt.rho)), gE, contextOf(`eval/${i}/chosen`));
      represent(prompt, p, rejected, rejected.map((v) => meaningOf(v, pt.rho)), bE, contextOf(`eval/${i}/rejected`));
      pairs.push({ prompt, chosen, rejected });
    }
    evalSets[name] = pairs;
    setNames.push(name);
  });

  return { problem: { vocabSize: V, hiddenDim: D, beta: o.beta, reference: o.reference, representation: table, train, eval: evalSets }, setNames, length: L };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
