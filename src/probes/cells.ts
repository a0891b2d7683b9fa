/**
 * The sweep cells of the toolkit (see `sweep/registry.ts`): `imrm sweep` hands this module's URL to its workers,
 * which import it to register them.
 *
 * - `probe`: one probe cell (`runProbeCell`), both models; results `ex.paraphrase.accuracy`, `im.overlap.ties`, …
 *   (`probeCellMetrics`). Parameters (`PROBE_CELL_PARAMS`, every one but `kind` optional with the defaults of
 *   `ProbeCellOptions`): `kind` ('one-token' | 'multi-token'), `rho` ∈ [−1, 1], `sharedFraction` ∈ [0, 1], `vocab`,
 *   `dim` ≥ 2, `pairs`, `length` ≥ 2, `contextNoise` ≥ 0, `tokensPerLabel`, `beta` > 0, `reference` ('init' |
 *   'none'), `optimizer` ('flow' | 'gd' | 'adam'), `lr` > 0, `horizon` ≥ 0, `rtol` ∈ (0, 1), `variants` (a list of the
 *   paper's ablations to measure too: 'ex-mean', 'im-noref', 'gen'; results `gen.paraphrase.accuracy`, …). The sweep runner checks
 *   every grid point against this schema before any worker starts: an unknown name (with the closest known one), a
 *   value of the wrong type or range, or a combination the probe builder refuses (too small a vocabulary, gd/adam
 *   needing more than `MAX_CELL_STEPS` steps) is an input error naming its place in the sweep file.
 */
import { z } from 'zod';
import { InputError } from '../messages/index.js';
import { METHOD } from '../dynamics/flow.js';
import { MODEL_VARIANT } from '../models/model.js';
import { REFERENCE } from '../models/problem.js';
import { registerCell } from '../sweep/registry.js';
import { probeCellMetrics, resolveTrainOptions, runProbeCell, type ProbeCellOptions } from './probeCell.js';
import { PROBE_KIND, resolveProbeOptions } from './probeSets.js';

/** Most optimizer steps (`round(horizon / lr)`) one gd or adam cell may take, as `imrm flow --max-steps`' default. */
export const MAX_CELL_STEPS = 1_000_000;

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const finite = () => z.number().refine(Number.isFinite, 'expected a finite number');

/** The parameters of a `probe` cell (the fixed and grid entries of a sweep file, merged). */
export const PROBE_CELL_PARAMS = z
  .strictObject({
    kind: z.enum(keys(PROBE_KIND)),
    rho: z.number().min(-1).max(1).optional(),
    sharedFraction: z.number().min(0).max(1).optional(),
    vocab: z.int().min(1).optional(),
    dim: z.int().min(2).optional(),
    pairs: z.int().min(1).optional(),
    length: z.int().min(2).optional(),
    contextNoise: finite().min(0).optional(),
    tokensPerLabel: z.int().min(1).optional(),
    beta: finite().positive().optional(),
    reference: z.enum(keys(REFERENCE)).optional(),
    optimizer: z.enum(keys(METHOD)).optional(),
    lr: finite().positive().optional(),
    horizon: finite().min(0).optional(),
    rtol: z.number().positive().lt(1).optional(),
    variants: z.array(z.enum(keys(MODEL_VARIANT))).optional(),
  })
  .superRefine((params, ctx) => {
    // The probe builder's own checks (e.g. a vocabulary too small for the train tokens and their stand-ins), run
    // here so they fail before any worker starts.
    try {
      resolveProbeOptions({ ...params, seed: 0 });
      const train = resolveTrainOptions(params);
      const steps = Math.round(train.horizon / train.lr);
      if (train.optimizer !== 'flow' && steps > MAX_CELL_STEPS) {
        ctx.addIssue({ code: 'custom', path: ['lr'], message: `${train.optimizer} would take round(horizon / lr) = ${steps} steps, more than ${MAX_CELL_STEPS}` });
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      ctx.addIssue({ code: 'custom', path: [], message: error.message });
    }
  });

registerCell('probe', {
  paramsSchema: PROBE_CELL_PARAMS,
  run: (params, seed) => probeCellMetrics(runProbeCell({ ...params, seed } as ProbeCellOptions)),
});
