/**
 * The hot numeric loops, on flat row-major `Float64Array`s with explicit dimensions (after stdlib's `ddot`).
 * Nothing here allocates per call; callers own every buffer. Everything above this module speaks in models and
 * pairs, and does not know which back end ran:
 *
 * - `wasm`: WebAssembly SIMD (`f64x2`) kernels built from `wasm/assembly/kernels.ts` by `npm run build`, on two
 *   threads where a second one can be started (Node's main thread; see `wasm/backend.ts`);
 * - `typescript`: plain loops (`tsKernels.ts`), where WebAssembly SIMD is missing or when asked for.
 *
 * The back end is chosen once, at the first kernel call (`useKernels` chooses explicitly). Both give the same
 * results to round-off (tested to 1e-12 relative). Arrays from `kernelArray` live in the WebAssembly memory when
 * it is shared, so the kernels read them in place; any other `Float64Array` works too (copied in for the call).
 *
 * Counters: `flops.count` (one multiply and one add = 2 flops; transcendental functions not counted) and, per
 * dense kernel, `kernelStats` (calls, flops, milliseconds), so benchmarks can report GFLOP/s.
 */
import * as ts from './tsKernels.js';
import { WasmKernels, type ThreadStarter } from './wasm/backend.js';
import { axpy, dot } from './vector.js';

export { axpy, dot };

export const KERNEL_BACKEND = {
  wasm: 'WebAssembly SIMD (f64x2), built from AssemblyScript; two threads on a shared memory where possible',
  typescript: 'plain TypeScript loops',
} as const;
export type KernelBackend = keyof typeof KERNEL_BACKEND;
export const isKernelBackend = (x: unknown): x is KernelBackend => typeof x === 'string' && Object.hasOwn(KERNEL_BACKEND, x);

export const flops = { count: 0 };

/**
 * What the kernels' time is charged to: the IM-RM's logits (`H·Uᵀ`), the softmax part of its gradient (`Pᵀ·H`),
 * and the softmax (log-sum-exp and probabilities).
 */
const KERNELS = ['logits', 'gradient', 'softmax'] as const;
export type KernelName = (typeof KERNELS)[number];
/** Per role: calls, flops (softmax: exp evaluations) and wall milliseconds inside the kernels. */
export const kernelStats: Record<KernelName, { calls: number; flops: number; ms: number }> = Object.fromEntries(
  KERNELS.map((k) => [k, { calls: 0, flops: 0, ms: 0 }]),
) as Record<KernelName, { calls: number; flops: number; ms: number }>;

export function resetKernelStats(): void {
  flops.count = 0;
  for (const k of KERNELS) Object.assign(kernelStats[k], { calls: 0, flops: 0, ms: 0 });
}

let threadStarter: ThreadStarter | null = null;
let wanted: KernelBackend | 'auto' = 'auto';
let wasm: WasmKernels | null | undefined; // undefined: not loaded yet; null: failed to load

/** Lets kernel calls use a second thread (Node's adapter `wasm/node.ts` registers one; `null` turns it off). */
export function setKernelThreadStarter(start: ThreadStarter | null): void {
  threadStarter = start;
}

/** Chooses the back end: `auto` (the default) takes WebAssembly when it loads. Returns the one now in use. */
export function useKernels(kind: KernelBackend | 'auto'): KernelBackend {
  wanted = kind;
  return kernelInfo().backend;
}

function backend(): WasmKernels | null {
  if (wanted === 'typescript') return null;
  if (wasm === undefined) {
    wasm = null;
    const shared = typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
    for (const s of shared ? [true, false] : [false]) {
      try {
        wasm = new WasmKernels(s, () => threadStarter);
        break;
      } catch {
        // no SIMD, no shared memory: try the next, else the TypeScript kernels
      }
    }
  }
  if (!wasm && wanted === 'wasm') throw new Error('the WebAssembly SIMD kernels do not load in this engine');
  return wasm;
}

/** Which back end runs, whether its memory is shared, and on how many threads a large call runs right now. */
export function kernelInfo(): { backend: KernelBackend; sharedMemory: boolean; threads: number } {
  const w = backend();
  return w ? { backend: 'wasm', sharedMemory: w.shared, threads: w.threads() } : { backend: 'typescript', sharedMemory: false, threads: 1 };
}

/** A zeroed `Float64Array` of length `n` that the kernels read in place (in the WebAssembly memory when shared). */
export function kernelArray(n: number): Float64Array {
  return backend()?.alloc(n) ?? new Float64Array(n);
}

/** Gives a `kernelArray` back now, rather than when it is garbage-collected; the array must not be used after. */
export function releaseKernelArray(a: Float64Array): void {
  if (wasm) wasm.release(a);
}

