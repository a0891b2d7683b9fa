/**
 * The implicit reward model (IM-RM, docs/theory.md §1): `r(x, y) = β [ln π_U(y|x) − ln π_ref(y|x)]`, trainable
 * unembedding `U ∈ R^{|V|×D}` (row-major `Float64Array`), `π_ref = π_{U_0}` (`reference: 'init'`) or `≡ 1` (`'none'`).
 *
 * `ImRmPairKernel` is the hot path: margins, Bradley–Terry loss and its ascent direction `−∇_U L` for one pair
 * set, in two dense products per call (logits of the prefixes whose log-partition matters, `H_S Uᵀ`, and the
 * softmax part of the gradient, `(W∘P)ᵀ H_S`). Tokens that never occur in the set's responses and start from
 * identical rows of `U_0` stay identical for all time (their gradient rows are equal), so they are merged into
 * one class with a multiplicity: exact, and it shrinks `|V|` to the number of distinct tokens used plus one.
 */
import { axpy, dot, gemmRowsABt, gemmRowsAtB, logSumExpRowsToSoftmax, sigmoidNeg, softplusNeg } from '../linalg/kernels.js';
import { compilePairTerms, type PairTerms } from './pairTerms.js';
import type { CompiledProblem, PairSet } from './problem.js';

/** Token classes: `classOf[v]`, `mult[c]` tokens per class, `rep[c]` a member token. */
export interface TokenClasses {
  count: number;
  classOf: Int32Array;
  mult: Float64Array;
  rep: Int32Array;
}

/** Every token its own class. */
export function identityClasses(V: number): TokenClasses {
  return { count: V, classOf: Int32Array.from({ length: V }, (_, i) => i), mult: new Float64Array(V).fill(1), rep: Int32Array.from({ length: V }, (_, i) => i) };
}

/** Tokens in `used` get their own class; the others are grouped by bitwise-identical rows of `U0`. */
export function mergeUnusedTokens(U0: Float64Array, V: number, D: number, used: Iterable<number>): TokenClasses {
  const classOf = new Int32Array(V).fill(-1);
  const mult: number[] = [];
  const rep: number[] = [];
  for (const v of used) {
    if (classOf[v] === -1) {
      classOf[v] = mult.length;
      mult.push(1);
      rep.push(v);
    }
  }
  // rows are compared by their printed values: equal strings ⇔ equal rows (up to the sign of zero, which
  // changes no logit)
  const byRow = new Map<string, number>();
  for (let v = 0; v < V; v++) {
    if (classOf[v] !== -1) continue;
    const key = U0.subarray(v * D, (v + 1) * D).join(',');
    let c = byRow.get(key);
    if (c === undefined) {
      c = mult.length;
      byRow.set(key, c);
      mult.push(0);
      rep.push(v);
    }
    classOf[v] = c;
    mult[c]!++;
  }
  return { count: mult.length, classOf, mult: Float64Array.from(mult), rep: Int32Array.from(rep) };
}

/** Rows of `U` of each class's representative: the compressed parameter (`classes.count × D`). */
export function compressRows(U: Float64Array, D: number, classes: TokenClasses): Float64Array {
  const out = new Float64Array(classes.count * D);
  for (let c = 0; c < classes.count; c++) out.set(U.subarray(classes.rep[c]! * D, (classes.rep[c]! + 1) * D), c * D);
  return out;
}

/** The full `U` from a compressed one. */
export function expandRows(Ueff: Float64Array, D: number, classes: TokenClasses, V: number): Float64Array {
  const U = new Float64Array(V * D);
  for (let v = 0; v < V; v++) U.set(Ueff.subarray(classes.classOf[v]! * D, (classes.classOf[v]! + 1) * D), v * D);
  return U;
}

export interface ImRmKernelOptions {
  /** Merge tokens unused by the set that share their initial row. @default true */
  compress?: boolean;
  /**
   * Use these token classes instead of deriving them from the set — for an evaluation set, the train kernel's, so
   * that it reads the train kernel's compressed parameter directly (every token of a merged class has that class's
   * row along any training run from `U_0`). Overrides `compress`.
   */
  classes?: TokenClasses;
}

/** Margins, loss and `−∇L` of the IM-RM on one pair set, on the compressed unembedding. */
export class ImRmPairKernel {
  readonly terms: PairTerms;
  readonly classes: TokenClasses;
  /** Size of the compressed parameter, `classes.count · D`. */
  readonly size: number;
  /** Reference margins `β[ln π_ref(y⁺) − ln π_ref(y⁻)]` (zero for `reference: 'none'`). */
  readonly referenceMargins: Float64Array;
  /** True when no term needs a log-partition: every margin is linear in `U` (e.g. one-token responses). */
  readonly linear: boolean;

  private readonly termClass: Int32Array;
  private readonly logits: Float64Array;
  private readonly lseValues: Float64Array;
  private readonly termLogit: Float64Array;
  private readonly rowWeight: Float64Array;
  private readonly pairWeight: Float64Array;

