/**
 * What a numerical check of a claim returns, and how `imrm check` aggregates checks over seeds.
 *
 * A check runs on one seeded random instance and returns measurements: a measured figure, its tolerance, and
 * which side of the tolerance passes. Over seeds the *worst* figure is kept (largest for an upper bound,
 * smallest for a lower bound). Every check also accepts a deliberately wrong variant in its options, used by
 * the tests to show that the check can fail.
 */

export interface Measurement {
  /** What was measured, e.g. "EX-RM train pairs: |kernel − observed| / max|dr/dt|". */
  name: string;
  value: number;
  tolerance: number;
  /** `upper`: passes when `value ≤ tolerance`; `lower`: passes when `value ≥ tolerance`. */
  bound: 'upper' | 'lower';
}

export interface ClaimCheck {
  /** Claim number in docs/theory.md §3, as a string ("1" … "6"). */
  claim: string;
  /** One-line statement of the claim, as the table prints it. */
  statement: string;
  /** Runs the check on the instance of one seed. */
  run(seed: number): Measurement[] | Promise<Measurement[]>;
}

export const passes = (m: Pick<Measurement, 'value' | 'tolerance' | 'bound'>): boolean =>
  m.bound === 'upper' ? m.value <= m.tolerance : m.value >= m.tolerance;

export interface CheckRow {
  claim: string;
  statement: string;
  name: string;
  /** Worst value over seeds. */
  worst: number;
  tolerance: number;
  bound: 'upper' | 'lower';
  pass: boolean;
  seeds: number;
}

/** Runs each check on seeds `0 … seeds−1` and keeps, per measurement, the worst value. */
export async function runChecks(checks: readonly ClaimCheck[], seeds: number, onProgress?: (done: number, total: number, claim: string) => void): Promise<CheckRow[]> {
  const rows = new Map<string, CheckRow>();
  const total = checks.length * seeds;
  let done = 0;
  for (const check of checks) {
    for (let seed = 0; seed < seeds; seed++) {
      for (const m of await check.run(seed)) {
        const key = `${check.claim}\u0000${m.name}`;
        const row = rows.get(key);
        const worse = (a: number, b: number) => (m.bound === 'upper' ? Math.max(a, b) : Math.min(a, b));
        // a NaN figure is a failure, and stays the worst
        const value = Number.isNaN(m.value) ? NaN : m.value;
        if (!row) rows.set(key, { claim: check.claim, statement: check.statement, name: m.name, worst: value, tolerance: m.tolerance, bound: m.bound, pass: false, seeds: 1 });
        else {
          row.worst = Number.isNaN(row.worst) || Number.isNaN(value) ? NaN : worse(row.worst, value);
          row.seeds++;
        }
      }
      onProgress?.(++done, total, check.claim);
    }
  }
  const out = [...rows.values()];
  for (const r of out) r.pass = !Number.isNaN(r.worst) && passes({ value: r.worst, tolerance: r.tolerance, bound: r.bound });
  return out;
}
