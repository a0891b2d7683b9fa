/**
 * Claim 4(b) of docs/theory.md (Razin et al., arXiv 2507.07981; Soudry et al. 2018, Thm 3): gradient flow on the
 * Bradley–Terry loss with separable differences `z_i` converges in direction to the hard-margin SVM through the origin
 *
 *   û = argmin ‖u‖  s.t.  <u, z_i> ≥ 1  (i = 1..N),
 *   dual:  α = argmin ½ αᵀKα − 1ᵀα  s.t.  α ≥ 0,   K_ij = <z_i, z_j>,   û = Σ_i α_i z_i,
 *
 * and the support vectors (α_i > 0, where <û, z_i> = 1) have margins with m_i − ln t → −ln(N α_i).
 * This file computes û and α: quadprog (Goldfarb–Idnani) on the primal (D = I_d) when d < 2N, on the dual
 * (Gram matrix plus a tiny ridge) when d ≥ 2N; then an active-set polish solves K_SS α_S = 1 exactly on the
 * support S, so the KKT conditions hold to round-off rather than to quadprog's tolerance.
 * `maxMarginDual` takes only a Gram matrix, for implicit features (the IM-RM one-token case of Claim 4, whose
 * features g_i have dimension |V|·D): there û = Σ α_i g_i.
 */
import quadprog from 'quadprog';
import { CholeskyDecomposition, Matrix, pseudoInverse } from 'ml-matrix';
import { dot } from '../linalg/kernels.js';

// --- options, methods, messages -------------------------------------------------------------------

/** Which problem quadprog solves. */
export const MAX_MARGIN_METHODS = {
  /**
   * The primal (d unknowns, N constraints) when d < 2N, else the dual. quadprog's cost grows like d³ on the primal and
   * N³ on the dual; measured crossover (N = 32…128, Node 20): between d = 1.5N and 2N (N = 64: D = 96 primal 3 ms vs
   * dual 13 ms; D = 128 primal 33 ms vs dual 15 ms; D = 512 primal 1.6 s vs dual 30 ms).
   */
  auto: 'auto',
  /** min ½‖u‖² s.t. Zu ≥ 1; α from quadprog's Lagrange multipliers. */
  primal: 'primal',
  /** min ½αᵀ(K + εI)α − 1ᵀα s.t. α ≥ 0, from the Gram matrix K = ZZᵀ. */
  dual: 'dual',
} as const;
export type MaxMarginMethod = keyof typeof MAX_MARGIN_METHODS;
export const isMaxMarginMethod = (x: unknown): x is MaxMarginMethod =>
  typeof x === 'string' && Object.prototype.hasOwnProperty.call(MAX_MARGIN_METHODS, x);

export interface MaxMarginOptions {
  /** @default 'auto' */
  method?: MaxMarginMethod;
  /**
   * Ridge ε added to the Gram diagonal in the dual, relative to the largest K_ii (quadprog needs a positive definite
   * matrix; K is only semi-definite when N > d or the z_i are dependent). It moves quadprog's α by about ε/λ_min(K_SS)
   * relative, which the polish then removes; it only has to pick out the support set. (The ridged dual is exactly the
   * squared-hinge soft-margin SVM with C = 1/(2ε): margins 1 − εα_i on the support.)
   * @default 1e-10
   */
  dualRidge?: number;
  /** Most active-set iterations of the polish (each adds or drops constraints and re-solves K_SS α_S = 1). @default 50 */
  maxPolishIterations?: number;
  /**
   * The z_i are declared not separable through the origin when the best solution found still has a constraint with
   * <u, z_i> < 1 − this (primal-feasibility residual).
   * @default 1e-6
   */
  separabilityTolerance?: number;
}

const DEFAULTS = {
  method: 'auto',
  dualRidge: 1e-10,
  maxPolishIterations: 50,
  separabilityTolerance: 1e-6,
} as const satisfies Required<MaxMarginOptions>;

/**
 * The z_i admit no u with <u, z_i> ≥ 1 for every i (equivalently, by Gordan's theorem, some non-zero λ ≥ 0 has
 * Σ λ_i z_i = 0). Gradient flow then does not diverge in a fixed direction and Claim 4(b) does not apply.
 */
export class NotSeparableError extends Error {
  override readonly name = 'NotSeparableError';
}

