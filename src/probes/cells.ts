/**
 * The sweep cells of the toolkit (see `sweep/registry.ts`): `imrm sweep` hands this module's URL to its workers,
 * which import it to register them.
 *
 * - `probe`: one probe cell (`runProbeCell`): parameters `kind` ('one-token' | 'multi-token'), `rho`,
 *   `sharedFraction`, `vocab`, `dim`, `pairs`, `length`, `beta`, `optimizer` ('flow' | 'gd' | 'adam'), `lr`,
 *   `horizon`; results `ex.paraphrase.accuracy`, `im.overlap.ties`, … (`probeCellMetrics`).
 */
import { probeCellMetrics, runProbeCell, type ProbeCellOptions } from './probeCell.js';
import { registerCell } from '../sweep/registry.js';

registerCell('probe', { run: (params, seed) => probeCellMetrics(runProbeCell({ ...(params as Partial<ProbeCellOptions>), seed } as ProbeCellOptions)) });
