/**
 * One probe cell end to end (docs/theory.md Claim 5): build a probe problem, train both reward models on its train set,
 * and measure train, paraphrase and overlap accuracy at the horizon. Deterministic in its options, so sweeps can
 * call it per grid point and seed, and figures can average it over seeds.
 */
import { InputError } from '../messages/index.js';
import { probeMessages as pm } from '../messages/probes.js';
import { isVariantKind, MODEL, MODEL_VARIANT, type ModelKind, type RewardModelKind, type VariantKind } from '../models/model.js';
import { compileProblem, pairSets, type Problem } from '../models/problem.js';
import { isMethod, METHOD, train, type Method } from '../dynamics/flow.js';
import { rewardsByFinalToken, setMetrics, type SetMetrics, type TokenReward } from './metrics.js';
import { buildProbeProblem, PROBE_SETS, type ProbeProblemOptions } from './probeSets.js';

/** How a cell trains. */
export interface ProbeTrainOptions {
  /** Gradient flow, gradient descent or Adam (`METHOD`). @default 'flow' */
  optimizer?: Method;
  /** Step η of `gd` and `adam` (they take `round(horizon / lr)` steps). @default 0.1 */
  lr?: number;
  /** Training time `t` at which everything is measured (gradient-flow time; steps × η for `gd`, `adam`). @default 1000 */
  horizon?: number;
  /** Relative tolerance of the flow's integrator. @default 1e-8 */
  rtol?: number;
  /** Also report the mean reward per final token of every set (needs the full trained parameters). @default false */
  tokenRewards?: boolean;
  /**
   * The paper's ablations to train and measure besides the EX-RM and the IM-RM (`MODEL_VARIANT`: `ex-mean`,
   * `im-noref`, `gen`). @default []
   */
  variants?: VariantKind[];
}

export type ProbeCellOptions = ProbeProblemOptions & ProbeTrainOptions;

/** One model on one problem at the horizon. */
export interface MeasuredModel {
  /** Train Bradley–Terry loss. */
  loss: number;
  /** Per set (train first): accuracy (ties ½), fraction of ties, mean margin, the paper's normalized margin. */
  sets: Record<string, SetMetrics>;
  /** Mean reward per final token, per set, when asked for. */
  tokenRewards?: Record<string, TokenReward[]>;
}

export interface ProbeModelResult {
  loss: number;
  train: SetMetrics;
  paraphrase: SetMetrics;
  overlap: SetMetrics;
  tokenRewards?: Record<'train' | 'paraphrase' | 'overlap', TokenReward[]>;
}

/** The EX-RM and the IM-RM always; the ablations that were asked for. */
export type Measured<T> = Record<ModelKind, T> & Partial<Record<VariantKind, T>>;

export type ProbeCellResult = Measured<ProbeModelResult>;

/** Checks the training options and fills in defaults (`InputError` naming the option). */
export function resolveTrainOptions(opts: ProbeTrainOptions): Required<ProbeTrainOptions> {
  const o = { optimizer: opts.optimizer ?? 'flow', lr: opts.lr ?? 0.1, horizon: opts.horizon ?? 1000, rtol: opts.rtol ?? 1e-8, tokenRewards: opts.tokenRewards ?? false, variants: opts.variants ?? [] };
  if (!Array.isArray(o.variants) || !o.variants.every(isVariantKind)) throw new InputError(pm.badProbeOption('variants', o.variants, `a list of ${Object.keys(MODEL_VARIANT).map((k) => `"${k}"`).join(', ')}`));
  if (!isMethod(o.optimizer)) throw new InputError(pm.badProbeOption('optimizer', o.optimizer, `one of ${Object.keys(METHOD).map((k) => `"${k}"`).join(', ')}`));
  if (!(typeof o.lr === 'number' && Number.isFinite(o.lr) && o.lr > 0)) throw new InputError(pm.badProbeOption('lr', o.lr, 'a finite number > 0'));
  if (!(typeof o.horizon === 'number' && Number.isFinite(o.horizon) && o.horizon >= 0)) throw new InputError(pm.badProbeOption('horizon', o.horizon, 'a finite time >= 0'));
  if (!(typeof o.rtol === 'number' && o.rtol > 0 && o.rtol < 1)) throw new InputError(pm.badProbeOption('rtol', o.rtol, 'a tolerance in (0, 1)'));
  return o;
}

