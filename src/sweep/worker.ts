/**
 * Entry point of a sweep worker thread (started by `pool.ts`; compiled to `worker.js` next to it).
 * `workerData` names the cells module and the cell kind; the worker imports the module, reports `ready`, then runs
 * the tasks it is sent one at a time, in arrival order, answering each with `done` or `failed`.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { sweepMessages } from '../messages/sweep.js';
import '../io/memory.js'; // the memory budget: this machine's, or IMRM_MAX_MEMORY as `imrm sweep --max-memory` set it
import type { JsonObject } from './json.js';
import { cellKinds, checkResult, getCell, loadCells, type CellDefinition, type CellResult } from './registry.js';

export interface WorkerInit {
  cellsModule: string;
  kind: string;
}
export interface RunTask {
  index: number;
  params: JsonObject;
  seed: number;
}
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'done'; index: number; result: CellResult; ms: number }
  | { type: 'failed'; index: number; message: string; input: boolean };

const port: MessagePort = requirePort();
const init = workerData as WorkerInit;
const send = (message: WorkerReply): void => port.postMessage(message);

let cell: CellDefinition<unknown> | undefined;
try {
  await loadCells(init.cellsModule);
  cell = getCell(init.kind);
  if (!cell) send({ type: 'fatal', message: sweepMessages.unknownCell(init.cellsModule, init.kind, cellKinds()) });
} catch (error) {
  send({ type: 'fatal', message: (error as Error).message });
}

if (cell) {
  const definition = cell;
  // Tasks may arrive while one is running (the pool keeps a few queued); chain them so they run one at a time
  // and `ms` measures one run, not interleaved async ones.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (task: RunTask) => {
    queue = queue.then(() => runTask(definition, task));
  });
  send({ type: 'ready' });
}

async function runTask(definition: CellDefinition<unknown>, task: RunTask): Promise<void> {
  const start = performance.now();
  try {
    const params = definition.paramsSchema ? definition.paramsSchema.parse(task.params) : task.params;
    const result = checkResult(init.kind, await definition.run(params, task.seed));
    const ms = Math.round((performance.now() - start) * 1000) / 1000;
    send({ type: 'done', index: task.index, result, ms });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An InputError (bad parameters the schema let through) stays an input error in the main thread: exit 2, not 1.
    send({ type: 'failed', index: task.index, message, input: error instanceof Error && error.name === 'InputError' });
  }
}

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('src/sweep/worker.ts is a worker-thread entry point; runSweep starts it');
  return parentPort;
}
