/**
 * The reward models behind one interface, as the dynamics sees them: a flat trainable parameter, the train set's
 * margins / loss / ascent direction, margins and rewards of any set, and — when every train margin is linear in the
 * parameter — the function-space (tangent-kernel) form.
 *
 * `MODEL` lists the paper's two models, EX-RM and IM-RM; `MODEL_VARIANT` its ablations (docs/theory.md,
 * "Ablations"): an EX-RM on the mean of the response's token-position representations, the IM-RM without a
 * reference distribution, and a generative reward model. Everything that trains or measures a model takes any
 * `RewardModelKind`; the theory checks are about the two `ModelKind`s.
 */
import { ExRmPairKernel, exRewards, type ExFeature } from './exRm.js';
import { DEFAULT_YES_TOKEN, GenRmPairKernel, genRewards } from './genRm.js';
import { compressRows, expandRows, identityClasses, ImRmPairKernel, logProbs } from './imRm.js';
import type { CompiledProblem, PairSet } from './problem.js';
import { dot } from '../linalg/kernels.js';

export const MODEL = {
  ex: 'EX-RM: r = <u, h(x, y)>',
  im: 'IM-RM: r = β ln π_U(y|x)/π_ref(y|x)',
} as const;
export type ModelKind = keyof typeof MODEL;
export const isModelKind = (x: unknown): x is ModelKind => typeof x === 'string' && Object.hasOwn(MODEL, x);
/** Display names, as the figures and tables print them. */
export const MODEL_LABEL: Record<ModelKind, string> = { ex: 'EX-RM', im: 'IM-RM' };

/** The paper's ablations, as model variants. */
export const MODEL_VARIANT = {
  'ex-mean': 'EX-RM on the mean representation: r = <u, (1/L) Σ_k h(x, y_≤k)>',
  'im-noref': 'IM-RM without a reference: r = β ln π_U(y|x) (π_ref ≡ 1, whatever the problem says)',
  gen: 'generative RM: r = ln π_U(Yes | x, y, q), the whole-sequence representation read by the LM head',
} as const;
export type VariantKind = keyof typeof MODEL_VARIANT;
/** Any reward model the toolkit trains: the paper's two and its ablations. */
export type RewardModelKind = ModelKind | VariantKind;
export const REWARD_MODEL: Record<RewardModelKind, string> = { ...MODEL, ...MODEL_VARIANT };
export const isVariantKind = (x: unknown): x is VariantKind => typeof x === 'string' && Object.hasOwn(MODEL_VARIANT, x);
export const isRewardModelKind = (x: unknown): x is RewardModelKind => isModelKind(x) || isVariantKind(x);
/** Display names of every reward model. */
export const REWARD_MODEL_LABEL: Record<RewardModelKind, string> = { ...MODEL_LABEL, 'ex-mean': 'EX-RM (mean)', 'im-noref': 'IM-RM (no ref)', gen: 'GRM' };

/** Margins, loss and ascent direction on one pair set (see `ExRmPairKernel`, `ImRmPairKernel`). */
export interface PairKernel {
  readonly size: number;
  evaluate(theta: Float64Array, margins: Float64Array, ascent?: Float64Array): number;
}

/**
 * Function-space form of a flow whose train margins are linear: `θ(t) = θ_0 + Σ_i c_i(t) ∇m_i`, so
 * `m(t) = m_0 + K c(t)` with the Gram (tangent-kernel) matrix `K_ij = <∇m_i, ∇m_j>`, and gradient flow on the
 * Bradley–Terry loss is the `N`-dimensional ODE `dc_i/dt = σ(−m_i)/N`.
 */
export interface LinearForm {
  /** `N × N`, row-major. */
  K: Float64Array;
  /** Margins at `θ_0`. */
  m0: Float64Array;
  /** The full parameter `θ_0 + Σ_i c_i ∇m_i`. */
  params(c: Float64Array): Float64Array;
  /**
   * For a set whose margins are linear in the parameter too: its cross-kernel `K̄_ji = <∇m̄_j, ∇m_i>`
   * (`count × N`) and its margins at `θ_0`, so that `dm̄/dt = K̄ σ(−m)/N` (docs/theory.md Claim 1); else `null`.
   */
  observe(set: PairSet): { K: Float64Array; m0: Float64Array } | null;
}

