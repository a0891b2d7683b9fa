/**
 * Pair accuracy (docs/theory.md §2): a pair counts 1 when its margin is > 0, 0 when < 0, and ½ when it is a tie,
 * `|m| ≤ 1e-12 · scale`. docs/theory.md takes `scale` = the largest reward magnitude; callers that only have margins
 * pass the largest margin magnitude (margins are differences of rewards, so it is at most twice that).
 */
export const TIE_RELATIVE = 1e-12;

export interface Accuracy {
  /** Mean of 1 / ½ / 0 over pairs. */
  accuracy: number;
  /** Fraction of pairs that are ties (they count ½ in `accuracy`). */
  ties: number;
  /** Mean margin. */
  meanMargin: number;
}

export function accuracy(margins: ArrayLike<number>, scale: number): Accuracy {
  const tol = TIE_RELATIVE * scale;
  let score = 0;
  let ties = 0;
  let sum = 0;
  const n = margins.length;
  for (let i = 0; i < n; i++) {
    const m = margins[i]!;
    sum += m;
    if (Math.abs(m) <= tol) {
      ties++;
      score += 0.5;
    } else if (m > 0) score++;
  }
  return { accuracy: n ? score / n : NaN, ties: n ? ties / n : NaN, meanMargin: n ? sum / n : NaN };
}

/** Largest `|m|` over several margin lists: the tie scale when only margins are known. */
export function marginScale(...lists: ArrayLike<number>[]): number {
  let s = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) s = Math.max(s, Math.abs(l[i]!));
  return s;
}

/** Population standard deviation of a set's rewards. */
export function rewardStd(rewards: ArrayLike<number>): number {
  const n = rewards.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += rewards[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (rewards[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

/**
 * The paper's normalized reward margin of a set: the mean `|r(x, y⁺) − r(x, y⁻)|` over its pairs divided by the
 * standard deviation of all its rewards (both responses of every pair). It is scale-free, so the two models' margins
 * can be compared although their rewards live on different scales. 0 when every margin is 0 (then the rewards may
 * all be equal, and the ratio would be 0/0).
 */
export function normalizedMargin(margins: ArrayLike<number>, std: number): number {
  let s = 0;
  for (let i = 0; i < margins.length; i++) s += Math.abs(margins[i]!);
  if (s === 0) return 0;
  return s / margins.length / std;
}