  constructor(readonly cp: CompiledProblem, readonly set: PairSet, opts: ImRmKernelOptions = {}) {
    const { vocabSize: V, hiddenDim: D } = cp;
    this.terms = compilePairTerms(cp, set);
    this.classes = opts.classes ?? (opts.compress === false ? identityClasses(V) : mergeUnusedTokens(cp.U0, V, D, this.terms.token));
    this.size = this.classes.count * D;
    this.termClass = Int32Array.from(this.terms.token, (v) => this.classes.classOf[v]!);
    this.linear = this.terms.lseRows.length === 0;
    this.logits = new Float64Array(this.terms.lseRows.length * this.classes.count);
    this.lseValues = new Float64Array(this.terms.lseRows.length);
    this.termLogit = new Float64Array(this.terms.count);
    this.rowWeight = new Float64Array(this.terms.lseRows.length);
    this.pairWeight = new Float64Array(set.count);
    this.referenceMargins = new Float64Array(set.count);
    if (cp.reference === 'init') this.rawMargins(this.compress(cp.U0), this.referenceMargins);
  }

  /** The compressed form of a full `U`. */
  compress(U: Float64Array): Float64Array {
    return compressRows(U, this.cp.hiddenDim, this.classes);
  }

  /** True when every class's rows of the full `U` are bitwise equal, so `compress(U)` loses nothing. */
  respects(U: Float64Array): boolean {
    const D = this.cp.hiddenDim;
    const { classOf, rep } = this.classes;
    for (let v = 0; v < this.cp.vocabSize; v++) {
      const r = rep[classOf[v]!]!;
      if (r === v) continue;
      for (let k = 0; k < D; k++) if (!Object.is(U[v * D + k], U[r * D + k])) return false;
    }
    return true;
  }

  /** The full `U` of a compressed one. */
  expand(Ueff: Float64Array): Float64Array {
    return expandRows(Ueff, this.cp.hiddenDim, this.classes, this.cp.vocabSize);
  }

  /** `β Σ_terms sign (<U_v, h> − lse)`: the margins before the reference is subtracted. Leaves softmax in `logits`. */
  private rawMargins(Ueff: Float64Array, out: Float64Array): void {
    const D = this.cp.hiddenDim;
    const { H } = this.cp;
    const t = this.terms;
    const n = this.classes.count;
    const m = t.lseRows.length;
    if (m > 0) gemmRowsABt(H, t.lseRows, m, Ueff, n, D, this.logits);
    for (let k = 0; k < t.count; k++) {
      const l = t.lse[k]!;
      this.termLogit[k] = l >= 0 ? this.logits[l * n + this.termClass[k]!]! : dot(Ueff, this.termClass[k]! * D, H, t.row[k]! * D, D);
    }
    if (m > 0) logSumExpRowsToSoftmax(this.logits, m, n, this.classes.mult, this.lseValues);
    out.fill(0);
    const beta = this.cp.beta;
    for (let k = 0; k < t.count; k++) {
      const l = t.lse[k]!;
      const v = l >= 0 ? this.termLogit[k]! - this.lseValues[l]! : this.termLogit[k]!;
      out[t.pair[k]!]! += beta * t.sign[k]! * v;
    }
  }

  /**
   * Margins of every pair of the set into `margins`; when `ascent` is given, also `−∇_U L` of the Bradley–Terry
   * loss `L = (1/N) Σ ln(1 + e^{−m_i})` over the set (compressed, overwritten). Returns `L`.
   */
  evaluate(Ueff: Float64Array, margins: Float64Array, ascent?: Float64Array): number {
    this.rawMargins(Ueff, margins);
    const N = this.set.count;
    let loss = 0;
    for (let i = 0; i < N; i++) {
      margins[i]! -= this.referenceMargins[i]!;
      loss += softplusNeg(margins[i]!);
    }
    if (ascent) this.ascent(margins, ascent);
    return loss / N;
  }

  /** `−∇_U L = (β/N) Σ_i σ(−m_i) Σ_k ±(e_{y_k} − p_k) h_kᵀ`, the `p_k` parts only where the log-partition enters. */
  private ascent(margins: Float64Array, out: Float64Array): void {
    const D = this.cp.hiddenDim;
    const { H } = this.cp;
    const t = this.terms;
    const N = this.set.count;
    const scale = this.cp.beta / N;
    for (let i = 0; i < N; i++) this.pairWeight[i] = scale * sigmoidNeg(margins[i]!);
    out.fill(0);
    this.rowWeight.fill(0);
    for (let k = 0; k < t.count; k++) {
      const w = t.sign[k]! * this.pairWeight[t.pair[k]!]!;
      axpy(w, H, t.row[k]! * D, out, this.termClass[k]! * D, D);
      const l = t.lse[k]!;
      if (l >= 0) this.rowWeight[l]! += w;
    }
    const m = t.lseRows.length;
    if (m === 0) return;
    // the softmax part: −Σ_rows W_row p_row h_rowᵀ (the softmax is in `logits` since rawMargins)
    for (let r = 0; r < m; r++) this.rowWeight[r] = -this.rowWeight[r]!;
    gemmRowsAtB(this.logits, this.rowWeight, m, this.classes.count, H, t.lseRows, D, out);
  }
}

