/**
 * The two reward models behind one interface, as the dynamics sees them: a flat trainable parameter, the train
 * set's margins / loss / ascent direction, margins of any set, and — when every train margin is linear in the
 * parameter — the function-space (tangent-kernel) form.
 */
import { ExRmPairKernel } from './exRm.js';
import { ImRmPairKernel } from './imRm.js';
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
  kind: ModelKind;
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
  /** The function-space form, or `null` when some train margin is not linear in the parameter. */
  linearForm(): LinearForm | null;
}

/**
 * `compress`: merge the IM-RM's unused tokens with equal initial rows; `span`: integrate the IM-RM's unembedding in
 * the span of the train prefixes' representations (both exact; see `ImRmPairKernel`). @default true, true
 */
export function modelOn(kind: ModelKind, cp: CompiledProblem, opts: { compress?: boolean; span?: boolean } = {}): ModelOnProblem {
  return kind === 'ex' ? exModel(cp) : imModel(cp, opts.compress ?? true, opts.span ?? opts.compress ?? true);
}

function exModel(cp: CompiledProblem): ModelOnProblem {
  const train = new ExRmPairKernel(cp, cp.train);
  const evalKernels = new Map<PairSet, ExRmPairKernel>();
  const D = cp.hiddenDim;
  return {
    kind: 'ex',
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
      if (!k) evalKernels.set(set, (k = new ExRmPairKernel(cp, set)));
      k.evaluate(u, out);
    },
    linearForm() {
      const N = cp.train.count;
      const Z = train.Z;
      const observe = (set: PairSet) => {
        const Zs = set === cp.train ? Z : new ExRmPairKernel(cp, set).Z;
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

function imModel(cp: CompiledProblem, compress: boolean, span: boolean): ModelOnProblem {
  const train = new ImRmPairKernel(cp, cp.train, { compress, span });
  const evalKernels = new Map<PairSet, ImRmPairKernel>();
  const classKernels = new Map<PairSet, ImRmPairKernel>();
  const D = cp.hiddenDim;
  return {
    kind: 'im',
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