export { maxMarginMessage } from '../messages/theory.js';
import { maxMarginMessage } from '../messages/theory.js';

// --- results ----------------------------------------------------------------------------------------

export interface MaxMarginResult {
  /** û itself (not normalised): ‖û‖ = 1/γ with γ the geometric margin. Length d. */
  u: Float64Array;
  /** Dual variables, length N; exactly 0 off the support. */
  alpha: Float64Array;
  /** Indices i with α_i > 0, increasing. */
  support: Int32Array;
  /** Which problem quadprog solved. */
  method: 'primal' | 'dual';
  /** Active-set iterations the polish took (0: quadprog's support set was already right); -1 if it did not converge
   * and quadprog's own solution was kept. */
  polishIterations: number;
}

/** KKT residuals of the hard-margin problem; all 0 at the exact solution. */
export interface KktResiduals {
  /** max_i max(0, 1 − <u, z_i>). */
  primalFeasibility: number;
  /** max_i max(0, −α_i). */
  dualFeasibility: number;
  /** ‖u − Σ α_i z_i‖ / ‖u‖ (0 when both are 0; identically 0 in the Gram form). */
  stationarity: number;
  /** max_i |α_i (<u, z_i> − 1)|. In units of α (not relative): its round-off grows with max α = O(‖û‖²), e.g.
   * ~1e-8 when α ~ 1e4 on nearly non-separable data. */
  complementarity: number;
}

// --- public functions ---------------------------------------------------------------------------------

/**
 * Hard-margin SVM through the origin for the rows `z_i` of `Z` (`n × d`, row-major): û, α and the support.
 * Throws `NotSeparableError` when no u has <u, z_i> ≥ 1 for every i.
 */
export function maxMarginDirection(Z: Float64Array, n: number, d: number, opts: MaxMarginOptions = {}): MaxMarginResult {
  checkDimension('n', n);
  checkDimension('d', d);
  checkArray('Z', Z, n * d);
  const o = resolveOptions(opts);
  const method = o.method === 'auto' ? (d >= 2 * n ? 'dual' : 'primal') : o.method;
  if (n === 0) return { u: new Float64Array(d), alpha: new Float64Array(0), support: new Int32Array(0), method, polishIterations: 0 };
  for (let i = 0; i < n; i++) {
    if (dot(Z, i * d, Z, i * d, d) === 0) {
      throw new NotSeparableError(maxMarginMessage.notSeparable(n, maxMarginMessage.zeroDifference(i)));
    }
  }

  // quadprog's α, and its u: the primal's own solution, or Σ α_i z_i for the dual.
  let raw: { u: Float64Array; alpha: Float64Array };
  if (method === 'primal') {
    raw = solvePrimalQP(Z, n, d);
  } else {
    const alpha = solveDualQP(gramMatrix(Z, n, d), n, o.dualRidge);
    raw = { u: combineRows(Z, n, d, alpha), alpha };
  }
  // The polish measures margins through u = Σ α_i z_i (n·d per iteration) rather than through K, so its last
  // refinement step corrects the margins that the residuals below (and callers) actually see.
  const polished = polishActiveSet(featureOracle(Z, n, d), n, raw.alpha, o.maxPolishIterations);
  const best = polished
    ? { u: combineRows(Z, n, d, polished.alpha), alpha: polished.alpha, iterations: polished.iterations }
    : { ...raw, iterations: -1 };
  const bestRes = kktResiduals(Z, n, d, best.u, best.alpha);
  if (!(bestRes.primalFeasibility <= o.separabilityTolerance)) {
    throw new NotSeparableError(
      maxMarginMessage.notSeparable(n, maxMarginMessage.residualTooLarge(bestRes.primalFeasibility, o.separabilityTolerance)),
    );
  }
  return { u: best.u, alpha: best.alpha, support: supportOf(best.alpha), method, polishIterations: best.iterations };
}

/**
 * Dual variables α of the hard-margin SVM from the Gram matrix alone (`K` is `n × n`, symmetric positive
 * semi-definite, K_ij = <g_i, g_j> for features g_i that need never be formed): û = Σ_i α_i g_i, and
 * <û, g_j> = (Kα)_j, ‖û‖² = αᵀKα. Options as for `maxMarginDirection` (`method` is ignored).
 * Throws `NotSeparableError` when no combination has (Kα)_j ≥ 1 for every j with α ≥ 0.
 */