/**
 * Trains the EX-RM and the IM-RM on any problem's train set (from `init`, default zeros) and measures every set at
 * the horizon. Works for built probes and for imported hidden states alike.
 */
export function measureProblem(problem: Problem, opts: ProbeTrainOptions = {}): Measured<MeasuredModel> {
  const o = resolveTrainOptions(opts);
  const cp = compileProblem(problem);
  const measure = (kind: RewardModelKind): MeasuredModel => {
    const traj = train(cp, kind, [o.horizon], { method: o.optimizer, lr: o.lr, rtol: o.rtol, keepParams: o.tokenRewards, rewardStats: true });
    const margins = Object.fromEntries(Object.entries(traj.margins).map(([name, pairs]) => [name, pairs.map((p) => p[0]!)]));
    const std = Object.fromEntries(Object.entries(traj.rewardStd!).map(([name, s]) => [name, s[0]!]));
    const out: MeasuredModel = { loss: traj.loss[0]!, sets: setMetrics(margins, std) };
    if (o.tokenRewards) out.tokenRewards = Object.fromEntries(pairSets(cp).map((s) => [s.name, rewardsByFinalToken(cp, s, kind, traj.params![0]!)]));
    return out;
  };
  const out: Measured<MeasuredModel> = { ex: measure('ex'), im: measure('im') };
  for (const v of o.variants) out[v] = measure(v);
  return out;
}

/**
 * Builds the probe problem of `opts` (`buildProbeProblem`), trains both models to `horizon` and returns, per model,
 * the train loss and the accuracy / ties / mean margin of the train, paraphrase and overlap sets.
 */
export function runProbeCell(opts: ProbeCellOptions): ProbeCellResult {
  const trainOpts = resolveTrainOptions(opts); // checked before the build, so a bad option costs nothing
  const { problem } = buildProbeProblem(opts);
  const measured = measureProblem(problem, trainOpts);
  const shape = (m: MeasuredModel): ProbeModelResult => ({
    loss: m.loss,
    train: m.sets.train!,
    paraphrase: m.sets[PROBE_SETS[0]]!,
    overlap: m.sets[PROBE_SETS[1]]!,
    ...(m.tokenRewards ? { tokenRewards: { train: m.tokenRewards.train!, paraphrase: m.tokenRewards.paraphrase!, overlap: m.tokenRewards.overlap! } } : {}),
  });
  const out: ProbeCellResult = { ex: shape(measured.ex), im: shape(measured.im) };
  for (const v of trainOpts.variants) out[v] = shape(measured[v]!);
  return out;
}

/**
 * A cell's result as flat named numbers, for sweep result lines: `ex.loss`, `ex.paraphrase.accuracy`,
 * `im.overlap.ties`, `gen.paraphrase.normalizedMargin`, … (measured models × {loss, train/paraphrase/overlap ×
 * accuracy/ties/meanMargin/normalizedMargin}).
 */
export function probeCellMetrics(result: ProbeCellResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of [...Object.keys(MODEL), ...Object.keys(MODEL_VARIANT)] as RewardModelKind[]) {
    const r = result[kind];
    if (!r) continue;
    out[`${kind}.loss`] = r.loss;
    for (const set of ['train', ...PROBE_SETS] as const) {
      out[`${kind}.${set}.accuracy`] = r[set].accuracy;
      out[`${kind}.${set}.ties`] = r[set].ties;
      out[`${kind}.${set}.meanMargin`] = r[set].meanMargin;
      if (r[set].normalizedMargin !== undefined) out[`${kind}.${set}.normalizedMargin`] = r[set].normalizedMargin!;
    }
  }
  return out;
}
