/**
 * Test cells for the sweep runner, registered by importing this module (it is the `cellsModule` of the tests:
 * every worker imports it by `DUMMY_CELLS`, its file URL).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { registerCell, type CellResult } from '../../src/sweep/registry.js';
import { makeRng } from '../../src/random.js';

export const DUMMY_CELLS = new URL('./dummy-cells.ts', import.meta.url).href;

export const DummyParams = z.strictObject({
  a: z.number(),
  label: z.string().default('x'),
  /** Simulated work per run, in milliseconds. */
  delayMs: z.number().min(0).default(0),
});

/** What the `dummy` cell returns, computed directly (the tests' independent reference). */
export function dummyResult(params: z.input<typeof DummyParams>, seed: number): CellResult {
  const rng = makeRng(`${seed}:${params.a}`);
  return { value: 10 * params.a + rng.normal(), square: params.a * params.a, label: `${params.label ?? 'x'}-${seed}` };
}

registerCell('dummy', {
  paramsSchema: DummyParams,
  run: async (params, seed) => {
    if (params.delayMs > 0) await sleep(params.delayMs);
    return dummyResult(params, seed);
  },
});

/** Fails on seed 3, succeeds elsewhere. */
registerCell('failing', {
  run: (_params, seed) => {
    if (seed === 3) throw new Error('seed 3 is cursed');
    return { ok: 1 };
  },
});

/** Returns a non-finite number, which JSON cannot carry. */
registerCell('not-finite', { run: () => ({ x: Number.NaN }) });

/** Does nothing: measures the runner's own cost per run. */
registerCell('noop', { run: () => ({ x: 0 }) });