export function maxMarginDual(K: Float64Array, n: number, opts: MaxMarginOptions = {}): Float64Array {
  checkDimension('n', n);
  checkArray('K', K, n * n);
  checkSymmetric(K, n);
  const o = resolveOptions(opts);
  if (n === 0) return new Float64Array(0);
  for (let i = 0; i < n; i++) {
    if (!(K[i * n + i]! > 0)) {
      throw new NotSeparableError(maxMarginMessage.notSeparable(n, maxMarginMessage.zeroDifference(i)));
    }
  }
  const raw = solveDualQP(K, n, o.dualRidge);
  const polished = polishActiveSet(gramOracle(K, n), n, raw, o.maxPolishIterations);
  const alpha = polished ? polished.alpha : raw;
  const res = kktResidualsFromGram(K, n, alpha);
  if (!(res.primalFeasibility <= o.separabilityTolerance)) {
    throw new NotSeparableError(
      maxMarginMessage.notSeparable(n, maxMarginMessage.residualTooLarge(res.primalFeasibility, o.separabilityTolerance)),
    );
  }
  return alpha;
}

/** KKT residuals of (u, α) for the rows z_i of `Z` (`n × d`). */
export function kktResiduals(Z: Float64Array, n: number, d: number, u: Float64Array, alpha: Float64Array): KktResiduals {
  let primalFeasibility = 0;
  let dualFeasibility = 0;
  let complementarity = 0;
  const r = Float64Array.from(u); // u − Σ α_i z_i
  for (let i = 0; i < n; i++) {
    const a = alpha[i]!;
    const m = dot(u, 0, Z, i * d, d);
    primalFeasibility = Math.max(primalFeasibility, 1 - m);
    dualFeasibility = Math.max(dualFeasibility, -a);
    complementarity = Math.max(complementarity, Math.abs(a * (m - 1)));
    for (let k = 0; k < d; k++) r[k]! -= a * Z[i * d + k]!;
  }
  const nu = Math.sqrt(dot(u, 0, u, 0, d));
  const nr = Math.sqrt(dot(r, 0, r, 0, d));
  return { primalFeasibility, dualFeasibility, stationarity: nr === 0 ? 0 : nr / nu, complementarity };
}

/** KKT residuals of α with û = Σ α_i g_i implicit: <û, g_j> = (Kα)_j. Stationarity holds by construction (0). */
export function kktResidualsFromGram(K: Float64Array, n: number, alpha: Float64Array): KktResiduals {
  let primalFeasibility = 0;
  let dualFeasibility = 0;
  let complementarity = 0;
  for (let j = 0; j < n; j++) {
    const m = dot(K, j * n, alpha, 0, n);
    const a = alpha[j]!;
    primalFeasibility = Math.max(primalFeasibility, 1 - m);
    dualFeasibility = Math.max(dualFeasibility, -a);
    complementarity = Math.max(complementarity, Math.abs(a * (m - 1)));
  }
  return { primalFeasibility, dualFeasibility, stationarity: 0, complementarity };
}

/**
 * The angle between a and b in radians, in [0, π]; NaN if either is 0. Kahan's form
 * 2·atan2(‖â − b̂‖, ‖â + b̂‖) keeps full relative accuracy for tiny angles (acos of the cosine loses half the digits)
 * and near π.
 */
export function angleBetween(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(maxMarginMessage.wrongLength('b', n, b.length));
  const na = Math.sqrt(dot(a, 0, a, 0, n));
  const nb = Math.sqrt(dot(b, 0, b, 0, n));
  if (na === 0 || nb === 0) return NaN;
  let diff = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const x = a[k]! / na;
    const y = b[k]! / nb;
    diff += (x - y) * (x - y);
    sum += (x + y) * (x + y);
  }
  return 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
}

/** K = ZZᵀ (`n × n`), K_ij = <z_i, z_j>, exactly symmetric (upper triangle computed, mirrored). */
export function gramMatrix(Z: Float64Array, n: number, d: number): Float64Array {
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = dot(Z, i * d, Z, j * d, d);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}

