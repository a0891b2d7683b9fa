/**
 * The memory budget: how much one input may make the toolkit allocate.
 *
 * A single number of an input — a problem file's `vocabSize`, `--dim`, `--pairs`, `--length`, the `n` of
 * `--times logspace:a:b:n`, a `.npy` header's shape, a file's size — fixes the size of arrays allocated later, and
 * an absurd one (`vocabSize: 1e15`) would run out of memory, or for hours, instead of failing. So each boundary that
 * reads such numbers first estimates the bytes the input will make us allocate and refuses it, with an
 * `InputError` naming the field and the size it would need, when the estimate exceeds the budget. The estimates
 * (`problemBytes`, `trajectoryBytes`, and those of the built-in instances) count the leading terms only — the
 * arrays whose sizes the input fixes, once per copy the toolkit keeps — so they are a little *below* what a run
 * really takes: an input is refused only when it cannot fit.
 *
 * **The budget** is `--max-memory` (CLI), else the environment variable `IMRM_MAX_MEMORY` (same syntax; sweep workers
 * inherit it), else half of the machine's memory (`os.totalmem()`, or the process's cgroup limit when lower;
 * `MEMORY_FRACTION`). Values kept on the JavaScript heap — plain arrays of numbers and strings: trajectories, JSON text —
 * are also held to 3/4 of V8's heap limit (`HEAP_FRACTION`; about 4 GiB by default, raised with
 * `node --max-old-space-size`), because exceeding that aborts the process whatever the machine has.
 *
 * This module runs anywhere (the browser explorer uses the probes); `io/memory.ts` tells it the machine's memory under
 * Node. Where nobody does, the machine is taken to have `FALLBACK_MACHINE_MEMORY`.
 */
import { formatBytes, InputError, message } from '../messages/core.js';

const GiB = 1024 ** 3;

/** Fraction of the machine's memory the default budget allows. */
export const MEMORY_FRACTION = 0.5;
/** Fraction of V8's heap limit that values on the JavaScript heap may take. */
export const HEAP_FRACTION = 0.75;
/** The machine's memory where it is not known (a browser): the default budget is then 4 GiB. */
export const FALLBACK_MACHINE_MEMORY = 8 * GiB;

/** Bytes of one float64. */
export const FLOAT_BYTES = 8;
/**
 * Float64 copies of the `|V| × D` unembedding a problem costs: as read (`init.U`), as compiled (`U₀`), the trained
 * `U` and one work array of its size (a gradient or an integrator stage; the integrators keep several more).
 */
export const UNEMBEDDING_COPIES = 4;
/** Bytes per vocabulary token of the per-token index arrays (token classes: class id, multiplicity, representative). */
export const TOKEN_BYTES = 16;
/** Float64 copies of each hidden vector: the representation table and the compiled matrix `H`. */
export const HIDDEN_COPIES = 2;
/** Bytes per hidden vector besides its numbers: its typed-array object and its (prompt, prefix) key. */
export const ROW_OVERHEAD_BYTES = 256;
/**
 * Bytes per number a trajectory reports (a margin of one pair or the loss, at one time): a double in a JavaScript
 * array, and its JSON text (about 22 characters) as a string and as bytes being written.
 */
export const TRAJECTORY_NUMBER_BYTES = 64;

let machineMemory = FALLBACK_MACHINE_MEMORY;
let heapLimit = Infinity;
let limit: number | undefined;

/** Tells the budget the machine's memory and V8's heap limit, in bytes (`io/memory.ts` does this under Node). */
export function setMachineMemory(total: number, heap = Infinity): void {
  if (Number.isFinite(total) && total > 0) machineMemory = total;
  if (heap > 0) heapLimit = heap;
}

/** Sets the budget in bytes (`--max-memory`); `undefined` restores the default derived from the machine. */
export function setMemoryBudget(bytes: number | undefined): void {
  limit = bytes;
}

