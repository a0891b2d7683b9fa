/**
 * The implicit reward model (IM-RM, docs/theory.md §1): `r(x, y) = β [ln π_U(y|x) − ln π_ref(y|x)]`, trainable
 * unembedding `U ∈ R^{|V|×D}` (row-major `Float64Array`), `π_ref = π_{U_0}` (`reference: 'init'`) or `≡ 1` (`'none'`).
 *
 * `ImRmPairKernel` is the hot path: margins, Bradley–Terry loss and its ascent direction `−∇_U L` for one pair
 * set, in two dense products per call (logits of the prefixes whose log-partition matters, `U H_Sᵀ`, and the
 * softmax part of the gradient, `P (diag(w) H_S)`), both in the class-major layout (a row per token class, a column
 * per prefix), so that both run as `A Bᵀ` products with the vocabulary-long operand read once. Two exact
 * compressions shrink them:
 * - tokens that never occur in the set's responses and start from identical rows of `U_0` stay identical for all
 *   time (their gradient rows are equal), so they are merged into one class with a multiplicity: `|V|` shrinks to
 *   the number of distinct tokens used plus one;
 * - every gradient row lies in the span of the train prefixes' representations, so `U − U_0 = W Q` with `Q` an
 *   orthonormal basis of that span (`r ≤ min(#prefixes, D)` rows): the flow integrates `W` (`r` instead of `D`
 *   columns) and the logits are `H U_0ᵀ` (once) plus `(H Qᵀ) Wᵀ`.
 */
