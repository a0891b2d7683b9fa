/**
 * Running a sweep: resumable, parallel on worker threads, shardable across machines.
 *
 *   sweep file ──spec.ts──▶ run list ──(shard i/n)──▶ runs not yet in --out ──pool.ts──▶ workers ──▶ one line per run
 *
 * Every finished run is appended to the output file (JSON Lines, see `lines.ts`) as soon as it finishes. Starting
 * again with the same sweep and output file skips the runs that have a complete line, so an interrupted sweep
 * (Ctrl-C, a crash, a Slurm time limit, `kill -9`) is resumed simply by running the same command again.
 *
 * **Write and resume guarantee.** A single writer, in the main thread, appends each line with one `writeSync` of the
 * complete line, newline last, on a descriptor opened with `O_APPEND` (looping only if the kernel accepts fewer bytes,
 * which it does for a regular file only on a full disk or a signal mid-write).
 * - Process death (SIGKILL, OOM killer, exception, time limit): a line whose `writeSync` returned is in the kernel's
 *   page cache and survives the process. At most the line being written is torn: it lacks its final newline, so it
 *   never counts as done; on the next start it is truncated away (and the truncation fsync'ed) before anything is
 *   appended, and its run is redone. Lines are never duplicated or lost, only the interrupted run is repeated.
 * - Machine crash or power loss: data is `fdatasync`'ed at most every `syncIntervalMs` (default 1 s) and on
 *   completion, so at most the runs of the last second are lost — and redone on resume — while what remains is a
 *   prefix of complete lines plus at most a torn tail.
 * - One process per output file: `runSweep` holds `<out>.lock` (see `lock.ts`) from before it reads the file until it
 *   returns, so a second sweep on the same `--out` is refused (an `InputError` naming the holder's pid) instead of
 *   duplicating every run; a lock left by a killed process is taken over. Shards write their own files and are joined
 *   by `mergeShards`.
 * - Nothing is created before the first run finishes: every parameter is validated against the cell's schema in the
 *   main thread first, and the output file is opened on the first line, so a sweep that fails leaves no empty file.
 *
 * **Slurm job array** (10 tasks, one shard each, each on all cores of its node; resubmitting the same array after a
 * time-out resumes every shard where it stopped):
 * ```sh
 * #!/bin/bash
 * #SBATCH --array=0-9 --cpus-per-task=16 --time=04:00:00
 * imrm sweep margins.sweep.json --shard $SLURM_ARRAY_TASK_ID/10 --out shard-$SLURM_ARRAY_TASK_ID.jsonl \
 *   --workers $SLURM_CPUS_PER_TASK
 * ```
 * then, once all tasks are done: `imrm merge shard-*.jsonl --out margins.jsonl`.
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileSystemError } from '../io/atomic.js';
import { InputError, message } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import { formatSweepLine, recoverSweepFile, type SweepLine } from './lines.js';
import { runPool } from './pool.js';
import { createProgressView, estimateRemainingMs, type ProgressDisplay } from './progress.js';
import { acquireOutputLock } from './lock.js';
import { loadCells, resolveCell } from './registry.js';
import { expandRuns, isShard, parseSweepSpec, readSweepSpec, shardRuns, type Shard, type SweepRun, type SweepSpec } from './spec.js';

export interface RunSweepOptions {
  /** The sweep, parsed, or the path of its file. */
  spec: SweepSpec | string;
  /** Output file (JSON Lines); created with its directory if missing, resumed if present. */
  out: string;
  /** Absolute module specifier (`file:` URL) of the module that registers the cells (see `registry.ts`). */
  cellsModule: string;
  /** Worker threads. @default os.availableParallelism() */
  workers?: number;
  /** Run only shard `index` of `count` (runs whose position mod `count` is `index`). @default all runs */
  shard?: Shard;
  /** Called in the main thread after each run's line is written. */
  onProgress?: (progress: SweepProgress) => void;
  /** Progress output on stderr. @default 'auto' (a bar on a terminal, a line every 10 s otherwise) */
  display?: ProgressDisplay;
  /** Longest time between two `fdatasync`s of the output (0: after every line). @default 1000 */
  syncIntervalMs?: number;
}

export interface SweepProgress {
  /** Runs finished in this invocation. */
  done: number;
  /** Runs to do in this invocation. */
  total: number;
  /** Runs of the shard found already done in the output file. */
  skipped: number;
  elapsedMs: number;
  /** Remaining time at the average pace so far. */
  etaMs: number;
  /** The line just written. */
  line: SweepLine;
}