/** The budget in bytes: `setMemoryBudget`'s, else `MEMORY_FRACTION` of the machine's memory. */
export function memoryBudget(): number {
  return limit ?? Math.floor(MEMORY_FRACTION * machineMemory);
}

/** The budget for values on the JavaScript heap: the budget, at most `HEAP_FRACTION` of V8's heap limit. */
export function heapBudget(): number {
  return Math.min(memoryBudget(), Math.floor(HEAP_FRACTION * heapLimit));
}

/**
 * Throws an `InputError` naming `where` (a file or option) and `entry` (the field) when `need` bytes exceed the
 * budget (`heap`: the heap budget). `what` says in words what would be allocated, e.g. `|V| = 1e9 tokens × D = 2`.
 * A `need` that is not a finite number counts as too much.
 */
export function checkMemory(need: number, where: string, entry: string, what: string, opts: { heap?: boolean } = {}): void {
  const budget = opts.heap ? heapBudget() : memoryBudget();
  if (!(need <= budget)) throw new InputError(message.overBudget(where, entry, what, need, budget));
}

/** Bytes a problem of `vocab` tokens, dimension `dim` and `rows` hidden vectors needs to be read, compiled and trained (leading terms). */
export function problemBytes(vocab: number, dim: number, rows: number): number {
  return FLOAT_BYTES * (UNEMBEDDING_COPIES * vocab * dim + HIDDEN_COPIES * rows * dim) + TOKEN_BYTES * vocab + ROW_OVERHEAD_BYTES * rows;
}

/** Bytes per vocabulary token of a list of all token ids (drawing tokens without replacement). */
export const TOKEN_LIST_BYTES = 8;

/** Bytes a trajectory of `times` requested times with `numbersPerTime` reported numbers each needs. */
export function trajectoryBytes(times: number, numbersPerTime: number): number {
  return TRAJECTORY_NUMBER_BYTES * times * numbersPerTime;
}

/** One input number that an estimate depends on: its name as the user wrote it, its value and its default. */
export interface Demand {
  field: string;
  value: number;
  default: number;
}

/** The input furthest above its default (by ratio): the one to name when an estimate is over the budget. */
export function largestDemand(demands: readonly Demand[]): Demand {
  return demands.reduce((a, b) => (b.value / b.default > a.value / a.default ? b : a));
}

/** `--vocab 1000000000 (with --dim 32, --pairs 32)`: an estimate's inputs in words, the named one first. */
export function describeDemands(demands: readonly Demand[], named: Demand): string {
  const others = demands.filter((d) => d !== named).map((d) => `${d.field} ${d.value}`);
  return `${named.field} ${named.value}` + (others.length ? ` (with ${others.join(', ')})` : '');
}

/**
 * `checkMemory` for an estimate that depends on several inputs: the error names the one furthest above its default
 * (`largestDemand`). `place(field)` gives where and at which entry a field is reported (`['--vocab', '']` for an
 * option, `['probe', 'vocab']` for a probe parameter); `what` names the thing built, e.g. `a multi-token problem`.
 */
export function checkDemands(need: number, demands: readonly Demand[], place: (field: string) => [string, string], what: string): void {
  const named = largestDemand(demands);
  const [where, entry] = place(named.field);
  checkMemory(need, where, entry, `${what} of ${describeDemands(demands, named)}`);
}

/**
 * Parses a memory size: a decimal number of bytes, or one followed by K, M, G or T (powers of 1024; an optional `i`
 * and `B` are ignored: `8G`, `8GiB`, `512MB`). Returns NaN for anything else, and for sizes that are not positive.
 */
export function parseMemorySize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:e\+?(\d+))?\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) return NaN;
  const unit = m[3] ? 1024 ** ('kmgt'.indexOf(m[3].toLowerCase()) + 1) : 1;
  const bytes = Math.floor(Number(m[1]) * 10 ** Number(m[2] ?? 0) * unit);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : NaN;
}

/** The budget as text, e.g. `11.8 GiB`. */
export function formatBudget(): string {
  return formatBytes(memoryBudget());
}
