/**
 * The WebAssembly back end of the kernels: instantiates the SIMD module (built from `assembly/kernels.ts`), owns
 * its linear memory and a small allocator over it, and runs each kernel call on up to two threads.
 *
 * - **Memory.** With a shared memory (Node; browsers with cross-origin isolation) `alloc` hands out `Float64Array`
 *   views of the module's memory: operands the callers keep there (the IM-RM's packed prefixes, logits, the ODE
 *   state) are passed by address, no copy. A shared memory grows without detaching views. Any other array is copied
 *   into scratch space for the call (and results copied back), so correctness never depends on where an array
 *   lives; without a shared memory (a page that is not cross-origin isolated) every operand is copied.
 * - **Threads.** A second thread (started by an injected `ThreadStarter`: `node.ts` in Node) instantiates the same
 *   module on the same memory and waits on a control block: the calling thread posts the upper half of the
 *   output range, computes the lower half, and waits for the other (`Atomics`; spinning briefly before sleeping,
 *   since waking a sleeping thread costs ~10 µs). Small calls run on one thread.
 */
import { plainBase64, sharedBase64 } from './binary.generated.js';

/** Starts a second thread running `KERNEL_THREAD_SOURCE`'s `kernelThread(module, memory, control)`. */
export type ThreadStarter = (module: WebAssembly.Module, memory: WebAssembly.Memory, control: number) => void;

/**
 * The second thread's program, as source text (a Node `eval` worker and a browser Blob worker run it as is).
 * Control block (Int32 words): [0] state 0 idle / 1 job posted / 2 job done, [1] 1 once ready, [2] kernel id,
 * [3] argument count; arguments as float64 from byte 16.
 */
export const KERNEL_THREAD_SOURCE = `
function kernelThread(module, memory, control) {
  const inst = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('kernel abort'); } } });
  const fns = [inst.exports.gemmABt, inst.exports.gemmAtB, inst.exports.softmaxRows, inst.exports.gemmABtRows, inst.exports.softmaxCols];
  const I = new Int32Array(memory.buffer, control, 4);
  const F = new Float64Array(memory.buffer, control + 16, 12);
  Atomics.store(I, 1, 1);
  for (;;) {
    let v;
    for (let spin = 0; (v = Atomics.load(I, 0)) !== 1; spin++) if (spin > 20000) Atomics.wait(I, 0, v);
    const a = F.subarray(0, I[3]);
    fns[I[2]](...a);
    Atomics.store(I, 0, 2);
    Atomics.notify(I, 0);
  }
}`;

const KERNEL_ID = { gemmABt: 0, gemmAtB: 1, softmaxRows: 2, gemmABtRows: 3, softmaxCols: 4 } as const;
/** Below this many flops (or exp evaluations × 8) a call runs on one thread. */
const SPLIT_WORK = 400_000;
const ALIGN = 64;
const PAGE = 65536;

interface Exports {
  heapBase(): number;
  gemmABt(A: number, m: number, B: number, d: number, C: number, ldc: number, base: number, j0: number, j1: number): void;
  gemmAtB(P: number, ldp: number, s: number, m: number, A: number, d: number, G: number, j0: number, j1: number): void;
  softmaxRows(X: number, n: number, mult: number, lse: number, i0: number, i1: number): void;
  gemmABtRows(A: number, B: number, n: number, d: number, C: number, base: number, i0: number, i1: number): void;
  softmaxCols(X: number, ldx: number, n: number, mult: number, lse: number, scale: number, normalize: number, i0: number, i1: number): void;
  expArray(x: number, n: number, out: number): void;
}

/** First-fit allocator over the module's memory (byte addresses, 64-byte aligned blocks). */
class Heap {
  private readonly free: { ptr: number; size: number }[] = [];
  constructor(
    private readonly memory: WebAssembly.Memory,
    private top: number,
    private readonly onGrow: () => void,
  ) {}

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size < size) continue;
      const ptr = b.ptr;
      if (b.size === size) this.free.splice(i, 1);
      else (b.ptr += size), (b.size -= size);
      return ptr;
    }
    const need = this.top + size - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch {
        return -1;
      }
      this.onGrow();
    }
    const ptr = this.top;
    this.top += size;
    return ptr;
  }

  release(ptr: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let i = 0;
    while (i < this.free.length && this.free[i]!.ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, size });
    // coalesce with the neighbours; a block that ends at the top returns to it
    const next = this.free[i + 1];
    if (next && ptr + size === next.ptr) this.free.splice(i + 1, 1), (this.free[i]!.size += next.size);
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.size === ptr) prev.size += this.free[i]!.size, this.free.splice(i, 1), i--;
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.size === this.top) this.top = last.ptr, this.free.pop();
  }
}