/** Fills `z` with the logits `U h_row` (all `|V|` tokens) and returns their log-sum-exp. */
function logitsAt(cp: CompiledProblem, U: Float64Array, row: number, z: Float64Array): number {
  const { vocabSize: V, hiddenDim: D, H } = cp;
  let mx = -Infinity;
  for (let v = 0; v < V; v++) {
    z[v] = dot(U, v * D, H, row * D, D);
    if (z[v]! > mx) mx = z[v]!;
  }
  let s = 0;
  for (let v = 0; v < V; v++) s += Math.exp(z[v]! - mx);
  return mx + Math.log(s);
}

/** `ln π_U(y|x)` of response `r` (full `U`), by log-sum-exp over the whole vocabulary at each prefix. */
export function logProb(cp: CompiledProblem, U: Float64Array, r: number): number {
  const { start, tokens, prefixRow } = cp.responses;
  const z = new Float64Array(cp.vocabSize);
  let lp = 0;
  for (let k = start[r]!; k < start[r + 1]!; k++) {
    const lse = logitsAt(cp, U, prefixRow[k]!, z);
    lp += z[tokens[k]!]! - lse;
  }
  return lp;
}

/**
 * `ln π_U(y|x)` of each listed response (full `U`): the logits of every distinct prefix the responses use in one dense
 * product `H_rows Uᵀ`, a max-shifted log-sum-exp per row, then the sum over each response's tokens.
 */
export function logProbs(cp: CompiledProblem, U: Float64Array, responses: ArrayLike<number>): Float64Array {
  const { vocabSize: V, hiddenDim: D, H } = cp;
  const { start, tokens, prefixRow } = cp.responses;
  const local = new Map<number, number>();
  for (let i = 0; i < responses.length; i++) {
    const r = responses[i]!;
    for (let k = start[r]!; k < start[r + 1]!; k++) if (!local.has(prefixRow[k]!)) local.set(prefixRow[k]!, local.size);
  }
  const rows = Int32Array.from(local.keys());
  const logits = new Float64Array(rows.length * V);
  gemmRowsABt(H, rows, rows.length, U, V, D, logits);
  const tokenLogit = (k: number) => logits[local.get(prefixRow[k]!)! * V + tokens[k]!]!;
  const out = new Float64Array(responses.length);
  for (let i = 0; i < responses.length; i++) {
    const r = responses[i]!;
    for (let k = start[r]!; k < start[r + 1]!; k++) out[i]! += tokenLogit(k);
  }
  const lse = new Float64Array(rows.length);
  logSumExpRowsToSoftmax(logits, rows.length, V, new Float64Array(V).fill(1), lse);
  for (let i = 0; i < responses.length; i++) {
    const r = responses[i]!;
    for (let k = start[r]!; k < start[r + 1]!; k++) out[i]! -= lse[local.get(prefixRow[k]!)!]!;
  }
  return out;
}

/** Reward `β [ln π_U(y|x) − ln π_ref(y|x)]` of each listed response. */
export function imRewards(cp: CompiledProblem, U: Float64Array, responses: ArrayLike<number>): Float64Array {
  const lp = logProbs(cp, U, responses);
  const ref = cp.reference === 'init' ? logProbs(cp, cp.U0, responses) : undefined;
  return Float64Array.from(lp, (x, i) => cp.beta * (x - (ref ? ref[i]! : 0)));
}

/** `∇_U r(x, y) = β Σ_k (e_{y_k} − p_k) h_kᵀ` of response `r`: a full `|V| × D` array (touches every row). */
export function imRewardGradient(cp: CompiledProblem, U: Float64Array, r: number): Float64Array {
  const { vocabSize: V, hiddenDim: D, H, beta } = cp;
  const { start, tokens, prefixRow } = cp.responses;
  const g = new Float64Array(V * D);
  const z = new Float64Array(V);
  for (let k = start[r]!; k < start[r + 1]!; k++) {
    const h = prefixRow[k]! * D;
    const lse = logitsAt(cp, U, prefixRow[k]!, z);
    for (let v = 0; v < V; v++) axpy(-beta * Math.exp(z[v]! - lse), H, h, g, v * D, D);
    axpy(beta, H, h, g, tokens[k]! * D, D);
  }
  return g;
}

/** Next-token distribution `π_U(·|x, y_<k)` at a row of `H`. */
export function nextTokenDistribution(cp: CompiledProblem, U: Float64Array, row: number): Float64Array {
  const p = new Float64Array(cp.vocabSize);
  const lse = logitsAt(cp, U, row, p);
  for (let v = 0; v < p.length; v++) p[v] = Math.exp(p[v]! - lse);
  return p;
}
