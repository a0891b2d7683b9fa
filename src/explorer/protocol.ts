/** Messages between the page (`main.ts`) and the simulation worker (`worker.ts`). */
import type { ModelKind } from '../browser.js';
import type { Settings } from './settings.js';
import type { BenchmarkTiming, Chunk, ChunkCursor, RunInfo } from './simulate.js';

export type Request =
  /**
   * Run both models on an instance, from `cursors` if given (the chunks before them were computed by the page);
   * answered by `start`, `progress`…, `chunk`…, then `done` or `error`.
   */
  | { type: 'run'; id: number; settings: Settings; cursors?: ChunkCursor[] }
  /** Time the standard benchmark `reps` times; answered by `bench`. */
  | { type: 'bench'; id: number; reps: number };

export type Reply =
  | ({ type: 'start'; id: number } & RunInfo)
  | { type: 'progress'; id: number; model: ModelKind; t: number; horizon: number }
  | ({ type: 'chunk'; id: number } & Chunk)
  | { type: 'done'; id: number; ms: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'bench'; id: number; timings: BenchmarkTiming[] };
