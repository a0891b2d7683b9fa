/** Writing and reading `imrm-trajectory/1` files (docs/formats.md). */
import { InputError, message } from '../messages/index.js';
import type { Trajectory } from '../dynamics/flow.js';
import { isRewardModelKind, REWARD_MODEL, type RewardModelKind } from '../models/model.js';
import { writeFileAtomic } from './atomic.js';
import { compactJsonFile } from './json.js';
import { TRAJECTORY_FORMAT, trajectoryToJson } from './trajectoryJson.js';
import { readJson } from './problemFile.js';

export { TRAJECTORY_FORMAT, trajectoryToJson, trajectoryFileText } from './trajectoryJson.js';

/** Writes a trajectory file atomically, its text in pieces (a long trajectory's text can exceed the longest JavaScript string). */
export function writeTrajectory(file: string, t: Trajectory): void {
  writeFileAtomic(file, compactJsonFile(trajectoryToJson(t)));
}

/** What a trajectory file holds. */
export interface TrajectoryFile {
  model: RewardModelKind;
  times: number[];
  loss: number[];
  margins: Record<string, number[][]>;
  /** Standard deviation of each set's rewards at each time, when recorded. */
  rewardStd?: Record<string, number[]>;
  solver: Record<string, unknown>;
}

/** Reads a trajectory file, checking its shape (format, model, and that every series has one value per time). */
export function readTrajectory(file: string): TrajectoryFile {
  const raw = readJson(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(message.wrongType(file, '', 'an object', raw));
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['format', 'model', 'times', 'loss', 'margins', 'rewardStd', 'solver'].includes(k)) throw new InputError(message.unknownField(file, k));
  if (o.format !== TRAJECTORY_FORMAT) throw new InputError(message.wrongFormat(file, TRAJECTORY_FORMAT, o.format));
  if (!isRewardModelKind(o.model)) throw new InputError(message.wrongType(file, 'model', `one of ${Object.keys(REWARD_MODEL).map((k) => `"${k}"`).join(', ')}`, o.model));
  const nums = (v: unknown, entry: string, n?: number): number[] => {
    if (!Array.isArray(v)) throw new InputError(message.wrongType(file, entry, 'an array', v));
    if (n !== undefined && v.length !== n) throw new InputError(message.wrongLength(file, entry, n, v.length));
    v.forEach((x, i) => {
      if (typeof x !== 'number') throw new InputError(message.wrongType(file, `${entry}[${i}]`, 'a number', x));
    });
    return v as number[];
  };
  const times = nums(o.times, 'times');
  const loss = nums(o.loss, 'loss', times.length);
  if (o.margins === null || typeof o.margins !== 'object') throw new InputError(message.wrongType(file, 'margins', 'an object', o.margins));
  const margins: Record<string, number[][]> = {};
  for (const [name, set] of Object.entries(o.margins as object)) {
    if (name === '__proto__') throw new InputError(message.reservedKey(file, 'margins["__proto__"]'));
    if (!Array.isArray(set)) throw new InputError(message.wrongType(file, `margins.${name}`, 'an array', set));
    margins[name] = set.map((row, p) => nums(row, `margins.${name}[${p}]`, times.length));
  }
  let rewardStd: Record<string, number[]> | undefined;
  if (o.rewardStd !== undefined) {
    if (o.rewardStd === null || typeof o.rewardStd !== 'object' || Array.isArray(o.rewardStd)) throw new InputError(message.wrongType(file, 'rewardStd', 'an object', o.rewardStd));
    rewardStd = {};
    for (const [name, series] of Object.entries(o.rewardStd as object)) {
      if (!Object.hasOwn(margins, name)) throw new InputError(message.unknownField(file, `rewardStd.${name}`));
      rewardStd[name] = nums(series, `rewardStd.${name}`, times.length);
    }
  }
  return { model: o.model, times, loss, margins, ...(rewardStd ? { rewardStd } : {}), solver: (o.solver ?? {}) as Record<string, unknown> };
}
