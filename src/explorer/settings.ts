/**
 * The explorer's settings: one problem and one optimizer, kept in the page's query string so a view can be shared
 * (`?kind=multi-token&rho=0.5&method=adam&lr=0.01`). A field missing from the query string takes its default; the
 * problem's defaults are its builder's (`makeProblem`, `resolveProbeOptions`), the horizon's depend on the method.
 * Invalid values are dropped (the default is used) and reported.
 */
import { isMethod, logspace, resolveProbeOptions, STEP_TIME_TITLE, TIME_TITLE, type MakeProblemOptions, type Method, type ProbeProblemOptions } from '../browser.js';

/**
 * The instances the explorer offers: `makeProblem`'s one-token and multi-token kinds, and the multi-token probe sets
 * of docs/theory.md Claim 5 (`buildProbeProblem`), whose probes share a fraction `f` of their tokens with training
 * responses. (The `tabular` kind of Claim 6 has other evaluation sets.)
 */
export const EXPLORER_KIND = {
  'single-token': 'one-token responses',
  'multi-token': 'phrase + answer-token responses',
  'multi-token-probe': 'phrase + answer-token probes sharing a fraction f of train tokens',
} as const;
export type ExplorerKind = keyof typeof EXPLORER_KIND;
export const isExplorerKind = (x: unknown): x is ExplorerKind => typeof x === 'string' && Object.hasOwn(EXPLORER_KIND, x);

export interface Settings {
  kind: ExplorerKind;
  /** Cosine of paraphrase / overlap representations to their train originals. */
  rho: number;
  /** Vocabulary size `|V|`. */
  vocab: number;
  /** Hidden dimension `D`. */
  dim: number;
  /** Train pairs `N`. */
  pairs: number;
  /** Response length `L` (multi-token kinds only). */
  length: number;
  /** Fraction `f` of each probe response's tokens that are train tokens (`multi-token-probe` only). */
  shared: number;
  beta: number;
  method: Method;
  /** Step η of gradient descent and Adam. */
  lr: number;
  /** Last training time (a power of ten is the natural choice: the time axis is logarithmic). */
  horizon: number;
  seed: number;
}

/** The defaults for a kind and a method (the problem builder's for the problem). */
export function defaultsFor(kind: ExplorerKind, method: Method): Settings {
  const probe = resolveProbeOptions({ kind: 'multi-token', seed: 0 });
  const problem =
    kind === 'multi-token-probe'
      ? { rho: probe.rho, vocab: probe.vocab, dim: probe.dim, pairs: probe.pairs, length: probe.length, shared: probe.sharedFraction, beta: probe.beta }
      : { rho: 0.9, vocab: 1000, dim: kind === 'single-token' ? 128 : 64, pairs: kind === 'single-token' ? 64 : 32, length: 8, shared: probe.sharedFraction, beta: 1 };
  return {
    kind,
    ...problem,
    method,
    lr: 0.1,
    // gradient descent and Adam cost one gradient per step, i.e. horizon / lr of them; the flow's cost grows with log t
    horizon: method === 'flow' ? 1e4 : 1e3,
    seed: 0,
  };
}

export const DEFAULTS = defaultsFor('single-token', 'flow');

export type NumberField = Exclude<keyof Settings, 'kind' | 'method'>;

/** Range and granularity of each number field; `integer` fields are rounded. */
export const LIMITS: Record<NumberField, { min: number; max: number; integer?: boolean }> = {
  rho: { min: -1, max: 1 },
  vocab: { min: 16, max: 20000, integer: true },
  dim: { min: 2, max: 1024, integer: true },
  pairs: { min: 1, max: 1024, integer: true },
  length: { min: 2, max: 32, integer: true },
  shared: { min: 0, max: 1 },
  beta: { min: 1e-3, max: 1e3 },
  lr: { min: 1e-5, max: 10 },
  horizon: { min: 1e-1, max: 1e8 },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true },
};

const NUMBER_FIELDS = Object.keys(LIMITS) as NumberField[];

/** A field's value checked against `LIMITS`, or `undefined`. */
export function checkNumber(field: NumberField, raw: string | number): number | undefined {
  const x = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  const { min, max, integer } = LIMITS[field];
  if (!Number.isFinite(x) || x < min || x > max) return undefined;
  if (integer && !Number.isInteger(x)) return undefined;
  return x;
}

/** Settings from a query string; `rejected` lists the fields whose values were invalid (their defaults are used). */
export function parseQuery(query: string): { settings: Settings; rejected: string[] } {
  const q = new URLSearchParams(query);
  const rejected: string[] = [];
  const kindRaw = q.get('kind');
  const methodRaw = q.get('method');
  if (kindRaw !== null && !isExplorerKind(kindRaw)) rejected.push('kind');
  if (methodRaw !== null && !isMethod(methodRaw)) rejected.push('method');
  const settings = defaultsFor(isExplorerKind(kindRaw) ? kindRaw : DEFAULTS.kind, isMethod(methodRaw) ? methodRaw : DEFAULTS.method);
  for (const field of NUMBER_FIELDS) {
    const raw = q.get(field);
    if (raw === null) continue;
    const x = checkNumber(field, raw);
    if (x === undefined) rejected.push(field);
    else settings[field] = x;
  }
  return { settings, rejected };
}

