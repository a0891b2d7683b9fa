/**
 * What every command shares: strict option parsers that throw `InputError` naming the option, checks of output
 * paths made before any work, help texts with defaults shown one way, exit codes, tables.
 *
 * **Numbers are decimal.** An option value is a decimal number — optional sign, digits with an optional point,
 * optional exponent (`12`, `-0.5`, `.5`, `1e-8`) — with surrounding spaces ignored; `0x10`, `0b1`, `Infinity`, `1_000`
 * or an empty value is an error, never a number JavaScript's `Number()` happens to make of it. Each option states its
 * range in its help and in its error.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { cliMessages, InputError, message, parseTimes } from '../core.js';

export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const;

/** A command that ran correctly but whose verdict is negative (e.g. a failed claim check): exit code 1, no stack. */
export class VerdictFailure extends Error {
  override readonly name = 'VerdictFailure';
}

/**
 * Option values as commander hands them to an action: a string per given option, `true` for a given flag,
 * `undefined` for an option not given (no option has a commander default; each command applies its own defaults,
 * so that it knows which options the user gave).
 */
export type RawOptions = Record<string, unknown>;

/** A decimal number as typed: sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Largest integer a seed or count may be: beyond it two different integers are the same float64. */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
const integerText = (n: number): string => (n === MAX_INTEGER ? '2^53 − 1' : String(n));

/** `a decimal integer from 1 to 2^53 − 1`: what an integer option expects. */
export const integerRangeText = (min: number, max = MAX_INTEGER): string => `a decimal integer from ${integerText(min)} to ${integerText(max)}`;

/** An option value as a string (what a fuzzer or a caller other than commander may hand us otherwise). */
function text(option: string, value: unknown, expected: string): string {
  if (typeof value !== 'string') throw new InputError(message.badOption(option, String(value), expected));
  return value;
}

/** The number a decimal option value stands for, or NaN when it is not written in decimal. */
export function decimal(value: string): number {
  const s = value.trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}

/** Bounds of a numeric option; `gt`/`lt` exclusive, `ge`/`le` inclusive. */
export interface Range {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
}