// --- quadprog -------------------------------------------------------------------------------------------

/** quadprog arrays are 1-indexed (Fortran port): a length-m vector is a Float64Array(m + 1) with slot 0 unused. */
function oneIndexedRows(rows: number, cols: number): Float64Array[] {
  const out: Float64Array[] = [new Float64Array(0)];
  for (let r = 1; r <= rows; r++) out.push(new Float64Array(cols + 1));
  return out;
}

/** min ½‖u‖² s.t. Zu ≥ 1: D = I_d, d = 0, A = Zᵀ (d × n), b0 = 1. The Lagrange multipliers are the dual α. */
function solvePrimalQP(Z: Float64Array, n: number, d: number): { u: Float64Array; alpha: Float64Array } {
  const Dmat = oneIndexedRows(d, d);
  for (let k = 1; k <= d; k++) Dmat[k]![k] = 1;
  const dvec = new Float64Array(d + 1);
  const Amat = oneIndexedRows(d, n);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) Amat[k + 1]![i + 1] = Z[i * d + k]!;
  const bvec = new Float64Array(n + 1).fill(1);
  const res = quadprog.solveQP(Dmat, dvec, Amat, bvec);
  if (res.solution === undefined) throw new Error(maxMarginMessage.quadprogFailed(res.message));
  if (res.message !== '') {
    if (res.message.includes('inconsistent')) {
      throw new NotSeparableError(maxMarginMessage.notSeparable(n, maxMarginMessage.infeasibleQP));
    }
    throw new Error(maxMarginMessage.quadprogFailed(res.message));
  }
  const u = new Float64Array(d);
  for (let k = 0; k < d; k++) u[k] = res.solution[k + 1]!;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) alpha[i] = Math.max(0, res.Lagrangian[i + 1]!);
  // quadprog can return NaN on near-degenerate constraints (albertosantini/quadprog#4) instead of failing.
  if (!u.every(Number.isFinite) || !alpha.every(Number.isFinite)) throw new Error(maxMarginMessage.quadprogFailed('non-finite solution'));
  return { u, alpha };
}

/** min ½αᵀ(K + εI)α − 1ᵀα s.t. α ≥ 0, ε = ridge · max K_ii (positive definiteness for quadprog's Cholesky). */
function solveDualQP(K: Float64Array, n: number, ridge: number): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, K[i * n + i]!);
  const eps = ridge * maxDiag;
  const Dmat = oneIndexedRows(n, n);
  for (let i = 0; i < n; i++) {
    const row = Dmat[i + 1]!;
    for (let j = 0; j < n; j++) row[j + 1] = K[i * n + j]!;
    row[i + 1]! += eps;
  }
  const dvec = new Float64Array(n + 1).fill(1);
  const Amat = oneIndexedRows(n, n);
  for (let i = 1; i <= n; i++) Amat[i]![i] = 1;
  const bvec = new Float64Array(n + 1);
  const res = quadprog.solveQP(Dmat, dvec, Amat, bvec);
  if (res.solution === undefined || res.message !== '') throw new Error(maxMarginMessage.quadprogFailed(res.message));
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) alpha[i] = Math.max(0, res.solution[i + 1]!);
  if (!alpha.every(Number.isFinite)) throw new Error(maxMarginMessage.quadprogFailed('non-finite solution'));
  return alpha;
}

// --- active-set polish ------------------------------------------------------------------------------------

/** What the polish needs to know about the constraints, from features or from a Gram matrix. */
interface ConstraintOracle {
  /** K_SS as a dense matrix. */
  gramBlock(S: Int32Array): Matrix;
  /** out_j = <û, z_j> for û = Σ_{s ∈ S} α_s z_s (α given in full, zero off S). */
  margins(S: Int32Array, alpha: Float64Array, out: Float64Array): void;
}

function featureOracle(Z: Float64Array, n: number, d: number): ConstraintOracle {
  const u = new Float64Array(d);
  return {
    gramBlock(S) {
      const m = S.length;
      const G = new Matrix(m, m);
      for (let a = 0; a < m; a++) {
        for (let b = a; b < m; b++) {
          const v = dot(Z, S[a]! * d, Z, S[b]! * d, d);
          G.set(a, b, v);
          G.set(b, a, v);
        }
      }
      return G;
    },
    margins(S, alpha, out) {
      u.fill(0);
      for (const s of S) for (let k = 0; k < d; k++) u[k]! += alpha[s]! * Z[s * d + k]!;
      for (let j = 0; j < n; j++) out[j] = dot(u, 0, Z, j * d, d);
    },
  };
}