/** An operand as the module sees it: its address, and how to copy it back when it was copied in. */
interface Operand {
  ptr: number;
  done(): void;
}

export class WasmKernels {
  readonly shared: boolean;
  private readonly memory: WebAssembly.Memory;
  private readonly module: WebAssembly.Module;
  private readonly exports: Exports;
  private readonly heap: Heap;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly blocks = new WeakMap<Float64Array, { ptr: number; bytes: number }>();
  private readonly registry: FinalizationRegistry<{ ptr: number; bytes: number }>;
  private readonly control: number;
  private readonly I: Int32Array;
  private readonly F: Float64Array;
  private threadState: 'none' | 'starting' = 'none';
  private canSleep = true;
  /** Scratch for `softmaxColumns`' scales when the caller wants none (one float64 per column). */
  private work: Float64Array | null = null;

  /** Throws when WebAssembly, SIMD or (with `shared`) shared memory is unavailable. */
  constructor(shared: boolean, private readonly starter: () => ThreadStarter | null) {
    const bytes = Uint8Array.from(atob(shared ? sharedBase64 : plainBase64), (c) => c.charCodeAt(0));
    this.shared = shared;
    this.module = new WebAssembly.Module(bytes);
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, ...(shared ? { shared: true } : {}) } as WebAssembly.MemoryDescriptor);
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory, abort: () => { throw new Error('kernel abort'); } } });
    this.exports = instance.exports as unknown as Exports;
    this.buffers.add(this.memory.buffer);
    this.heap = new Heap(this.memory, Math.ceil(this.exports.heapBase() / ALIGN) * ALIGN, () => this.buffers.add(this.memory.buffer));
    this.registry = new FinalizationRegistry((b) => this.heap.release(b.ptr, b.bytes));
    this.control = this.heap.alloc(128);
    this.I = new Int32Array(this.memory.buffer, this.control, 4);
    this.F = new Float64Array(this.memory.buffer, this.control + 16, 12);
  }

  /** A view of `n` float64s in the module's memory (shared memory only), else `null`. */
  alloc(n: number): Float64Array | null {
    if (!this.shared) return null;
    const bytes = Math.max(8, n * 8);
    const ptr = this.heap.alloc(bytes);
    if (ptr < 0) return null;
    const view = new Float64Array(this.memory.buffer, ptr, n);
    view.fill(0);
    this.blocks.set(view, { ptr, bytes });
    this.registry.register(view, { ptr, bytes }, view);
    return view;
  }

  /** Returns a view from `alloc` to the allocator now (else it returns when the view is garbage-collected). */
  release(view: Float64Array): void {
    const b = this.blocks.get(view);
    if (!b) return;
    this.blocks.delete(view);
    this.registry.unregister(view);
    this.heap.release(b.ptr, b.bytes);
  }

  /** Number of threads a large call runs on now (the second becomes ready a few ms after the first large call). */
  threads(): number {
    return this.shared && Atomics.load(this.I, 1) === 1 ? 2 : 1;
  }

  /**
   * `C = Base + A Bᵀ`. The longer operand is read once, in the outer loop, and split between the threads: `B`'s rows
   * (a few prefixes against the vocabulary) or, when `A` has more rows (the class-major layout), `A`'s.
   */
  gemmABt(A: Float64Array, m: number, B: Float64Array, n: number, d: number, C: Float64Array, base: Float64Array | null): void {
    this.call([A, B, base], [C], (a, b, bs, c) =>
      m > n ? this.run('gemmABtRows', [a!, b!, n, d, c!, bs ?? 0], m, 2 * m * n * d, 2) : this.run('gemmABt', [a!, m, b!, d, c!, n, bs ?? 0], n, 2 * m * n * d, 4),
    );
  }

  gemmAtB(P: Float64Array, s: Float64Array, m: number, n: number, A: Float64Array, d: number, G: Float64Array): void {
    this.call([P, s, A], [G], (p, sp, a, g) => this.run('gemmAtB', [p!, n, sp!, m, a!, d, g!], n, 2 * m * n * d, 2), true);
  }

  softmaxRows(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array): void {
    this.call([mult], [X, lse], (mp, x, l) => this.run('softmaxRows', [x!, n, mp!, l!], m, 8 * m * n, 1), true);
  }

  /** `softmaxRows` of `Xᵀ` (`X` is `n × m`, a row per token class): see `kernels.ts`' `softmaxColumns`. */
  softmaxColumns(X: Float64Array, m: number, n: number, mult: Float64Array, lse: Float64Array, scale: Float64Array | null): void {
    const normalize = scale === null;
    if (normalize) {
      if (!this.work || this.work.length < m) {
        if (this.work) this.release(this.work);
        this.work = this.alloc(m) ?? new Float64Array(m);
      }
    }
    const sc = scale ?? this.work!;
    this.call([mult], [X, lse, sc], (mp, x, l, s) => this.run('softmaxCols', [x!, m, n, mp!, l!, s!, normalize ? 1 : 0], m, 8 * m * n, 8), true);
  }

  /** `out = e^x` elementwise by the module's vector exp (a test hook). */
  exp(x: Float64Array, out: Float64Array): void {
    this.call([x], [out], (xp, o) => this.exports.expArray(xp!, x.length, o!));
  }

  /**
   * Runs `body` with the addresses of `inputs` then `outputs` (0 for a missing one), copying in whatever is not in
   * the module's memory and copying such outputs back. With `readOutputs`, outputs are inputs too.
   */
  private call(inputs: (Float64Array | null)[], outputs: Float64Array[], body: (...ptrs: (number | null)[]) => void, readOutputs = false): void {
    const all = [...inputs, ...outputs];
    const ptrs: (number | null)[] = [];
    const copies: { arr: Float64Array; ptr: number; out: boolean }[] = [];
    all.forEach((arr, k) => {
      if (!arr) return void ptrs.push(null);
      if (this.buffers.has(arr.buffer)) return void ptrs.push(arr.byteOffset);
      const ptr = this.heap.alloc(Math.max(8, arr.byteLength));
      if (ptr < 0) throw new RangeError(`kernel memory exhausted (${arr.byteLength} bytes more)`);
      ptrs.push(ptr);
      copies.push({ arr, ptr, out: k >= inputs.length });
    });
    // views only after every allocation: growing a plain memory detaches the views made before
    for (const c of copies) if (readOutputs || !c.out) new Float64Array(this.memory.buffer, c.ptr, c.arr.length).set(c.arr);
    try {
      body(...ptrs);
      for (const c of copies) if (c.out) c.arr.set(new Float64Array(this.memory.buffer, c.ptr, c.arr.length));
    } finally {
      for (const c of copies) this.heap.release(c.ptr, Math.max(8, c.arr.byteLength));
    }
  }

  /** Calls kernel `name` on the range [0, extent) of its split dimension, in two halves when it pays. */
  private run(name: keyof typeof KERNEL_ID, args: number[], extent: number, work: number, grain: number): void {
    const fn = this.exports[name] as (...a: number[]) => void;
    if (work < SPLIT_WORK || extent < 2 * grain || !this.shared) return fn(...args, 0, extent);
    if (this.threadState === 'none') {
      const start = this.starter();
      if (!start) return fn(...args, 0, extent);
      this.threadState = 'starting';
      start(this.module, this.memory, this.control);
    }
    if (Atomics.load(this.I, 1) !== 1) return fn(...args, 0, extent);
    const mid = Math.round(extent / 2 / grain) * grain;
    this.F.set(args);
    this.F[args.length] = mid;
    this.F[args.length + 1] = extent;
    this.I[2] = KERNEL_ID[name];
    this.I[3] = args.length + 2;
    Atomics.store(this.I, 0, 1);
    Atomics.notify(this.I, 0);
    fn(...args, 0, mid);
    for (let spin = 0; Atomics.load(this.I, 0) !== 2; spin++) {
      if (spin > 20000 && this.canSleep) {
        try {
          Atomics.wait(this.I, 0, 1, 1);
        } catch {
          this.canSleep = false; // a page's main thread may not block; keep spinning
        }
      }
    }
    Atomics.store(this.I, 0, 0);
  }
}