export interface ModelOnProblem {
  kind: RewardModelKind;
  cp: CompiledProblem;
  train: PairKernel;
  /** The train kernel's parameter at initialisation (compressed for the IM-RM). */
  initialParams(): Float64Array;
  /** The full parameter (`u`, or `U` as `|V| × D`) of a train-kernel parameter. */
  fullParams(theta: Float64Array): Float64Array;
  /** Margins of a set at a full parameter. */
  margins(full: Float64Array, set: PairSet): Float64Array;
  /** Margins of a set at a train-kernel parameter (compressed for the IM-RM), into `out`. */
  paramMargins(theta: Float64Array, set: PairSet, out: Float64Array): void;
  /** Rewards `r(x, y)` of the listed responses (ids of `cp.responses`) at a full parameter. */
  rewards(full: Float64Array, responses: ArrayLike<number>): Float64Array;
  /** The function-space form, or `null` when some train margin is not linear in the parameter. */
  linearForm(): LinearForm | null;
}

export interface ModelOptions {
  /** Merge the IM-RM's and GRM's unused tokens with equal initial rows (exact; see `ImRmPairKernel`). @default true */
  compress?: boolean;
  /**
   * Integrate the IM-RM's unembedding in the span of the train prefixes' representations, `U = U₀ + W Q` (exact;
   * see `ImRmPairKernel`). @default compress
   */
  span?: boolean;
  /** The GRM's "Yes" token. @default 0 */
  yesToken?: number;
}

export function modelOn(kind: RewardModelKind, cp: CompiledProblem, opts: ModelOptions = {}): ModelOnProblem {
  switch (kind) {
    case 'ex':
      return exModel(cp, 'whole', kind);
    case 'ex-mean':
      return exModel(cp, 'mean', kind);
    case 'im':
      return imModel(cp, opts.compress ?? true, opts.span ?? opts.compress ?? true, kind);
    case 'im-noref':
      return imModel({ ...cp, reference: 'none' }, opts.compress ?? true, opts.span ?? opts.compress ?? true, kind);
    case 'gen':
      return genModel(cp, opts.yesToken ?? DEFAULT_YES_TOKEN);
  }
}

function exModel(cp: CompiledProblem, feature: ExFeature, kind: RewardModelKind): ModelOnProblem {
  const train = new ExRmPairKernel(cp, cp.train, feature);
  const evalKernels = new Map<PairSet, ExRmPairKernel>();
  const D = cp.hiddenDim;
  return {
    kind,
    cp,
    train,
    initialParams: () => Float64Array.from(cp.u0),
    fullParams: (theta) => Float64Array.from(theta),
    margins(u, set) {
      const out = new Float64Array(set.count);
      this.paramMargins(u, set, out);
      return out;
    },
    paramMargins(u, set, out) {
      let k = set === cp.train ? train : evalKernels.get(set);
      if (!k) evalKernels.set(set, (k = new ExRmPairKernel(cp, set, feature)));
      k.evaluate(u, out);
    },
    rewards: (u, responses) => exRewards(cp, u, responses, feature),
    linearForm() {
      const N = cp.train.count;
      const Z = train.Z;
      const observe = (set: PairSet) => {
        const Zs = set === cp.train ? Z : new ExRmPairKernel(cp, set, feature).Z;
        const K = new Float64Array(set.count * N);
        for (let j = 0; j < set.count; j++) for (let i = 0; i < N; i++) K[j * N + i] = dot(Zs, j * D, Z, i * D, D);
        const m0 = new Float64Array(set.count);
        for (let j = 0; j < set.count; j++) m0[j] = dot(cp.u0, 0, Zs, j * D, D);
        return { K, m0 };
      };
      const { K, m0 } = observe(cp.train);
      return {
        K,
        m0,
        observe,
        params(c) {
          const u = Float64Array.from(cp.u0);
          for (let i = 0; i < N; i++) for (let k = 0; k < D; k++) u[k]! += c[i]! * Z[i * D + k]!;
          return u;
        },
      };
    },
  };
}

