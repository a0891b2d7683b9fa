/**
 * What a probe reports per evaluation set (docs/theory.md §2, Claim 5): pair accuracy with ties counted ½ and reported
 * apart, the mean margin, and the mean reward of the responses ending in each answer (final) token.
 */
import { accuracy, marginScale, normalizedMargin, type Accuracy } from '../models/accuracy.js';
import { modelOn, type RewardModelKind } from '../models/model.js';
import type { CompiledProblem, PairSet } from '../models/problem.js';

/** A set's accuracy, ties, mean margin and — when the reward spread is known — the paper's normalized margin. */
export type SetMetrics = Accuracy & { normalizedMargin?: number };

/**
 * Accuracy, ties and mean margin of every set from its margins. Ties are judged on one scale for all sets, the
 * largest `|margin|` over all of them (as `imrm flow` does), so a set whose margins are all exactly 0 is all ties.
 * With `rewardStd` (the standard deviation of each set's rewards), also the normalized margin.
 */
export function setMetrics(margins: Readonly<Record<string, ArrayLike<number>>>, rewardStd?: Readonly<Record<string, number>>): Record<string, SetMetrics> {
  const scale = marginScale(...Object.values(margins));
  return Object.fromEntries(
    Object.entries(margins).map(([name, m]) => {
      const a: SetMetrics = accuracy(m, scale);
      const std = rewardStd?.[name];
      if (std !== undefined) a.normalizedMargin = normalizedMargin(m, std);
      return [name, a];
    }),
  );
}

/** Mean reward of the distinct responses of a set that end in one token. */
export interface TokenReward {
  /** The final (answer) token. */
  token: number;
  /** Distinct responses `(prompt, y)` of the set ending in it. */
  responses: number;
  /** How many of them occur (first) as a pair's chosen response; the rest as a rejected one. */
  chosen: number;
  /** Mean of `r(x, y)` over those responses. */
  meanReward: number;
}

/**
 * Mean reward per final token over a set's distinct responses (so over prompts), for one model at its trained
 * parameter: `u` for the EX-RMs, the full `U` (`|V| × D`) for the IM-RMs and the GRM. Sorted by token.
 */
export function rewardsByFinalToken(cp: CompiledProblem, set: PairSet, model: RewardModelKind, params: Float64Array): TokenReward[] {
  const ids: number[] = [];
  const isChosen = new Map<number, boolean>();
  for (let i = 0; i < set.count; i++) {
    for (const [r, chosen] of [[set.chosen[i]!, true], [set.rejected[i]!, false]] as const) {
      if (isChosen.has(r)) continue;
      isChosen.set(r, chosen);
      ids.push(r);
    }
  }
  const rewards = modelOn(model, cp).rewards(params, ids);
  const byToken = new Map<number, { responses: number; chosen: number; sum: number }>();
  const { start, tokens } = cp.responses;
  ids.forEach((r, k) => {
    const v = tokens[start[r + 1]! - 1]!;
    const acc = byToken.get(v) ?? { responses: 0, chosen: 0, sum: 0 };
    acc.responses++;
    if (isChosen.get(r)) acc.chosen++;
    acc.sum += rewards[k]!;
    byToken.set(v, acc);
  });
  return [...byToken.entries()]
    .sort(([a], [b]) => a - b)
    .map(([token, a]) => ({ token, responses: a.responses, chosen: a.chosen, meanReward: a.sum / a.responses }));
}
