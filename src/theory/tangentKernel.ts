/**
 * The tangent kernels of docs/theory.md Claim 1, `Θ(a, b) = <∇r(a), ∇r(b)>` between two responses, and the IM-RM's
 * token factor τ (Claims 1–2):
 *
 *   Θ_EX(a, b) = <h(a), h(b)>                                         (whole-sequence representations)
 *   Θ_IM(a, b) = β² Σ_{k ≤ |a|} Σ_{l ≤ |b|} τ(a_k, p̄_k; b_l, p_l) <h̄_k, h_l>
 *   τ(a, p̄; b, p) = <e_a − p̄, e_b − p> = 1[a = b] − p̄(b) − p(a) + <p̄, p>
 *
 * with `p̄_k = π_U(·|x̄, ȳ_<k)`, `h̄_k = h(x̄, ȳ_<k)` (and the same without bars for `b`). Responses are the compiled
 * problem's response ids; each token's prefix is its `prefixRow`. Written from the formulas, not from the models'
 * gradient code, so that comparing the two is a check.
 */
import { dot } from '../linalg/kernels.js';
import { nextTokenDistribution } from '../models/imRm.js';
import type { ModelKind } from '../models/model.js';
import type { CompiledProblem } from '../models/problem.js';

export const TOKEN_FACTOR = {
  exact: 'τ = <e_a − p̄, e_b − p> = 1[a=b] − p̄(b) − p(a) + <p̄, p>',
  identity: 'τ = 1[a=b]: the −p terms dropped (deliberately wrong; used to show the checks can fail)',
} as const;
export type TokenFactorVariant = keyof typeof TOKEN_FACTOR;
export const isTokenFactorVariant = (x: unknown): x is TokenFactorVariant => typeof x === 'string' && Object.hasOwn(TOKEN_FACTOR, x);

/**
 * `τ(a, p̄; b, p)`; `p̄`, `p` are next-token distributions over the whole vocabulary. `overlap` is `<p̄, p>` when the
 * caller already has it (it is the only `O(|V|)` part).
 */
export function tokenFactor(a: number, pbar: Float64Array, b: number, p: Float64Array, variant: TokenFactorVariant = 'exact', overlap?: number): number {
  const same = a === b ? 1 : 0;
  if (variant === 'identity') return same;
  return same - pbar[b]! - p[a]! + (overlap ?? dot(pbar, 0, p, 0, pbar.length));
}

/** `Θ(a, b)` between responses `a` and `b` (ids of `cp.responses`). */
export type TangentKernel = (a: number, b: number) => number;

export interface TangentKernelOptions {
  /** Which token factor the IM-RM kernel uses. @default 'exact' */
  variant?: TokenFactorVariant;
}

/** `Θ_EX(a, b) = <h(a), h(b)>`. */
export function exTangentKernel(cp: CompiledProblem): TangentKernel {
  const { H, hiddenDim: D } = cp;
  const { wholeRow } = cp.responses;
  return (a, b) => dot(H, wholeRow[a]! * D, H, wholeRow[b]! * D, D);
}

/**
 * `Θ_IM(a, b)` at the unembedding `U` (full, `|V| × D`). Next-token distributions, their overlaps `<p̄_k, p_l>` and
 * the prefix similarities `<h̄_k, h_l>` are computed once per prefix row (pair of rows) and cached.
 */
export function imTangentKernel(cp: CompiledProblem, U: Float64Array, opts: TangentKernelOptions = {}): TangentKernel {
  const variant = opts.variant ?? 'exact';
  const { H, hiddenDim: D, rowCount, beta } = cp;
  const { start, tokens, prefixRow } = cp.responses;
  const dists = new Map<number, Float64Array>();
  const dist = (row: number): Float64Array => {
    let p = dists.get(row);
    if (!p) dists.set(row, (p = nextTokenDistribution(cp, U, row)));
    return p;
  };
  const overlaps = new Map<number, number>();
  const overlap = (r: number, s: number): number => {
    const key = Math.min(r, s) * rowCount + Math.max(r, s);
    let o = overlaps.get(key);
    if (o === undefined) overlaps.set(key, (o = dot(dist(r), 0, dist(s), 0, cp.vocabSize)));
    return o;
  };
  return (a, b) => {
    let s = 0;
    for (let k = start[a]!; k < start[a + 1]!; k++) {
      const ak = tokens[k]!;
      const rk = prefixRow[k]!;
      for (let l = start[b]!; l < start[b + 1]!; l++) {
        const bl = tokens[l]!;
        const rl = prefixRow[l]!;
        const tau = variant === 'identity' ? (ak === bl ? 1 : 0) : tokenFactor(ak, dist(rk), bl, dist(rl), variant, overlap(rk, rl));
        s += tau * dot(H, rk * D, H, rl * D, D);
      }
    }
    return beta * beta * s;
  };
}

/** The tangent kernel of either model at its full parameter (`u`, or `U` as `|V| × D`). */
export function tangentKernel(kind: ModelKind, cp: CompiledProblem, theta: Float64Array, opts: TangentKernelOptions = {}): TangentKernel {
  return kind === 'ex' ? exTangentKernel(cp) : imTangentKernel(cp, theta, opts);
}

/** `softmax(z)` by log-sum-exp (max-shifted), for distributions built outside a compiled problem. */
export function softmax(z: ArrayLike<number>): Float64Array {
  let mx = -Infinity;
  for (let i = 0; i < z.length; i++) mx = Math.max(mx, z[i]!);
  const p = Float64Array.from({ length: z.length }, (_, i) => Math.exp(z[i]! - mx));
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]!;
  for (let i = 0; i < p.length; i++) p[i]! /= s;
  return p;
}
