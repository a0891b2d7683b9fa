/** The `imrm-trajectory/1` JSON value (docs/formats.md); no file access, so the browser can use it. */
import type { Trajectory } from '../dynamics/flow.js';
import { stringifyCompact } from './json.js';

export const TRAJECTORY_FORMAT = 'imrm-trajectory/1';

/** The file's JSON value of a trajectory (parameters are not part of the format). */
export function trajectoryToJson(t: Trajectory): Record<string, unknown> {
  return { format: TRAJECTORY_FORMAT, model: t.model, times: t.times, loss: t.loss, margins: t.margins, ...(t.rewardStd ? { rewardStd: t.rewardStd } : {}), solver: t.solver };
}

/** The bytes a trajectory file holds. */
export function trajectoryFileText(t: Trajectory): string {
  return stringifyCompact(trajectoryToJson(t)) + '\n';
}
