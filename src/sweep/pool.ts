/**
 * A pool of worker threads running the runs of one sweep (one cell kind). The main thread keeps every worker
 * busy with `QUEUE_DEPTH` tasks (one running, the rest waiting in the worker's queue, hiding the message round trip)
 * and hands each finished run to `onDone`, in the order runs finish.
 *
 * Worker entry: compiled code (`dist/`) starts `worker.js` next to this file. Sources run under tsx or vitest
 * (this file ends in `.ts`) start `worker.ts` through a two-line eval'd bootstrap that registers tsx's ESM hooks in
 * the worker first: Node 20 cannot load `.ts` by itself, and `execArgv: ['--import', 'tsx']` does not help there,
 * because hooks registered by a worker's `--import` do not apply to the worker's own entry point.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import { canonicalJson } from './json.js';
import type { CellResult } from './registry.js';
import type { SweepRun } from './spec.js';
import type { RunTask, WorkerInit, WorkerReply } from './worker.js';

/** Tasks in a worker at once (1 running + 1 queued): enough to hide the ~0.1 ms message round trip. */
export const QUEUE_DEPTH = 2;

export interface PoolOptions {
  cellsModule: string;
  kind: string;
  /** Worker threads to start (at most one per run). */
  workers: number;
}

/**
 * Runs `runs` on a pool of workers; `onDone` receives each result. On the first failure (a cell throwing, a worker
 * dying, `onDone` throwing) no new run is started; runs already sent to workers finish and are handed to `onDone`,
 * then the pool stops and the promise rejects with the failure.
 */
export function runPool(
  runs: readonly SweepRun[],
  options: PoolOptions,
  onDone: (run: SweepRun, result: CellResult, ms: number) => void,
): Promise<void> {
  const byIndex = new Map(runs.map((run) => [run.index, run]));
  const count = Math.max(0, Math.min(options.workers, runs.length));
  if (count === 0) return Promise.resolve();

  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let failure: Error | undefined;
    let stopping = false;
    const slots = Array.from({ length: count }, () => ({
      worker: startWorker({ cellsModule: options.cellsModule, kind: options.kind }),
      ready: false,
      alive: true,
      inFlight: 0,
    }));
    type Slot = (typeof slots)[number];

    const fail = (error: Error): void => {
      failure ??= error;
    };
    const settleIfIdle = (): void => {
      if (stopping) return;
      const idle = slots.every((slot) => !slot.alive || slot.inFlight === 0);
      if (!idle || (next < runs.length && !failure && slots.some((slot) => slot.alive))) return;
      stopping = true;
      void Promise.all(slots.map((slot) => slot.worker.terminate())).then(() => {
        if (!failure && next < runs.length) failure = new Error(sweepMessages.workerDied(options.kind, 'all workers exited'));
        if (failure) reject(failure);
        else resolve();
      });
    };
    const feed = (slot: Slot): void => {
      while (!failure && slot.alive && slot.ready && slot.inFlight < QUEUE_DEPTH && next < runs.length) {
        const run = runs[next++] as SweepRun;
        const task: RunTask = { index: run.index, params: run.params, seed: run.seed };
        slot.worker.postMessage(task);
        slot.inFlight++;
      }
      settleIfIdle();
    };
    const die = (slot: Slot, reason: string): void => {
      if (stopping || !slot.alive) return;
      slot.alive = false;
      slot.inFlight = 0;
      fail(new Error(sweepMessages.workerDied(options.kind, reason)));
      settleIfIdle();
    };

    for (const slot of slots) {
      slot.worker.on('message', (reply: WorkerReply) => {
        switch (reply.type) {
          case 'ready':
            slot.ready = true;
            break;
          case 'fatal':
            fail(new Error(reply.message));
            slot.alive = false;
            slot.inFlight = 0;
            break;
          case 'done': {
            slot.inFlight--;
            const run = byIndex.get(reply.index) as SweepRun;
            try {
              onDone(run, reply.result, reply.ms);
            } catch (error) {
              fail(error as Error);
            }
            break;
          }
          case 'failed': {
            slot.inFlight--;
            const run = byIndex.get(reply.index) as SweepRun;
            const text = sweepMessages.cellFailed(options.kind, run.runId, canonicalJson(run.params), run.seed, reply.message);
            fail(reply.input ? new InputError(text) : new Error(text));
            break;
          }
        }
        feed(slot);
      });
      slot.worker.on('error', (error) => die(slot, error.message));
      slot.worker.on('exit', (code) => die(slot, `exited with code ${code}`));
    }
  });
}

/** Starts one worker on the compiled entry, or on the TypeScript one through tsx (see the file comment). */
function startWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: init });
  const entry = new URL('./worker.ts', here).href;
  const code =
    `import(${JSON.stringify(tsxEsmApi())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: init });
}

let tsxApiUrl: string | undefined;

/** `file:` URL of tsx's ESM API (`tsx/esm/api`, import condition), resolved from this file's location. */
function tsxEsmApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const manifest = createRequire(fileURLToPath(import.meta.url)).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>;
  const target = exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  tsxApiUrl = pathToFileURL(path.join(path.dirname(manifest), target)).href;
  return tsxApiUrl;
}
