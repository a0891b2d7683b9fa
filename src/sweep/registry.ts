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
import { jsonPath } from './json.js';
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
 * The cell of a sweep, after checking that its kind is registered and that its schema accepts every grid point.
 * A rejected parameter is reported at its place in the file: `fixed.steps` or `grid.lr[2]`.
 */
export function resolveCell(spec: SweepSpec, file: string): CellDefinition<unknown> {
  const cell = getCell(spec.cell);
  if (!cell) throw new InputError(sweepMessages.unknownCell(file, spec.cell, cellKinds()));
  if (!cell.paramsSchema) return cell;
  for (const point of gridPoints(spec)) {
    const parsed = cell.paramsSchema.safeParse(point.params);
    if (parsed.success) continue;
    const problems = parsed.error.issues.map((issue) => {
      const [name, ...rest] = issue.path;
      const entry =
        name === undefined
          ? ''
          : typeof name === 'string' && point.at[name] !== undefined
            ? jsonPath(['grid', name, point.at[name] as number, ...rest])
            : jsonPath(['fixed', name, ...rest]);
      return sweepMessages.badParams(file, entry, spec.cell, issue.message);
    });
    throw new InputError(problems.join('\n'));
  }
  return cell;
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