/** The query string of settings: only the fields that differ from their defaults, in a fixed order. */
export function toQuery(s: Settings): string {
  const d = defaultsFor(s.kind, s.method);
  const q = new URLSearchParams();
  if (s.kind !== DEFAULTS.kind) q.set('kind', s.kind);
  if (s.method !== DEFAULTS.method) q.set('method', s.method);
  for (const field of NUMBER_FIELDS) {
    if (field === 'length' && s.kind === 'single-token') continue;
    if (field === 'shared' && s.kind !== 'multi-token-probe') continue;
    if (field === 'lr' && s.method === 'flow') continue;
    if (s[field] !== d[field]) q.set(field, String(s[field]));
  }
  return q.toString();
}

/**
 * Settings after the kind or the method changed: fields still at the old defaults take the new ones (so a
 * hand-set `D` survives a switch to multi-token, the default 128 becomes 64).
 */
export function switchDefaults(s: Settings, kind: ExplorerKind, method: Method): Settings {
  const before = defaultsFor(s.kind, s.method);
  const after = defaultsFor(kind, method);
  const out: Settings = { ...s, kind, method };
  for (const field of NUMBER_FIELDS) if (s[field] === before[field]) out[field] = after[field];
  return out;
}

/** `makeProblem`'s options for these settings (one-token and multi-token kinds). */
export function problemOptions(s: Settings): MakeProblemOptions {
  return { seed: s.seed, vocab: s.vocab, dim: s.dim, pairs: s.pairs, rho: s.rho, beta: s.beta, ...(s.kind === 'multi-token' ? { length: s.length } : {}) };
}

/** `buildProbeProblem`'s options for these settings (`multi-token-probe`). */
export function probeOptions(s: Settings): ProbeProblemOptions {
  return { kind: 'multi-token', seed: s.seed, vocab: s.vocab, dim: s.dim, pairs: s.pairs, length: s.length, rho: s.rho, sharedFraction: s.shared, beta: s.beta };
}

/** Grid points per decade of training time. */
export const POINTS_PER_DECADE = 8;

/**
 * The recorded times: a log grid from 10⁻² (or the first optimizer step η) to the horizon, `POINTS_PER_DECADE` a
 * decade. For gradient descent and Adam, times are whole numbers of steps (`train` records after `round(t/η)` steps),
 * so they are rounded here and repeated ones dropped.
 */
export function timeGrid(s: Settings): number[] {
  const start = s.method === 'flow' ? Math.min(1e-2, s.horizon) : Math.min(s.lr, s.horizon);
  const a = Math.log10(start);
  const b = Math.log10(s.horizon);
  const grid = logspace(a, b, Math.max(1, Math.round((b - a) * POINTS_PER_DECADE) + 1));
  if (s.method === 'flow') return grid;
  const steps = [...new Set(grid.map((t) => Math.max(1, Math.round(t / s.lr))))];
  return steps.map((k) => k * s.lr);
}

/** The chart titles name the kind and the optimizer, as the committed figures do. */
export function chartTitle(what: 'margins' | 'accuracies', s: Settings): string {
  const by = s.method === 'flow' ? 'gradient flow' : s.method === 'gd' ? `gradient descent (η = ${s.lr})` : `Adam (η = ${s.lr})`;
  const responses = s.kind === 'single-token' ? 'one-token responses' : s.kind === 'multi-token' ? `${s.length}-token responses` : `${s.length}-token probes, shared fraction f = ${s.shared}`;
  return `EX-RM vs IM-RM ${what} under ${by} (${responses})`;
}

/** The time axis' title: gradient-flow time, or steps × η for gradient descent and Adam. */
export function timeAxisTitle(s: Settings): string {
  return s.method === 'flow' ? TIME_TITLE : STEP_TIME_TITLE;
}

/** What a number field accepts, in words: "a whole number from 16 to 20000", "a number from 0.001 to 1000". */
export function limitText(field: NumberField): string {
  const { min, max, integer } = LIMITS[field];
  return `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
}

/** How the form and the status line name each number field. */
export const FIELD_LABEL: Record<NumberField, string> = {
  rho: 'ρ',
  vocab: '|V|',
  dim: 'D',
  pairs: 'N',
  length: 'L',
  shared: 'f',
  beta: 'β',
  lr: 'η',
  horizon: 'horizon',
  seed: 'seed',
};