function timed(name: KernelName, work: number, f: () => void): void {
  const t0 = performance.now();
  f();
  const s = kernelStats[name];
  s.ms += performance.now() - t0;
  s.calls++;
  s.flops += work;
}

/**
 * `C[i, j] = Base[i, j] + <A[i, :], B[j, :]>` for `i < m`, `j < n` (no `Base` when `base` is null; `C` must not be
 * `Base`): e.g. the logits of `m` packed prefix representations (`A`, `m × d`) against every (token-class) row of the
 * unembedding (`B`, `n × d`), or the same transposed. `role` says what the time is charged to in `kernelStats`.
 */
export function gemmABt(A: Float64Array, m: number, B: Float64Array, n: number, d: number, C: Float64Array, base: Float64Array | null = null, role: KernelName = 'logits'): void {
  const w = backend();
  timed(role, 2 * m * n * d, () => (w ? w.gemmABt(A, m, B, n, d, C, base) : ts.gemmABt(A, m, B, n, d, C, base)));
  flops.count += 2 * m * n * d;
}

/**
 * `G[j, :] += Σ_{i<m} s_i P[i, j] A[i, :]` for `j < n`: the dense part of the unembedding gradient,
 * `(diag(s) P)ᵀ A`, with `P` `m × n`, row scales `s`, `A` `m × d` and `G` `n × d`.
 */
export function gemmAtB(P: Float64Array, s: Float64Array, m: number, n: number, A: Float64Array, d: number, G: Float64Array): void {
  const w = backend();
  timed('gradient', 2 * m * n * d, () => (w ? w.gemmAtB(P, s, m, n, A, d, G) : ts.gemmAtB(P, s, m, n, A, d, G)));
  flops.count += 2 * m * n * d;
}

/**
 * Log-sum-exp of each row of `X` (`m × n`) with class multiplicities `mult` (a class of `mult[j]` tokens sharing
 * one logit contributes `mult[j]·e^{x_j}`): `lse[i] = ln Σ_j mult[j] e^{X[i,j]}`, max-shifted so nothing overflows.
 * Overwrites `X` with the per-member probabilities `e^{X[i,j] − lse[i]}` (the softmax), which the gradient needs.
 */
export function softmaxRows(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array): void {
  const w = backend();
  timed('softmax', m * n, () => (w ? w.softmaxRows(X, m, n, mult, lse) : ts.softmaxRows(X, m, n, mult, lse)));
}

/**
 * `softmaxRows` of `Xᵀ`, in place: `X` is `n × m` (a row per token class, a column per prefix), `lse[i]` the
 * log-sum-exp of column `i` with multiplicities `mult` (one per row). Without `scale`, `X` is overwritten with the
 * softmax. With `scale` (`m` entries), one pass fewer: `X[j, i]` becomes `e^{X[j, i] − max_j}` and `scale[i]` the
 * factor that makes it the softmax (the reciprocal of the column's weighted sum), for callers that can fold a
 * per-column factor into what they do next.
 */
export function softmaxColumns(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array, scale: Float64Array | null = null): void {
  const w = backend();
  timed('softmax', m * n, () => (w ? w.softmaxColumns(X, m, n, mult, lse, scale) : ts.softmaxColumns(X, m, n, mult, lse, scale)));
}

/** `out[i] = e^{x[i]}` by the back end's exp (WebAssembly's vector exp, or `Math.exp`). */
export function expInto(x: Float64Array, out: Float64Array): void {
  const w = backend();
  if (w) w.exp(x, out);
  else for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
}

/** `C[i, j] = <A[rowsA[i], :], B[j, :]>`: `gemmABt` on the selected rows of `A` (gathered first). */
export function gemmRowsABt(A: Float64Array, rowsA: Int32Array, m: number, B: Float64Array, n: number, d: number, C: Float64Array): void {
  const packed = new Float64Array(m * d);
  for (let i = 0; i < m; i++) packed.set(A.subarray(rowsA[i]! * d, (rowsA[i]! + 1) * d), i * d);
  gemmABt(packed, m, B, n, d, C);
}

/** `softmaxRows` under its former name: `out[i]` the log-sum-exp of row `i`, `X` overwritten with the softmax. */
export function logSumExpRowsToSoftmax(X: Float64Array, m: number, n: number, mult: Float64Array, out: Float64Array): void {
  softmaxRows(X, m, n, mult, out);
}

/** `σ(−m) = 1 / (1 + e^{m})`, stable for either sign of `m`. */
export function sigmoidNeg(m: number): number {
  if (m >= 0) {
    const e = Math.exp(-m);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(m));
}

/** `ln(1 + e^{−m})`, stable for either sign of `m` (softplus of −m). */
export function softplusNeg(m: number): number {
  return m >= 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}
