/**
 * The machine side of the memory budget (`models/budget.ts`): under Node, the default budget is derived from the
 * machine's memory (`os.totalmem()`, or the process's cgroup limit when lower) and V8's heap limit, and
 * `IMRM_MAX_MEMORY` overrides it. Importing this module configures the budget; the library (`src/index.ts`), every file
 * reader (`io/files.ts`) and each sweep worker import it.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { InputError, message } from '../messages/index.js';
import { parseMemorySize, setMachineMemory, setMemoryBudget } from '../models/budget.js';

/** The environment variable holding a memory budget (same syntax as `--max-memory`); sweep workers inherit it. */
export const MEMORY_ENV = 'IMRM_MAX_MEMORY';

/** The machine's memory in bytes: `os.totalmem()`, or the cgroup limit (`process.constrainedMemory()`) when lower. */
export function machineMemory(): number {
  const total = totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

/**
 * Sets the budget for this process and the sweep workers it starts (through `IMRM_MAX_MEMORY`); `undefined` keeps
 * the default. `option` names the source in the error for a malformed size.
 */
export function applyMaxMemory(value: string | undefined, option = '--max-memory'): void {
  if (value === undefined) return;
  const bytes = parseMemorySize(value);
  if (Number.isNaN(bytes)) throw new InputError(message.badMemorySize(option, value));
  setMemoryBudget(bytes);
  process.env[MEMORY_ENV] = String(bytes);
}

setMachineMemory(machineMemory(), getHeapStatistics().heap_size_limit);
// The variable as set by a parent process (`--max-memory` of `imrm sweep` for its workers). A malformed value is
// left for the CLI to report (`applyMaxMemory(process.env[MEMORY_ENV], MEMORY_ENV)`); here it keeps the default.
{
  const bytes = parseMemorySize(process.env[MEMORY_ENV] ?? '');
  if (!Number.isNaN(bytes)) setMemoryBudget(bytes);
}