export interface SweepReport {
  /** Runs in the shard (all runs if unsharded). */
  runs: number;
  /** Of those, found already done in the output file. */
  skipped: number;
  /** Of those, run now. */
  ran: number;
  /** Bytes of a torn last line cut off the output file before resuming (0 if it ended cleanly). */
  tornBytes: number;
  wallMs: number;
}

/** Runs the runs of `spec` (or of its shard) that `out` does not hold yet, and appends their lines to `out`. */
export async function runSweep(options: RunSweepOptions): Promise<SweepReport> {
  const started = performance.now();
  const source = typeof options.spec === 'string' ? options.spec : `sweep "${options.spec.name}"`;
  // A spec built in code is validated like a file: `source` names it in messages.
  const spec = typeof options.spec === 'string' ? readSweepSpec(options.spec) : parseSweepSpec(options.spec, source);
  const workers = options.workers ?? os.availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1) throw new InputError(sweepMessages.badWorkers('workers', workers));
  const shard = options.shard;
  if (shard && !isShard(shard)) throw new InputError(sweepMessages.badShard('shard', `${shard.index}/${shard.count}`));

  const runs = expandRuns(spec);
  const mine = shard ? shardRuns(runs, shard) : runs;
  await loadCells(options.cellsModule);
  resolveCell(spec, source);

  const release = acquireOutputLock(options.out);
  try {
    return await runLocked(spec, runs, mine, workers, options, started);
  } finally {
    release();
  }
}

/** The part of `runSweep` that reads and appends the output file, under its lock. */
async function runLocked(spec: SweepSpec, runs: readonly SweepRun[], mine: readonly SweepRun[], workers: number, options: RunSweepOptions, started: number): Promise<SweepReport> {
  const existing = recoverSweepFile(options.out);
  const byId = new Map(runs.map((run) => [run.runId, run]));
  const done = new Set<string>();
  existing.lines.forEach((line, i) => {
    if (byId.get(line.runId)?.index !== line.index) {
      throw new InputError(sweepMessages.foreignLine(options.out, existing.lineNumbers[i] as number, line.runId));
    }
    done.add(line.runId);
  });
  const todo = mine.filter((run) => !done.has(run.runId));
  const skipped = mine.length - todo.length;
  let finished = 0;
  const report = (): SweepReport => ({
    runs: mine.length,
    skipped,
    ran: finished,
    tornBytes: existing.tornBytes,
    wallMs: performance.now() - started,
  });
  if (todo.length === 0) return report();

  const writer = new LineWriter(options.out, options.syncIntervalMs ?? 1000);
  const view = createProgressView({ display: options.display ?? 'auto', name: spec.name, total: todo.length, skipped });
  const poolStarted = performance.now();
  try {
    await runPool(todo, { cellsModule: options.cellsModule, kind: spec.cell, workers }, (run: SweepRun, result, ms) => {
      const line: SweepLine = { runId: run.runId, index: run.index, params: run.params, seed: run.seed, result, ms };
      writer.append(formatSweepLine(line));
      finished++;
      view.update(finished);
      if (options.onProgress) {
        const elapsedMs = performance.now() - poolStarted;
        const etaMs = estimateRemainingMs(finished, todo.length, elapsedMs) as number;
        options.onProgress({ done: finished, total: todo.length, skipped, elapsedMs, etaMs, line });
      }
    });
  } finally {
    writer.close();
    view.stop(finished);
  }
  return report();
}

/** The single appender of an output file (see "Write and resume guarantee" above). */
class LineWriter {
  /** Opened on the first line, so that a sweep whose every run fails leaves no empty file behind. */
  private fd: number | undefined;
  private lastSync = performance.now();

  constructor(
    private readonly file: string,
    private readonly syncIntervalMs: number,
  ) {}

  private open(): number {
    const directory = path.dirname(path.resolve(this.file));
    mkdirSync(directory, { recursive: true });
    const created = !existsSync(this.file);
    let fd: number;
    try {
      fd = openSync(this.file, 'a');
    } catch (error) {
      throw new InputError(sweepMessages.cannotRead(this.file, (error as Error).message));
    }
    if (created) syncDirectory(directory);
    return fd;
  }

  append(text: string): void {
    this.fd ??= this.open();
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      const now = performance.now();
      if (now - this.lastSync >= this.syncIntervalMs) {
        fdatasyncSync(this.fd);
        this.lastSync = now;
      }
    } catch (error) {
      throw fileSystemError(this.file, error, message.cannotAppend); // a full disk: exit 2 naming the file
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      throw fileSystemError(this.file, error, message.cannotAppend);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Makes a new file's directory entry durable (Linux; a no-op where directories cannot be opened). */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform: durability of the entry is then the file system's default.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