function imModel(cp: CompiledProblem, compress: boolean, span: boolean, kind: RewardModelKind): ModelOnProblem {
  const train = new ImRmPairKernel(cp, cp.train, { compress, span });
  const evalKernels = new Map<PairSet, ImRmPairKernel>();
  const classKernels = new Map<PairSet, ImRmPairKernel>();
  const referenceLogProb = new Map<number, number>();
  const D = cp.hiddenDim;
  return {
    kind,
    cp,
    train,
    initialParams: () => train.initial(),
    fullParams: (theta) => train.expand(theta),
    margins(U, set) {
      const out = new Float64Array(set.count);
      // a U reached by training from U_0 keeps the train kernel's merged tokens equal: evaluated on its class rows
      // (without the span basis, which a U from elsewhere need not respect); any other U is evaluated whole
      if (train.respects(U)) {
        let k = classKernels.get(set);
        if (!k) classKernels.set(set, (k = new ImRmPairKernel(cp, set, { classes: train.classes, basis: null })));
        k.evaluate(k.compress(U), out);
      } else new ImRmPairKernel(cp, set, { compress: false }).evaluate(U, out);
      return out;
    },
    paramMargins(theta, set, out) {
      let k = set === cp.train ? train : evalKernels.get(set);
      if (!k) evalKernels.set(set, (k = new ImRmPairKernel(cp, set, { classes: train.classes, basis: train.basis })));
      k.evaluate(theta, out);
    },
    rewards(U, responses) {
      // the reference log-probabilities are fixed: computed once per response
      const lp = logProbs(cp, U, responses);
      if (cp.reference === 'init') {
        const missing = Array.from(responses).filter((r) => !referenceLogProb.has(r));
        if (missing.length) logProbs(cp, cp.U0, missing).forEach((x, i) => referenceLogProb.set(missing[i]!, x));
      }
      return Float64Array.from(lp, (x, i) => cp.beta * (x - (cp.reference === 'init' ? referenceLogProb.get(responses[i]!)! : 0)));
    },
    linearForm() {
      if (!train.linear) return null;
      const t = train.terms;
      const N = cp.train.count;
      const b2 = cp.beta * cp.beta;
      // K̄_ji = β² Σ_{a ∈ j, b ∈ i} sign_a sign_b 1[token_a = token_b] <h_a, h_b> over the sets' margin terms
      const observe = (set: PairSet) => {
        const kernel = set === cp.train ? train : new ImRmPairKernel(cp, set, { compress: false });
        if (!kernel.linear) return null;
        const s = kernel.terms;
        const K = new Float64Array(set.count * N);
        for (let a = 0; a < s.count; a++) {
          for (let b = 0; b < t.count; b++) {
            if (s.token[a] !== t.token[b]) continue;
            K[s.pair[a]! * N + t.pair[b]!]! += b2 * s.sign[a]! * t.sign[b]! * dot(cp.H, s.row[a]! * D, cp.H, t.row[b]! * D, D);
          }
        }
        const m0 = new Float64Array(set.count);
        kernel.evaluate(kernel.initial(), m0);
        return { K, m0 };
      };
      const { K, m0 } = observe(cp.train)!;
      return {
        K,
        m0,
        observe,
        params(c) {
          const U = Float64Array.from(cp.U0);
          for (let a = 0; a < t.count; a++) {
            const w = cp.beta * t.sign[a]! * c[t.pair[a]!]!;
            const o = t.token[a]! * D;
            const h = t.row[a]! * D;
            for (let k = 0; k < D; k++) U[o + k]! += w * cp.H[h + k]!;
          }
          return U;
        },
      };
    },
  };
}


function genModel(cp: CompiledProblem, yesToken: number): ModelOnProblem {
  const train = new GenRmPairKernel(cp, cp.train, { yesToken });
  const evalKernels = new Map<PairSet, GenRmPairKernel>();
  const D = cp.hiddenDim;
  const { classes } = train;
  const respects = (U: Float64Array): boolean => {
    for (let v = 0; v < cp.vocabSize; v++) {
      const r = classes.rep[classes.classOf[v]!]!;
      if (r === v) continue;
      for (let k = 0; k < D; k++) if (!Object.is(U[v * D + k], U[r * D + k])) return false;
    }
    return true;
  };
  const compressed = (U: Float64Array): Float64Array => compressRows(U, D, classes);
  return {
    kind: 'gen',
    cp,
    train,
    initialParams: () => compressed(cp.U0),
    fullParams: (theta) => expandRows(theta, D, classes, cp.vocabSize),
    margins(U, set) {
      const out = new Float64Array(set.count);
      if (respects(U)) this.paramMargins(compressed(U), set, out);
      else new GenRmPairKernel(cp, set, { yesToken, classes: identityClasses(cp.vocabSize) }).evaluate(U, out);
      return out;
    },
    paramMargins(theta, set, out) {
      let k = set === cp.train ? train : evalKernels.get(set);
      if (!k) evalKernels.set(set, (k = new GenRmPairKernel(cp, set, { yesToken, classes })));
      k.evaluate(theta, out);
    },
    rewards: (U, responses) => genRewards(cp, U, responses, yesToken),
    linearForm: () => null,
  };
}
