/**
 * The log-probability terms that make up the IM-RM margins of a pair set, with what cancels exactly inside a
 * pair left out.
 *
 * `m = β [ln π(y⁺|x) − ln π(y⁻|x)] − (same at the reference)`, and `ln π(y|x) = Σ_k (<U_{y_k}, h_k> − lse_k)`.
 * The two responses of a pair share the prompt, so they share every prefix up to their first differing token:
 * identical positions before it cancel and are dropped; at it, both tokens are predicted from the same prefix,
 * so its log-partition `lse` cancels and is dropped too. Dropping them (rather than computing and subtracting)
 * makes the cancellation exact in floating point — what makes docs/theory.md Claim 3's zero margins exactly zero —
 * and spares the `|V|`-wide softmax for those prefixes.
 */
import type { CompiledProblem, PairSet } from './problem.js';

export interface PairTerms {
  /** Number of pairs. */
  pairs: number;
  /** Number of terms. Term `t` adds `sign[t] · β (<U_{token[t]}, h_{row[t]}> − lse_{row[t]})` to pair `pair[t]`'s margin. */
  count: number;
  pair: Int32Array;
  sign: Float64Array;
  row: Int32Array;
  token: Int32Array;
  /** Index into `lseRows` of the term's log-partition, or −1 where it cancels inside the pair. */
  lse: Int32Array;
  /** The distinct rows whose log-partition enters some margin. */
  lseRows: Int32Array;
}

export function compilePairTerms(cp: CompiledProblem, set: PairSet): PairTerms {
  const { start, tokens, prefixRow } = cp.responses;
  const pair: number[] = [];
  const sign: number[] = [];
  const row: number[] = [];
  const token: number[] = [];
  const lse: number[] = [];
  const lseIndex = new Map<number, number>();
  const lseOf = (r: number): number => {
    let i = lseIndex.get(r);
    if (i === undefined) lseIndex.set(r, (i = lseIndex.size));
    return i;
  };
  const push = (i: number, s: number, r: number, v: number, l: number): void => {
    pair.push(i);
    sign.push(s);
    row.push(r);
    token.push(v);
    lse.push(l);
  };
  for (let i = 0; i < set.count; i++) {
    const c = set.chosen[i]!;
    const r = set.rejected[i]!;
    const c0 = start[c]!;
    const r0 = start[r]!;
    const lc = start[c + 1]! - c0;
    const lr = start[r + 1]! - r0;
    let j = 0;
    while (j < lc && j < lr && tokens[c0 + j] === tokens[r0 + j]) j++;
    if (j < lc && j < lr) {
      // first difference: same prefix row, different tokens; the log-partition cancels
      push(i, 1, prefixRow[c0 + j]!, tokens[c0 + j]!, -1);
      push(i, -1, prefixRow[r0 + j]!, tokens[r0 + j]!, -1);
      j++;
    }
    for (let k = j; k < lc; k++) push(i, 1, prefixRow[c0 + k]!, tokens[c0 + k]!, lseOf(prefixRow[c0 + k]!));
    for (let k = j; k < lr; k++) push(i, -1, prefixRow[r0 + k]!, tokens[r0 + k]!, lseOf(prefixRow[r0 + k]!));
  }
  return {
    pairs: set.count,
    count: pair.length,
    pair: Int32Array.from(pair),
    sign: Float64Array.from(sign),
    row: Int32Array.from(row),
    token: Int32Array.from(token),
    lse: Int32Array.from(lse),
    lseRows: Int32Array.from(lseIndex.keys()),
  };
}
