/**
 * An instance of the fixed-representation setting (docs/theory.md §1–2) and its compiled, flat form.
 *
 * `Problem` is what a user builds or a problem file describes: vocabulary, dimension, β, reference mode,
 * initial parameters, a representation, train pairs and named evaluation sets. `compileProblem` turns it into
 * `CompiledProblem`: every distinct prefix becomes a row of one `rows × D` matrix `H`, every distinct response
 * a run of token ids with the row of the prefix before each token, every pair set two arrays of response ids.
 * The models and dynamics work only on the compiled form.
 */
import type { Representation } from '../representations/representation.js';
import { prefixId } from '../representations/representation.js';

export const REFERENCE = {
  init: 'π_ref = π_{U_0}: the IM-RM reward is β ln(π_U / π_{U_0})',
  none: 'π_ref ≡ 1: the IM-RM reward is β ln π_U',
} as const;
export type Reference = keyof typeof REFERENCE;
export const isReference = (x: unknown): x is Reference => typeof x === 'string' && Object.hasOwn(REFERENCE, x);

/** A preference pair `(x, y⁺, y⁻)`; responses are non-empty token-id lists. */
export interface Pair {
  prompt: number;
  chosen: readonly number[];
  rejected: readonly number[];
}

export interface Problem {
  vocabSize: number;
  hiddenDim: number;
  /** Coefficient β > 0 of the IM-RM reward. */
  beta: number;
  reference: Reference;
  /** Initial parameters; missing means zeros. `U` is `vocabSize × hiddenDim` row-major. */
  init?: { u?: Float64Array; U?: Float64Array };
  representation: Representation;
  train: readonly Pair[];
  /** Named evaluation sets (never named `train`). */
  eval: Readonly<Record<string, readonly Pair[]>>;
}

/** Every distinct response `(prompt, y)` of a problem, flattened. Response `r` has tokens `tokens[start[r] … start[r+1])`. */
export interface Responses {
  count: number;
  prompt: Int32Array;
  start: Int32Array;
  tokens: Int32Array;
  /** Row of `h(x, y_<k)` for the token at the same position: the prefix the token is predicted from. */
  prefixRow: Int32Array;
  /** Row of the whole sequence `h(x, y)`. */
  wholeRow: Int32Array;
}

/** A named set of pairs as response ids. */
export interface PairSet {
  name: string;
  count: number;
  chosen: Int32Array;
  rejected: Int32Array;
  prompt: Int32Array;
}

export interface CompiledProblem {
  vocabSize: number;
  hiddenDim: number;
  beta: number;
  reference: Reference;
  u0: Float64Array;
  U0: Float64Array;
  /** Number of distinct prefixes, and their representations (`rowCount × hiddenDim`). */
  rowCount: number;
  H: Float64Array;
  /** The prefix each row stands for, in row order. */
  rowKeys: { prompt: number; prefix: number[] }[];
  responses: Responses;
  train: PairSet;
  eval: PairSet[];
}

/** Flattens a problem: one row per distinct prefix, one response id per distinct response. */
export function compileProblem(problem: Problem): CompiledProblem {
  const { vocabSize: V, hiddenDim: D } = problem;
  const rowOf = new Map<string, number>();
  const rowKeys: { prompt: number; prefix: number[] }[] = [];
  const hs: Float64Array[] = [];
  const row = (prompt: number, prefix: number[]): number => {
    const id = prefixId(prompt, prefix);
    let r = rowOf.get(id);
    if (r === undefined) {
      r = rowKeys.length;
      rowOf.set(id, r);
      rowKeys.push({ prompt, prefix });
      hs.push(problem.representation.hidden(prompt, prefix));
    }
    return r;
  };

  const respOf = new Map<string, number>();
  const prompts: number[] = [];
  const starts: number[] = [0];
  const toks: number[] = [];
  const prefixRows: number[] = [];
  const wholeRows: number[] = [];
  const response = (prompt: number, y: readonly number[]): number => {
    const id = prefixId(prompt, y);
    let r = respOf.get(id);
    if (r === undefined) {
      r = prompts.length;
      respOf.set(id, r);
      prompts.push(prompt);
      for (let k = 0; k < y.length; k++) {
        toks.push(y[k]!);
        prefixRows.push(row(prompt, y.slice(0, k)));
      }
      wholeRows.push(row(prompt, y.slice()));
      starts.push(toks.length);
    }
    return r;
  };
  const pairSet = (name: string, pairs: readonly Pair[]): PairSet => ({
    name,
    count: pairs.length,
    chosen: Int32Array.from(pairs, (p) => response(p.prompt, p.chosen)),
    rejected: Int32Array.from(pairs, (p) => response(p.prompt, p.rejected)),
    prompt: Int32Array.from(pairs, (p) => p.prompt),
  });

  const train = pairSet('train', problem.train);
  const evalSets = Object.entries(problem.eval).map(([name, pairs]) => pairSet(name, pairs));

  const H = new Float64Array(rowKeys.length * D);
  hs.forEach((h, r) => H.set(h, r * D));
  return {
    vocabSize: V,
    hiddenDim: D,
    beta: problem.beta,
    reference: problem.reference,
    u0: problem.init?.u ? Float64Array.from(problem.init.u) : new Float64Array(D),
    U0: problem.init?.U ? Float64Array.from(problem.init.U) : new Float64Array(V * D),
    rowCount: rowKeys.length,
    H,
    rowKeys,
    responses: {
      count: prompts.length,
      prompt: Int32Array.from(prompts),
      start: Int32Array.from(starts),
      tokens: Int32Array.from(toks),
      prefixRow: Int32Array.from(prefixRows),
      wholeRow: Int32Array.from(wholeRows),
    },
    train,
    eval: evalSets,
  };
}

/** All pair sets of a compiled problem, train first. */
export function pairSets(cp: CompiledProblem): PairSet[] {
  return [cp.train, ...cp.eval];
}