function gramOracle(K: Float64Array, n: number): ConstraintOracle {
  return {
    gramBlock(S) {
      const m = S.length;
      const G = new Matrix(m, m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) G.set(a, b, K[S[a]! * n + S[b]!]!);
      return G;
    },
    margins(S, alpha, out) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (const i of S) s += K[j * n + i]! * alpha[i]!;
        out[j] = s;
      }
    },
  };
}

/** α_s below this fraction of max α from quadprog counts as off the support (quadprog leaves round-off there). */
const SUPPORT_THRESHOLD = 1e-9;
/**
 * ... and so does an s whose margin under quadprog's α exceeds 1 + this: on the ill-conditioned ridged dual (K of rank
 * < N) quadprog's α is only good to ~1e-6 relative and can leave small spurious α_s on points far off the margin.
 */
const SUPPORT_MARGIN_GATE = 1e-4;
/** A non-support constraint with margin below 1 − this is added to S. Margins are normalised to 1, so this is
 * relative; it sits above the round-off of (Kα)_j for well-scaled data and far below any test tolerance. */
const POLISH_SLACK = 1e-11;
/** K_SS α_S = 1 counts as solved when max |K_SS α_S − 1| ≤ this; a larger residual means K_SS is singular with
 * 1 outside its range, i.e. S is not a support set. */
const SUPPORT_SYSTEM_TOL = 1e-9;

/**
 * Primal–dual active set started from quadprog's support: solve K_SS α_S = 1 (the support constraints hold with
 * equality); if that system is inconsistent, drop the s with the largest margin under quadprog's α; else if some
 * α_s < 0, drop the most negative; else add the most violated j ∉ S; stop when α_S ≥ 0 and every margin is ≥ 1 − slack.
 * Returns undefined if it has not converged after `maxIterations`.
 */
function polishActiveSet(
  oracle: ConstraintOracle,
  n: number,
  alpha0: Float64Array,
  maxIterations: number,
): { alpha: Float64Array; iterations: number } | undefined {
  let maxAlpha = 0;
  for (let i = 0; i < n; i++) maxAlpha = Math.max(maxAlpha, alpha0[i]!);
  const g0 = new Float64Array(n);
  oracle.margins(supportOf(alpha0), alpha0, g0);
  const inS = new Uint8Array(n);
  for (let i = 0; i < n; i++) inS[i] = alpha0[i]! > SUPPORT_THRESHOLD * maxAlpha && g0[i]! <= 1 + SUPPORT_MARGIN_GATE ? 1 : 0;
  const alpha = new Float64Array(n);
  const g = new Float64Array(n);
  for (let it = 0; it <= maxIterations; it++) {
    const S = supportOf(inS);
    alpha.fill(0);
    const solve = S.length > 0 ? supportSolver(oracle.gramBlock(S)) : undefined;
    if (solve) {
      const aS = solve(new Float64Array(S.length).fill(1));
      let drop = -1;
      if (!(solve.residual <= SUPPORT_SYSTEM_TOL)) {
        for (let s = 0; s < S.length; s++) if (drop < 0 || g0[S[s]!]! > g0[S[drop]!]!) drop = s;
      } else {
        for (let s = 0; s < S.length; s++) if (aS[s]! < 0 && (drop < 0 || aS[s]! < aS[drop]!)) drop = s;
      }
      if (drop >= 0) {
        inS[S[drop]!] = 0;
        continue;
      }
      for (let s = 0; s < S.length; s++) alpha[S[s]!] = aS[s]!;
    }
    oracle.margins(S, alpha, g);
    let worst = -1;
    let worstMargin = 1 - POLISH_SLACK;
    for (let j = 0; j < n; j++) {
      if (!inS[j] && g[j]! < worstMargin) {
        worst = j;
        worstMargin = g[j]!;
      }
    }
    if (worst < 0) {
      // One step of iterative refinement against the oracle's own margins: α_S += K_SS⁻¹ (1 − g_S).
      if (solve) {
        const r = new Float64Array(S.length);
        for (let s = 0; s < S.length; s++) r[s] = 1 - g[S[s]!]!;
        const delta = solve(r);
        let ok = true;
        for (let s = 0; s < S.length; s++) if (!(alpha[S[s]!]! + delta[s]! >= 0)) ok = false;
        if (ok) for (let s = 0; s < S.length; s++) alpha[S[s]!]! += delta[s]!;
      }
      return { alpha, iterations: it };
    }
    inS[worst] = 1;
  }
  return undefined;
}