/** `a decimal number in (0, 1)`, `a decimal number > 0`, … */
export function rangeText(r: Range): string {
  const lo = r.gt ?? r.ge;
  const hi = r.lt ?? r.le;
  if (lo !== undefined && hi !== undefined) return `a decimal number in ${r.gt !== undefined ? '(' : '['}${lo}, ${hi}${r.lt !== undefined ? ')' : ']'}`;
  if (lo !== undefined) return `a decimal number ${r.gt !== undefined ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `a decimal number ${r.lt !== undefined ? '<' : '<='} ${hi}`;
  return 'a finite decimal number';
}

/** A finite decimal number inside `range`. */
export function parseInRange(option: string, value: unknown, range: Range = {}): number {
  const expected = rangeText(range);
  const s = text(option, value, expected);
  const x = decimal(s);
  const ok =
    Number.isFinite(x) &&
    (range.gt === undefined || x > range.gt) &&
    (range.ge === undefined || x >= range.ge) &&
    (range.lt === undefined || x < range.lt) &&
    (range.le === undefined || x <= range.le);
  if (!ok) throw new InputError(message.badOption(option, s, expected));
  return x;
}

/** A decimal number passing `check` (described by `expected`). */
export function parseNumber(option: string, value: unknown, check: (x: number) => boolean = Number.isFinite, expected = 'a finite decimal number'): number {
  const s = text(option, value, expected);
  const x = decimal(s);
  if (!Number.isFinite(x) || !check(x)) throw new InputError(message.badOption(option, s, expected));
  return x;
}

/** A decimal integer in `[min, max]`; `max` at most 2^53 − 1, so that distinct values stay distinct. */
export function parseInteger(option: string, value: unknown, min = 0, max = MAX_INTEGER): number {
  const expected = integerRangeText(min, max);
  return parseNumber(option, value, (x) => Number.isInteger(x) && x >= min && x <= max, expected);
}

/** A seed: a decimal integer from 0 to 2^53 − 1 (beyond it two different seeds would give identical files). */
export const parseSeed = (option: string, value: unknown): number => parseInteger(option, value, 0);

export const parsePositive = (option: string, value: unknown): number => parseInRange(option, value, { gt: 0 });

export function parseChoice<T extends string>(option: string, value: unknown, choices: Record<T, unknown>): T {
  const expected = `one of ${Object.keys(choices).join(', ')}`;
  const s = text(option, value, expected);
  if (!Object.hasOwn(choices, s)) throw new InputError(message.badOption(option, s, expected));
  return s as T;
}

/** A path option: a non-empty string. */
export function parsePath(option: string, value: unknown): string {
  const s = text(option, value, 'a file path');
  if (s === '') throw new InputError(cliMessages.emptyPath(option));
  if (s.includes('\0')) throw new InputError(cliMessages.nulInPath(option, s));
  return s;
}

/** Most requested times (each is a column of every set's margins in the trajectory, and a block of the table). */
export const MAX_TIMES = 100_000;

/**
 * Requested times (`0,1,10` or `logspace:a:b:n`, see `parseTimes`), every number in decimal (`--times 0x10` is an
 * error, not 16), at most `MAX_TIMES` of them.
 */
export function parseTimesOption(option: string, value: unknown): number[] {
  const s = text(option, value, 'a list of times');
  const t = s.trim();
  if (t.startsWith('logspace:')) {
    const [a = '', b = '', n = '', ...rest] = t.slice('logspace:'.length).split(':');
    if (rest.length > 0 || Number.isNaN(decimal(a)) || Number.isNaN(decimal(b)) || !Number.isSafeInteger(decimal(n)) || decimal(n) < 1) {
      throw new InputError(message.badTimes(option, s, cliMessages.logspaceNotDecimal()));
    }
    if (decimal(n) > MAX_TIMES) throw new InputError(message.badTimes(option, s, cliMessages.tooManyTimes(decimal(n), MAX_TIMES)));
  } else {
    const count = t.split(',').length;
    if (count > MAX_TIMES) throw new InputError(message.badTimes(option, s.length > 60 ? `${s.slice(0, 60)}…` : s, cliMessages.tooManyTimes(count, MAX_TIMES)));
    t.split(',').forEach((item, i) => {
      if (Number.isNaN(decimal(item))) throw new InputError(message.badTimes(option, s, cliMessages.timeNotDecimal(i + 1, item.trim())));
    });
  }
  return parseTimes(s, option);
}

// --- output paths ------------------------------------------------------------------------------------

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // missing, or a path through a file (ENOTDIR): the caller looks at the parents
  }
}

/**
 * Checks an output path before any work is done: not empty, not a directory, every existing parent a directory,
 * and not the same file (after symbolic and hard links) as any of `inputs` (`[option, path]`, e.g.
 * `['--problem', 'p.json']`). Returns the path.
 */
export function checkOutput(option: string, value: unknown, inputs: readonly (readonly [string, string | undefined])[] = []): string {
  const path = parsePath(option, value);
  const stats = statOrUndefined(path);
  if (stats?.isDirectory()) throw new InputError(cliMessages.outIsDirectory(option, path));
  if (stats) {
    for (const [input, inputPath] of inputs) {
      const other = inputPath === undefined || inputPath === '' ? undefined : statOrUndefined(inputPath);
      if (other && other.dev === stats.dev && other.ino === stats.ino) throw new InputError(cliMessages.outIsInput(option, path, `${input} ${inputPath}`));
    }
  } else {
    // The nearest existing ancestor must be a directory (else the write would fail with ENOTDIR, or EEXIST).
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const s = statOrUndefined(dir);
      if (s) {
        if (!s.isDirectory()) throw new InputError(cliMessages.outUnderFile(option, path, dir));
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return path;
}

/** Checks an output folder: not empty, and not an existing file (nor under one). */
export function checkOutputDirectory(option: string, value: unknown): string {
  const path = parsePath(option, value);
  const stats = statOrUndefined(path);
  if (stats && !stats.isDirectory()) throw new InputError(cliMessages.outNotDirectory(option, path));
  if (!stats) checkOutput(option, `${path}/x`);
  return path;
}

// --- help texts --------------------------------------------------------------------------------------

/** A value as typed on a command line: single-quoted when it holds spaces or characters a shell treats specially. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/u.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Adds an option whose help shows its default one way, `(default: 0.1)`, and marks a required one `(required)`.
 * Commander gets no default: the action applies `defaultValue` itself, so it can tell a given option from a default.
 */
export function addOption(cmd: Command, flags: string, description: string, opts: { defaultValue?: string; defaultText?: string; required?: boolean } = {}): Command {
  const shown = opts.defaultText ?? (opts.defaultValue !== undefined ? shellWord(opts.defaultValue) : undefined);
  const suffix = opts.required ? ' (required)' : shown !== undefined ? ` (default: ${shown})` : '';
  const option = new Option(flags, description + suffix);
  if (opts.required) option.makeOptionMandatory();
  return cmd.addOption(option);
}

// --- tables ------------------------------------------------------------------------------------------

/** Width of a string on a terminal: code points, combining marks (the bar of `z̄`) taking no column. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) if (!/\p{M}/u.test(ch)) w++;
  return w;
}

const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - displayWidth(s))) + s;

/** A plain text table with right-aligned numeric columns. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const width = header.map((h, j) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[j] ?? ''))));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? padEnd(c, width[j]!) : padStart(c, width[j]!))).join('  ').trimEnd();
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/**
 * The words of `s` in lines of at most `width` columns; lines after the first start with `indent` spaces (counted in
 * `width`). A word longer than a line is cut.
 */
export function wrap(s: string, width: number, indent = 0): string[] {
  if (width - indent < 1) throw new RangeError(`wrap: width ${width} leaves no room after an indent of ${indent}`);
  const out: string[] = [];
  let line = '';
  const limit = (): number => (out.length === 0 ? width : width - indent);
  for (let word of s.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && displayWidth(line) + 1 + displayWidth(word) <= limit()) {
      line += ` ${word}`;
      continue;
    }
    if (line !== '') out.push(line);
    line = '';
    while (displayWidth(word) > limit()) {
      let head = '';
      const chars = [...word];
      let k = 0;
      while (displayWidth(head + chars[k]) <= limit()) head += chars[k++];
      out.push(head);
      word = chars.slice(k).join('');
    }
    line = word;
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3);
  return x.toPrecision(5).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
