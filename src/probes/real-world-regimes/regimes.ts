/**
 * The paper's real-world regimes on the domain-shift probe family (`domainShift.ts`): where each reward model wins.
 *
 * The paper's real-world table reports, averaged over its models and data sets, EX-RM vs IM-RM accuracy
 * in-distribution 0.752 vs 0.646, under a token-level shift (paraphrased or translated responses) 0.665 vs 0.602,
 * and under a domain shift 0.621 vs 0.720 — the IM-RM wins only there — and normalized reward margins 1.014 vs
 * 0.813 in-distribution. We place the three regimes in the family's `(f, ρ)` plane, each moving one knob away from
 * in-distribution:
 *
 *   in-distribution    f = ½, ρ = 1   the training domain; half of the response tokens are ones training used
 *   token-level shift  f = 0, ρ = 1   the same meanings in other tokens (paraphrase, translation)
 *   domain shift       f = ½, ρ = 0   another domain; the shared tokens are the language both domains use
 *
 * Both models train once per seed on the family's train set (which does not depend on the points) and are measured
 * at every point at the horizon.
 */
import { normalizedMargin, rewardStd } from '../../models/accuracy.js';
import { MODEL_LABEL, modelOn, type ModelKind, type RewardModelKind } from '../../models/model.js';
import { compileProblem } from '../../models/problem.js';
import { train } from '../../dynamics/flow.js';
import { setMetrics, type SetMetrics } from '../metrics.js';
import { resolveTrainOptions, type ProbeTrainOptions } from '../probeCell.js';
import { buildDomainShiftProblem, type DomainShiftOptions, type DomainShiftPoint } from './domainShift.js';

export const REGIME = {
  'in-distribution': { sharedFraction: 0.5, rho: 1 },
  'token-level shift': { sharedFraction: 0, rho: 1 },
  'domain shift': { sharedFraction: 0.5, rho: 0 },
} as const satisfies Record<string, DomainShiftPoint>;
export type RegimeName = keyof typeof REGIME;
export const REGIME_NAMES = Object.keys(REGIME) as RegimeName[];

/** The paper's real-world table: mean accuracy of each model in each regime. */
export const PAPER_REGIME_ACCURACY: Record<RegimeName, Record<ModelKind, number>> = {
  'in-distribution': { ex: 0.752, im: 0.646 },
  'token-level shift': { ex: 0.665, im: 0.602 },
  'domain shift': { ex: 0.621, im: 0.72 },
};

/** The paper's normalized reward margins, in-distribution. */
export const PAPER_NORMALIZED_MARGIN = { ex: 1.014, im: 0.813 } as const;

/** One model at one point. */
export interface PointMetrics extends SetMetrics {
  normalizedMargin: number;
}

export interface DomainShiftRun {
  points: DomainShiftPoint[];
  /** `metrics[model][j]`: the model's metrics at `points[j]`. */
  metrics: Partial<Record<RewardModelKind, PointMetrics[]>>;
  /** Train accuracy of each model at the horizon. */
  trainAccuracy: Partial<Record<RewardModelKind, number>>;
}

/** Trains each model on the family's train set (one seed) and measures it at every point. */
export function runDomainShift(opts: DomainShiftOptions & ProbeTrainOptions, points: readonly DomainShiftPoint[], models: readonly RewardModelKind[] = ['ex', 'im']): DomainShiftRun {
  const t = resolveTrainOptions(opts);
  const { problem, setNames } = buildDomainShiftProblem(opts, points);
  const cp = compileProblem(problem);
  const trainOnly = { ...cp, eval: [] };
  const out: DomainShiftRun = { points: [...points], metrics: {}, trainAccuracy: {} };
  for (const kind of models) {
    const traj = train(trainOnly, kind, [t.horizon], { method: t.optimizer, lr: t.lr, rtol: t.rtol, keepParams: true });
    const params = traj.params![0]!;
    const model = modelOn(kind, cp);
    const trainMargins = traj.margins.train!.map((p) => p[0]!);
    out.trainAccuracy[kind] = setMetrics({ train: trainMargins }).train!.accuracy;
    out.metrics[kind] = setNames.map((name) => {
      const set = cp.eval.find((s) => s.name === name)!;
      const m = model.margins(params, set);
      const ids = Array.from({ length: set.count }, (_, i) => [set.chosen[i]!, set.rejected[i]!]).flat();
      const a = setMetrics({ train: trainMargins, [name]: m })[name]!;
      return { ...a, normalizedMargin: normalizedMargin(m, rewardStd(model.rewards(params, ids))) };
    });
  }
  return out;
}

/** Mean over seeds of each model's accuracy and normalized margin at each point. */
export interface DomainShiftSummary {
  points: DomainShiftPoint[];
  seeds: number;
  accuracy: Partial<Record<RewardModelKind, number[]>>;
  normalizedMargin: Partial<Record<RewardModelKind, number[]>>;
}

/** Runs seeds `0 … seeds−1` and averages. */
export function summarizeDomainShift(opts: Omit<DomainShiftOptions, 'seed'> & ProbeTrainOptions, points: readonly DomainShiftPoint[], seeds: number, models: readonly RewardModelKind[] = ['ex', 'im']): DomainShiftSummary {
  const sum: DomainShiftSummary = { points: [...points], seeds, accuracy: {}, normalizedMargin: {} };
  for (const kind of models) {
    sum.accuracy[kind] = new Array<number>(points.length).fill(0);
    sum.normalizedMargin[kind] = new Array<number>(points.length).fill(0);
  }
  for (let seed = 0; seed < seeds; seed++) {
    const run = runDomainShift({ ...opts, seed } as DomainShiftOptions & ProbeTrainOptions, points, models);
    for (const kind of models) {
      run.metrics[kind]!.forEach((m, j) => {
        sum.accuracy[kind]![j]! += m.accuracy / seeds;
        sum.normalizedMargin[kind]![j]! += m.normalizedMargin / seeds;
      });
    }
  }
  return sum;
}

/** The built-in instance of the regimes (`imrm paper`, the figures): sizes and training. */
export const REGIME_DEFAULTS = { horizon: 1000, seeds: 10 } as const;

/** Display label of a model in regime tables and figures. */
export const regimeModelLabel = (kind: ModelKind): string => MODEL_LABEL[kind];
