/**
 * The generative reward model (GRM), one of the paper's ablations: the language model is asked a fixed verification
 * question `q` ("Is this response good? Answer:") after the response, and the reward is the log-probability of "Yes",
 *
 *   r_GRM(x, y) = ln π_U(Yes | x, y, q) = <U_Yes, g(x, y)> − ln Σ_v e^{<U_v, g(x, y)>},
 *
 * with the unembedding `U ∈ R^{|V|×D}` trainable, as in the IM-RM, and `g(x, y)` the fixed representation of the
 * sequence `(x, y, q)`. In the fixed-representation setting we take `g(x, y) = h(x, y)`, the whole-sequence
 * representation: the question is the same suffix for every response, and its effect on the representation is
 * not modelled. So the GRM, like the IM-RM, outputs through the language-model head, but, like the EX-RM, it reads
 * the response only through its whole-sequence representation — which is what separates the two cues
 * (docs/theory.md, "Ablations").
 *
 * Its margins `r(y⁺) − r(y⁻)` are not linear in `U` (the log-partitions at `g(y⁺)` and `g(y⁻)` differ), so it trains
 * in parameter space. Tokens other than Yes that start from identical rows of `U₀` keep identical rows (their
 * gradient rows are equal), so they are merged into one class with a multiplicity, as for the IM-RM.
 */
import { axpy, gemmABt, gemmAtB, gemmRowsABt, sigmoidNeg, softmaxRows, softplusNeg } from '../linalg/kernels.js';
import { mergeUnusedTokens, type TokenClasses } from './imRm.js';
import type { CompiledProblem, PairSet } from './problem.js';

/** The token whose log-probability is the reward ("Yes"), when the problem does not say. */
export const DEFAULT_YES_TOKEN = 0;

export interface GenRmOptions {
  /** Token id of "Yes". @default 0 */
  yesToken?: number;
  /** Token classes to use (an evaluation set reads the train kernel's compressed parameter). */
  classes?: TokenClasses;
}

/** Margins, loss and `−∇_U L` of the GRM on one pair set, on the compressed unembedding (`classes.count × D`). */
export class GenRmPairKernel {
  readonly classes: TokenClasses;
  readonly size: number;
  readonly yesToken: number;
  /** The distinct whole-sequence rows the set's responses read. */
  readonly rows: Int32Array;
  private readonly chosenRow: Int32Array;
  private readonly rejectedRow: Int32Array;
  private readonly yesClass: number;
  private readonly logits: Float64Array;
  private readonly lse: Float64Array;
  private readonly rowWeight: Float64Array;
  /** The set's rows of `H`, packed (`rows.length × D`). */
  private readonly Hs: Float64Array;

  constructor(readonly cp: CompiledProblem, readonly set: PairSet, opts: GenRmOptions = {}) {
    const { vocabSize: V, hiddenDim: D } = cp;
    this.yesToken = opts.yesToken ?? DEFAULT_YES_TOKEN;
    if (!(Number.isInteger(this.yesToken) && this.yesToken >= 0 && this.yesToken < V)) throw new RangeError(`yesToken ${this.yesToken} is outside [0, ${V})`);
    this.classes = opts.classes ?? mergeUnusedTokens(cp.U0, V, D, [this.yesToken]);
    this.size = this.classes.count * D;
    this.yesClass = this.classes.classOf[this.yesToken]!;
    const index = new Map<number, number>();
    const local = (response: number): number => {
      const row = cp.responses.wholeRow[response]!;
      let i = index.get(row);
      if (i === undefined) index.set(row, (i = index.size));
      return i;
    };
    this.chosenRow = Int32Array.from(set.chosen, local);
    this.rejectedRow = Int32Array.from(set.rejected, local);
    this.rows = Int32Array.from(index.keys());
    this.logits = new Float64Array(this.rows.length * this.classes.count);
    this.lse = new Float64Array(this.rows.length);
    this.rowWeight = new Float64Array(this.rows.length);
    this.Hs = new Float64Array(this.rows.length * D);
    this.rows.forEach((r, i) => this.Hs.set(cp.H.subarray(r * D, (r + 1) * D), i * D));
  }