/** Singular values below this fraction (times the size) of the largest count as 0 when K_SS is singular. */
const PINV_THRESHOLD = 1e-12;

/**
 * A solver for K_SS x = b: Cholesky plus one step of iterative refinement; the SVD pseudo-inverse if K_SS is singular
 * (support vectors linearly dependent: degenerate data, where α is not unique but û is). `residual` is
 * max |K_SS x − b| of the last solve, which is not small when K_SS is singular and b lies outside its range.
 */
function supportSolver(G: Matrix): ((b: Float64Array) => Float64Array) & { residual: number } {
  const chol = new CholeskyDecomposition(G);
  const pinv = chol.isPositiveDefinite() ? undefined : pseudoInverse(G, PINV_THRESHOLD);
  const f = (b: Float64Array): Float64Array => {
    const B = Matrix.columnVector(Array.from(b));
    let x: Matrix;
    if (pinv) {
      x = pinv.mmul(B);
    } else {
      x = chol.solve(B);
      x = x.add(chol.solve(Matrix.sub(B, G.mmul(x))));
    }
    f.residual = G.rows === 0 ? 0 : Matrix.sub(B, G.mmul(x)).abs().max();
    return Float64Array.from(x.getColumn(0));
  };
  f.residual = 0;
  return f;
}

// --- small helpers ------------------------------------------------------------------------------------------

/** Σ_i α_i z_i (length d). */
function combineRows(Z: Float64Array, n: number, d: number, alpha: Float64Array): Float64Array {
  const u = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const a = alpha[i]!;
    if (a !== 0) for (let k = 0; k < d; k++) u[k]! += a * Z[i * d + k]!;
  }
  return u;
}

/** Indices with a positive entry, increasing. */
function supportOf(x: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) out.push(i);
  return Int32Array.from(out);
}

function resolveOptions(opts: MaxMarginOptions): Required<MaxMarginOptions> {
  const o = { ...DEFAULTS, ...opts };
  if (!isMaxMarginMethod(o.method)) {
    throw new RangeError(maxMarginMessage.badOption('method', o.method, Object.keys(MAX_MARGIN_METHODS).join(' | ')));
  }
  if (!(o.dualRidge > 0 && o.dualRidge < 1)) throw new RangeError(maxMarginMessage.badOption('dualRidge', o.dualRidge, 'a number in (0, 1)'));
  if (!(Number.isInteger(o.maxPolishIterations) && o.maxPolishIterations >= 0)) {
    throw new RangeError(maxMarginMessage.badOption('maxPolishIterations', o.maxPolishIterations, 'an integer >= 0'));
  }
  if (!(o.separabilityTolerance > 0 && o.separabilityTolerance < 1)) {
    throw new RangeError(maxMarginMessage.badOption('separabilityTolerance', o.separabilityTolerance, 'a number in (0, 1)'));
  }
  return o;
}

function checkDimension(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(maxMarginMessage.badDimension(name, v));
}

function checkArray(name: string, x: Float64Array, length: number): void {
  if (x.length !== length) throw new RangeError(maxMarginMessage.wrongLength(name, length, x.length));
  for (let i = 0; i < length; i++) if (!Number.isFinite(x[i]!)) throw new RangeError(maxMarginMessage.notFinite(name, i));
}

/** Symmetric up to round-off of a dot product: |K_ij − K_ji| ≤ 1e-12 · max(|K_ij|, |K_ji|, diagonal scale). */
function checkSymmetric(K: Float64Array, n: number): void {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(K[i * n + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = K[i * n + j]!;
      const b = K[j * n + i]!;
      if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b), scale)) {
        throw new RangeError(maxMarginMessage.notSymmetric(i, j));
      }
    }
  }
}
