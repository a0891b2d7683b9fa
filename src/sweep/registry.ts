/**
 * The registry of cell kinds: what one run of a sweep computes.
 *
 * A cell kind is a name (the sweep file's `"cell"`) and a definition: an optional zod schema for the parameters
 * (the fixed and grid entries merged) and `run(params, seed)`, which returns named results (finite numbers or
 * strings). `run` must be deterministic in `(params, seed)`: merging shards compares results of the same run.
 *
 * **How workers find cells.** Sweeps run on `worker_threads`; every worker is a fresh JavaScript realm with an empty
 * registry, and functions cannot be sent to it. So cells are registered *by a module*: the caller of `runSweep`
 * passes `cellsModule`, an absolute module specifier (a `file:` URL, e.g.
 * `pathToFileURL(path.resolve('dist/probes/cells.js')).href` or `new URL('./cells.js', import.meta.url).href`), whose
 * evaluation calls `registerCell` for every kind it provides. The main thread imports it (to check the cell kind and
 * the parameters before starting) and each worker imports it once at start-up. The module must import
 * `registerCell` from this file by a path that resolves to the same file the sweep runner uses (compiled `dist/`
 * with `dist/`, sources with sources); should two copies of this module be loaded anyway, they share one table,
 * kept on `globalThis`.
 *
 * ```ts
 * // src/probes/cells.ts (the project's cells module)
 * import { registerCell } from './sweep/registry.js';
 * registerCell('one-token-probe', { paramsSchema: z.object({ lr: z.number() }), run: ({ lr }, seed) => ({ margin: … }) });
 * ```
 */
import type { z } from 'zod';
import { InputError } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import type { JsonObject } from './json.js';
import { didYouMean, jsonPath, valueAt } from './json.js';
import { gridPoints, type SweepSpec } from './spec.js';

/** Named results of one run: finite numbers (summarised as metrics) or strings (labels, statuses). */
export type CellResult = Record<string, number | string>;

export interface CellDefinition<P = JsonObject> {
  /** Validates (and may transform) the parameters; when absent `run` gets them as parsed from JSON. */
  paramsSchema?: z.ZodType<P>;
  /** One run. May be async. Must be deterministic in `(params, seed)`. */
  run(params: P, seed: number): CellResult | Promise<CellResult>;
}

type AnyCell = CellDefinition<unknown>;

const TABLE_KEY = Symbol.for('imrm.sweep.cells');
const table: Map<string, AnyCell> = ((globalThis as Record<symbol, unknown>)[TABLE_KEY] as Map<string, AnyCell>) ??
  ((globalThis as Record<symbol, unknown>)[TABLE_KEY] = new Map<string, AnyCell>());
const loaded = new Set<string>();

/** Registers a cell kind. Registering the same definition object again is a no-op; another one under a taken name throws. */
export function registerCell<P = JsonObject>(kind: string, definition: CellDefinition<P>): void {
  const existing = table.get(kind);
  if (existing !== undefined && existing !== (definition as AnyCell)) throw new Error(sweepMessages.duplicateCell(kind));
  table.set(kind, definition as AnyCell);
}

export function getCell(kind: string): CellDefinition<unknown> | undefined {
  return table.get(kind);
}

/** Registered kinds, sorted. */
export function cellKinds(): string[] {
  return [...table.keys()].sort();
}

/** Imports a cells module once per realm (see the file comment). */
export async function loadCells(cellsModule: string): Promise<void> {
  if (loaded.has(cellsModule)) return;
  // A relative specifier would resolve against this file, not the caller's: insist on an absolute URL.
  if (!isAbsoluteUrl(cellsModule)) {
    throw new InputError(sweepMessages.cellsModuleFailed(cellsModule, 'not an absolute URL; pass pathToFileURL(file).href'));
  }
  try {
    await import(cellsModule);
  } catch (error) {
    throw new InputError(sweepMessages.cellsModuleFailed(cellsModule, (error as Error).message));
  }
  loaded.add(cellsModule);
}

function isAbsoluteUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cell of a sweep, after checking that its kind is registered and that its schema accepts every grid point (in
 * the main thread, before any worker starts or any file is written). A rejected parameter is reported at its place in
 * the file — `fixed.horizon` or `grid.rho[2]` — in the catalogue's words; a parameter the cell does not have is
 * reported with the closest known name ("did you mean") when the schema is an object schema.
 */
export function resolveCell(spec: SweepSpec, file: string): CellDefinition<unknown> {
  const cell = getCell(spec.cell);
  if (!cell) throw new InputError(sweepMessages.unknownCell(file, spec.cell, cellKinds()));
  if (!cell.paramsSchema) return cell;
  const known = paramNames(cell.paramsSchema);
  const problems = new Set<string>();
  for (const point of gridPoints(spec)) {
    const parsed = cell.paramsSchema.safeParse(point.params);
    if (parsed.success) continue;
    const entryOf = (path: readonly PropertyKey[]): string => {
      const [name, ...rest] = path;
      if (name === undefined) return '';
      return typeof name === 'string' && point.at[name] !== undefined ? jsonPath(['grid', name, point.at[name] as number, ...rest]) : jsonPath(['fixed', name, ...rest]);
    };
    // A whole-object refinement (path []) may repeat what a field's own issue says: show it only when alone.
    const specific = parsed.error.issues.filter((i) => i.path.length > 0 || i.code === 'unrecognized_keys');
    for (const issue of specific.length > 0 ? specific : parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const entry = Object.hasOwn(spec.grid, key) ? jsonPath(['grid', key]) : jsonPath(['fixed', key]);
          problems.add(sweepMessages.unknownParam(file, entry, spec.cell, known && didYouMean(key, known), known ?? []));
        }
      } else problems.add(sweepMessages.badParams(file, entryOf(issue.path), spec.cell, issueReason(issue, valueAt(point.params, issue.path))));
    }
    if (problems.size >= MAX_REPORTED) break; // enough to act on; the rest would mostly repeat them
  }
  if (problems.size > 0) throw new InputError([...problems].join('\n'));
  return cell;
}

/** Most distinct parameter problems listed in one error. */
const MAX_REPORTED = 20;

/** The parameter names of an object schema (zod's `shape`), or undefined for other schemas. */
function paramNames(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return shape !== null && typeof shape === 'object' ? Object.keys(shape).sort() : undefined;
}

/** The words for zod's type names in messages. */
const TYPE_WORDS: Record<string, string> = { int: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean', array: 'an array', object: 'an object' };

/** What is wrong with a value, in the catalogue's terms (zod's own message for anything else). */
function issueReason(issue: z.core.$ZodIssue, got: unknown): string {
  if (got === undefined && issue.code !== 'custom') return sweepMessages.paramMissing();
  const value = JSON.stringify(got) ?? String(got);
  switch (issue.code) {
    case 'invalid_type':
      return sweepMessages.paramWrongType(TYPE_WORDS[issue.expected] ?? issue.expected, value);
    case 'invalid_value':
      return sweepMessages.paramNotOneOf(issue.values, value);
    case 'too_small':
      return sweepMessages.paramOutOfRange(issue.inclusive ? '>=' : '>', String(issue.minimum), value);
    case 'too_big':
      return sweepMessages.paramOutOfRange(issue.inclusive ? '<=' : '<', String(issue.maximum), value);
    default:
      return issue.message;
  }
}

/** A cell's result, checked: an object of finite numbers and strings (throws naming the first offending key). */
export function checkResult(kind: string, result: unknown): CellResult {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new Error(sweepMessages.badResult(kind, '(the result itself)', result));
  }
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) continue;
    throw new Error(sweepMessages.badResult(kind, key, value));
  }
  return result as CellResult;
}