  /** `r = <U_Yes, g> − lse(U g)` at each of the set's rows; leaves the softmax in `logits`. */
  private rewardsAtRows(Ueff: Float64Array, out: Float64Array): void {
    const n = this.classes.count;
    const m = this.rows.length;
    gemmABt(this.Hs, m, Ueff, n, this.cp.hiddenDim, this.logits);
    for (let s = 0; s < m; s++) out[s] = this.logits[s * n + this.yesClass]!;
    softmaxRows(this.logits, m, n, this.classes.mult, this.lse);
    for (let s = 0; s < m; s++) out[s]! -= this.lse[s]!;
  }

  /** Margins into `margins`; with `ascent`, also `−∇_U L` (compressed, overwritten). Returns the loss `L`. */
  evaluate(Ueff: Float64Array, margins: Float64Array, ascent?: Float64Array): number {
    const rewards = new Float64Array(this.rows.length);
    this.rewardsAtRows(Ueff, rewards);
    const N = this.set.count;
    let loss = 0;
    for (let i = 0; i < N; i++) {
      margins[i] = rewards[this.chosenRow[i]!]! - rewards[this.rejectedRow[i]!]!;
      loss += softplusNeg(margins[i]!);
    }
    if (ascent) {
      // −∇L = (1/N) Σ_i σ(−m_i) [∇r(y_i⁺) − ∇r(y_i⁻)], ∇_U r = (e_Yes − p) gᵀ: per row a weight w_s, then
      // the Yes row gets Σ_s w_s g_s and every class row c gets −Σ_s w_s p_s(c) g_s.
      const D = this.cp.hiddenDim;
      this.rowWeight.fill(0);
      for (let i = 0; i < N; i++) {
        const w = sigmoidNeg(margins[i]!) / N;
        this.rowWeight[this.chosenRow[i]!]! += w;
        this.rowWeight[this.rejectedRow[i]!]! -= w;
      }
      ascent.fill(0);
      for (let s = 0; s < this.rows.length; s++) axpy(this.rowWeight[s]!, this.cp.H, this.rows[s]! * D, ascent, this.yesClass * D, D);
      for (let s = 0; s < this.rows.length; s++) this.rowWeight[s] = -this.rowWeight[s]!;
      gemmAtB(this.logits, this.rowWeight, this.rows.length, this.classes.count, this.Hs, D, ascent);
    }
    return loss / N;
  }
}

/** `ln π_U(Yes | g(x, y))` of each listed response, at a full `U` (`|V| × D`). */
export function genRewards(cp: CompiledProblem, U: Float64Array, responses: ArrayLike<number>, yesToken = DEFAULT_YES_TOKEN): Float64Array {
  const { vocabSize: V, hiddenDim: D, H } = cp;
  const rows = Int32Array.from({ length: responses.length }, (_, i) => cp.responses.wholeRow[responses[i]!]!);
  const logits = new Float64Array(rows.length * V);
  gemmRowsABt(H, rows, rows.length, U, V, D, logits);
  const out = Float64Array.from({ length: rows.length }, (_, s) => logits[s * V + yesToken]!);
  const lse = new Float64Array(rows.length);
  softmaxRows(logits, rows.length, V, new Float64Array(V).fill(1), lse);
  for (let s = 0; s < rows.length; s++) out[s]! -= lse[s]!;
  return out;
}

/** `∇_U r(x, y) = (e_Yes − p) g(x, y)ᵀ` of response `r`, a full `|V| × D` array. */
export function genRewardGradient(cp: CompiledProblem, U: Float64Array, r: number, yesToken = DEFAULT_YES_TOKEN): Float64Array {
  const { vocabSize: V, hiddenDim: D, H } = cp;
  const row = cp.responses.wholeRow[r]!;
  const p = new Float64Array(V);
  gemmRowsABt(H, Int32Array.of(row), 1, U, V, D, p);
  softmaxRows(p, 1, V, new Float64Array(V).fill(1), new Float64Array(1));
  const g = new Float64Array(V * D);
  for (let v = 0; v < V; v++) axpy((v === yesToken ? 1 : 0) - p[v]!, H, row * D, g, v * D, D);
  return g;
}
