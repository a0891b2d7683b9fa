import { InputError, message } from '../messages/index.js';
import { checkMemory, trajectoryBytes } from '../models/budget.js';

/** Numbers a trajectory reports per time at the least: the loss and one pair's margin. */
const MIN_NUMBERS_PER_TIME = 2;
/**
 * Most times one request may list: each costs an evaluation of every set's margins and a row of every table, and a
 * million is far more than any plot needs (a smooth curve over many decades takes a few hundred).
 */
export const MAX_TIMES = 1_000_000;

/** `n` times `10^a … 10^b`, evenly spaced in log t (numpy's `logspace`); the endpoints are exact. */
export function logspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [Math.pow(10, a)];
  return Array.from({ length: n }, (_, i) => Math.pow(10, i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}

/**
 * Parses requested times: a comma-separated list (`0,1,10`) or `logspace:a:b:n` (`n` times from `10^a` to `10^b`).
 * Times must be finite and ≥ 0; any order, repeats allowed (results come back in the order given). `option` names
 * the source in error messages. So many times that even a one-pair trajectory would not fit the memory budget
 * (`models/budget.ts`) are refused before any is made.
 */
export function parseTimes(spec: string, option = '--times'): number[] {
  const s = spec.trim();
  let times: number[];
  if (s.startsWith('logspace:')) {
    const parts = s.split(':');
    const [a, b, n] = parts.slice(1).map(Number);
    if (parts.length !== 4 || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isInteger(n) || n! < 1)
      throw new InputError(message.badTimes(option, spec, 'expected logspace:a:b:n with numbers a, b and an integer n >= 1'));
    checkTimesBudget(n!, MIN_NUMBERS_PER_TIME, option, spec);
    times = logspace(a!, b!, n!);
  } else {
    times = s.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  }
  checkTimes(times, option, spec);
  return times;
}

/**
 * Throws unless `times` is a non-empty list of at most `MAX_TIMES` finite numbers ≥ 0 whose trajectory, with `numbersPerTime` reported
 * numbers per time (the loss and every pair's margin), fits the memory budget.
 */
export function checkTimes(times: readonly number[], option = 'times', spec?: string, numbersPerTime = MIN_NUMBERS_PER_TIME): void {
  if (times.length === 0) throw new InputError(message.badTimes(option, spec ?? String(times), 'no times given'));
  times.forEach((t, i) => {
    if (!Number.isFinite(t) || t < 0) throw new InputError(message.badTimes(option, spec ?? String(times), `time ${i + 1} is not a finite number >= 0`));
  });
  checkTimesBudget(times.length, numbersPerTime, option, spec);
}

/**
 * Refuses more than `MAX_TIMES` requested times, and `count` times whose trajectory (`numbersPerTime` numbers each)
 * would not fit the heap budget.
 */
export function checkTimesBudget(count: number, numbersPerTime: number, option: string, spec?: string): void {
  if (count > MAX_TIMES) throw new InputError(message.tooManyTimes(option, spec ?? `${count} times`, count, MAX_TIMES));
  checkMemory(trajectoryBytes(count, numbersPerTime), option, '', `${count} requested times × ${numbersPerTime} reported numbers each (the loss and every pair's margin)`, { heap: true });
}