import { axpy, dot, gemmABt, gemmRowsABt, kernelArray, releaseKernelArray, sigmoidNeg, softmaxColumns, softmaxRows, softplusNeg } from '../linalg/kernels.js';
import { orthonormalRowBasis, type RowBasis } from '../linalg/orthonormal.js';
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
  // rows are bucketed by a hash of their bits and compared with ===, so −0 and +0 count as equal (the sign of zero
  // changes no logit); a string key per row cost minutes at |V| = 50257, D = 768
  const byHash = new Map<number, number[]>();
  const word = new Float64Array(1);
  const words = new Uint32Array(word.buffer);
  for (let v = 0; v < V; v++) {
    if (classOf[v] !== -1) continue;
    const o = v * D;
    let h = 0x811c9dc5;
    for (let k = 0; k < D; k++) {
      word[0] = U0[o + k]! === 0 ? 0 : U0[o + k]!;
      h = Math.imul(h ^ words[0]!, 0x01000193);
      h = Math.imul(h ^ words[1]!, 0x01000193);
    }
    const bucket = byHash.get(h) ?? [];
    if (bucket.length === 0) byHash.set(h, bucket);
    let c = bucket.find((cc) => {
      const r = rep[cc]! * D;
      for (let k = 0; k < D; k++) if (U0[r + k] !== U0[o + k]) return false;
      return true;
    });
    if (c === undefined) {
      c = mult.length;
      bucket.push(c);
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
   * Span compression: integrate `W` with `U = U_0 + W Q`, `Q` an orthonormal basis of the span of the set's prefix
   * representations (exact: every gradient row lies in that span). Used only where it pays: fewer distinct prefixes
   * than dimensions and than token classes. @default the value of `compress`
   */
  span?: boolean;
  /**
   * Use these token classes instead of deriving them from the set — for an evaluation set, the train kernel's, so
   * that it reads the train kernel's compressed parameter directly (every token of a merged class has that class's
   * row along any training run from `U_0`). Overrides `compress`.
   */
  classes?: TokenClasses;
  /** Use this span basis (`null`: none) instead of deriving one — for an evaluation set, the train kernel's. */
  basis?: RowBasis | null;
}

/**
 * Margins, loss and `−∇L` of the IM-RM on one pair set, on the compressed unembedding: one row per token class, and,
 * with a span basis `Q` (`r × D`), `r` coordinates per row instead of `D` (`θ = W`, `U = U_0 + W Q`). Then the logits
 * are `H_S U_0ᵀ` (computed once) `+ (H_S Qᵀ) Wᵀ`, and every prefix — train or evaluation — enters through its
 * projection `Q h`: `<U_v, h> = <U_0,v, h> + <W_v, Q h>` exactly.
 */
export class ImRmPairKernel {
  readonly terms: PairTerms;
  readonly classes: TokenClasses;
  /** The span basis, or `null` when the parameter is the class rows of `U` themselves. */
  readonly basis: RowBasis | null;
  /** Coordinates per class row: `basis.r`, or `D`. */
  readonly width: number;
  /** Size of the compressed parameter, `classes.count · width`. */
  readonly size: number;
  /** Reference margins `β[ln π_ref(y⁺) − ln π_ref(y⁻)]` (zero for `reference: 'none'`). */
  readonly referenceMargins: Float64Array;
  /** True when no term needs a log-partition: every margin is linear in `U` (e.g. one-token responses). */
  readonly linear: boolean;

  private readonly termClass: Int32Array;
  /** The distinct prefixes of the terms, projected (`Q h`, or `h`): `· × width`; term `k` uses row `termRow[k]`. */
  private readonly rowRep: Float64Array;
  private readonly termRow: Int32Array;
  /** `<U_0,class, h>` of each term with the span basis (else zeros). */
  private readonly termBase: Float64Array;
  /** The prefixes whose log-partition enters, projected and packed: `m × width`. */
  private readonly lseRep: Float64Array;
  /** The same transposed (`width × m`), and scaled by the row weights per call (`scaledRep`). */
  private readonly lseRepT: Float64Array;
  private readonly scaledRep: Float64Array;
  /** `U_0 H_Sᵀ` over the token classes (`classes × m`), or `null` without a span basis. */
  private readonly lseBase: Float64Array | null;
  /**
   * Logits, then their exponentials (times `colScale`: the softmax), class-major: `classes × m` (entry `[c, l]` is
   * token class `c` at prefix `l`).
   */
  private readonly logits: Float64Array;
  private readonly lseValues: Float64Array;
  /** Per prefix, the factor that turns the exponentials left in `logits` into the softmax. */
  private readonly colScale: Float64Array;
  private readonly termLogit: Float64Array;
  private readonly rowWeight: Float64Array;
  private readonly pairWeight: Float64Array;

  constructor(readonly cp: CompiledProblem, readonly set: PairSet, opts: ImRmKernelOptions = {}) {
    const { vocabSize: V, hiddenDim: D, H } = cp;
    const t = (this.terms = compilePairTerms(cp, set));
    const compress = opts.compress ?? true;
    this.classes = opts.classes ?? (compress ? mergeUnusedTokens(cp.U0, V, D, t.token) : identityClasses(V));
    const rowOf = new Map<number, number>();
    this.termRow = Int32Array.from(t.row, (r) => rowOf.get(r) ?? (rowOf.set(r, rowOf.size), rowOf.size - 1));
    const rows = [...rowOf.keys()];
    if (opts.basis !== undefined) this.basis = opts.basis;
    else {
      // only where it pays: fewer distinct prefixes than dimensions (so r < D) and than token classes (the basis costs
      // O(rows²·D) once; each right-hand side saves O(rows·classes·(D − r)))
      const b = (opts.span ?? compress) && rows.length < D && rows.length < this.classes.count ? orthonormalRowBasis(H, rows, D) : null;
      this.basis = b && b.r < D ? b : null;
    }
    const w = (this.width = this.basis ? this.basis.r : D);
    const n = this.classes.count;
    const m = t.lseRows.length;
    this.size = n * w;
    this.termClass = Int32Array.from(t.token, (v) => this.classes.classOf[v]!);
    this.linear = m === 0;
    this.rowRep = new Float64Array(rows.length * w);
    rows.forEach((r, i) => this.project(r, this.rowRep, i));
    this.termBase = new Float64Array(t.count);
    this.lseRep = kernelArray(m * w);
    for (let l = 0; l < m; l++) this.project(t.lseRows[l]!, this.lseRep, l);
    this.lseRepT = new Float64Array(m * w);
    for (let l = 0; l < m; l++) for (let k = 0; k < w; k++) this.lseRepT[k * m + l] = this.lseRep[l * w + k]!;
    this.scaledRep = kernelArray(m * w);
    this.lseBase = null;
    if (this.basis) {
      // logits and term logits at U_0, once; U_0's class rows are the representatives' rows
      const U0 = compressedRows(cp.U0, D, this.classes);
      for (let k = 0; k < t.count; k++) this.termBase[k] = dot(U0, this.termClass[k]! * D, H, t.row[k]! * D, D);
      if (m > 0) {
        const packed = kernelArray(m * D);
        for (let l = 0; l < m; l++) packed.set(H.subarray(t.lseRows[l]! * D, (t.lseRows[l]! + 1) * D), l * D);
        this.lseBase = kernelArray(n * m);
        gemmABt(U0, n, packed, m, D, this.lseBase);
        releaseKernelArray(packed);
      }
    }
    this.logits = kernelArray(n * m);
    this.lseValues = kernelArray(m);
    this.colScale = kernelArray(m);
    this.termLogit = new Float64Array(t.count);
    this.rowWeight = kernelArray(m);
    this.pairWeight = new Float64Array(set.count);
    this.referenceMargins = new Float64Array(set.count);
    if (cp.reference === 'init') this.rawMargins(this.initial(), this.referenceMargins);
  }

  /** `out[k·width …]` = prefix `row`'s representation in the parameter's coordinates (`Q h`, or `h`). */
  private project(row: number, out: Float64Array, k: number): void {
    const D = this.cp.hiddenDim;
    const h = row * D;
    if (!this.basis) return void out.set(this.cp.H.subarray(h, h + D), k * D);
    const { r, Q } = this.basis;
    for (let c = 0; c < r; c++) out[k * r + c] = dot(Q, c * D, this.cp.H, h, D);
  }

  /** The compressed parameter at `U_0` (zeros with a span basis). */
  initial(): Float64Array {
    return this.basis ? new Float64Array(this.size) : this.compress(this.cp.U0);
  }

  /**
   * The compressed form of a full `U`: its class rows, minus `U_0`'s and projected onto the basis when there is one
   * (exact for every `U` a training run from `U_0` reaches; see `respects`).
   */
  compress(U: Float64Array): Float64Array {
    const D = this.cp.hiddenDim;
    const rows = compressRows(U, D, this.classes);
    if (!this.basis) return rows;
    const { r, Q } = this.basis;
    const n = this.classes.count;
    const W = new Float64Array(n * r);
    for (let c = 0; c < n; c++) {
      const u0 = this.classes.rep[c]! * D;
      for (let k = 0; k < D; k++) rows[c * D + k]! -= this.cp.U0[u0 + k]!;
      for (let j = 0; j < r; j++) W[c * r + j] = dot(rows, c * D, Q, j * D, D);
    }
    return W;
  }

  /** True when every class's rows of the full `U` are bitwise equal, so `compress(U)` loses no token. */
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
  expand(theta: Float64Array): Float64Array {
    const D = this.cp.hiddenDim;
    if (!this.basis) return expandRows(theta, D, this.classes, this.cp.vocabSize);
    // per class: U_c = U₀[rep_c] + W_c Q, one dense product (Q transposed, D × r), then each token takes its class's row
    const { r, Q } = this.basis;
    const C = this.classes.count;
    const V = this.cp.vocabSize;
    const QT = new Float64Array(D * r);
    for (let j = 0; j < r; j++) for (let k = 0; k < D; k++) QT[k * r + j] = Q[j * D + k]!;
    if (C === V) {
      // every token its own class (in the order the classes were made): W's rows put in token order (|V| × r, small),
      // then U = U₀ + W Q straight into token order — no |V| × D copies of U₀'s or U's rows
      const Wtok = new Float64Array(V * r);
      for (let v = 0; v < V; v++) Wtok.set(theta.subarray(this.classes.classOf[v]! * r, (this.classes.classOf[v]! + 1) * r), v * r);
      const U = new Float64Array(V * D);
      gemmABt(Wtok, V, QT, D, r, U, this.cp.U0);
      return U;
    }
    const Ueff = new Float64Array(C * D);
    gemmABt(theta, C, QT, D, r, Ueff, compressRows(this.cp.U0, D, this.classes));
    return expandRows(Ueff, D, this.classes, V);
  }

  /**
   * `β Σ_terms sign (<U_v, h> − lse)`: the margins before the reference is subtracted. Leaves the softmax in
   * `logits` (up to the per-prefix factors `colScale`).
   */
  private rawMargins(th: Float64Array, out: Float64Array): void {
    const w = this.width;
    const t = this.terms;
    const n = this.classes.count;
    const m = t.lseRows.length;
    if (m > 0) gemmABt(th, n, this.lseRep, m, w, this.logits, this.lseBase);
    for (let k = 0; k < t.count; k++) {
      const l = t.lse[k]!;
      this.termLogit[k] = l >= 0 ? this.logits[this.termClass[k]! * m + l]! : this.termBase[k]! + dot(th, this.termClass[k]! * w, this.rowRep, this.termRow[k]! * w, w);
    }
    if (m > 0) softmaxColumns(this.logits, m, n, this.classes.mult, this.lseValues, this.colScale);
    out.fill(0);
    const beta = this.cp.beta;
    for (let k = 0; k < t.count; k++) {
      const l = t.lse[k]!;
      const v = l >= 0 ? this.termLogit[k]! - this.lseValues[l]! : this.termLogit[k]!;
      out[t.pair[k]!]! += beta * t.sign[k]! * v;
    }
  }

  /**
   * Margins of every pair of the set into `margins`; when `ascent` is given, also `−∇L` (with respect to the
   * compressed parameter) of the Bradley–Terry loss `L = (1/N) Σ ln(1 + e^{−m_i})` over the set (overwritten).
   * Returns `L`.
   */
  evaluate(theta: Float64Array, margins: Float64Array, ascent?: Float64Array): number {
    this.rawMargins(theta, margins);
    const N = this.set.count;
    let loss = 0;
    for (let i = 0; i < N; i++) {
      margins[i]! -= this.referenceMargins[i]!;
      loss += softplusNeg(margins[i]!);
    }
    if (ascent) this.ascent(margins, ascent);
    return loss / N;
  }

  /** `−∇L = (β/N) Σ_i σ(−m_i) Σ_k ±(e_{y_k} − p_k) (Q h_k)ᵀ`, the `p_k` parts only where the log-partition enters. */
  private ascent(margins: Float64Array, out: Float64Array): void {
    const w = this.width;
    const t = this.terms;
    const N = this.set.count;
    const scale = this.cp.beta / N;
    for (let i = 0; i < N; i++) this.pairWeight[i] = scale * sigmoidNeg(margins[i]!);
    this.rowWeight.fill(0);
    for (let k = 0; k < t.count; k++) {
      const l = t.lse[k]!;
      if (l >= 0) this.rowWeight[l]! -= t.sign[k]! * this.pairWeight[t.pair[k]!]!;
    }
    const m = t.lseRows.length;
    if (m > 0) {
      // the softmax part, −Σ_rows W_row p_row (Q h_row)ᵀ = P · (diag(W) H_S), with P = E·diag(colScale) (E: the
      // exponentials left in `logits` by rawMargins, classes × m), as `E · Sᵀ` with S = (diag(W ∘ colScale) H_S)ᵀ
      // (width × m); it overwrites `out`
      const S = this.scaledRep;
      for (let l = 0; l < m; l++) this.rowWeight[l]! *= this.colScale[l]!;
      for (let k = 0; k < w; k++) for (let l = 0; l < m; l++) S[k * m + l] = this.lseRepT[k * m + l]! * this.rowWeight[l]!;
      gemmABt(this.logits, this.classes.count, S, w, m, out, null, 'gradient');
    } else out.fill(0);
    for (let k = 0; k < t.count; k++) {
      const c = t.sign[k]! * this.pairWeight[t.pair[k]!]!;
      axpy(c, this.rowRep, this.termRow[k]! * w, out, this.termClass[k]! * w, w);
    }
  }
}

/** `U`'s class rows: `U` itself when every token is its own class (no copy), else `compressRows`. */
function compressedRows(U: Float64Array, D: number, classes: TokenClasses): Float64Array {
  return classes.count === U.length / D && classes.rep.every((r, c) => r === c) ? U : compressRows(U, D, classes);
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
  softmaxRows(logits, rows.length, V, new Float64Array(V).fill(1), lse);
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
