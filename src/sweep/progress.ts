/**
 * Progress output of a sweep, on stderr: a cli-progress bar with ETA when stderr is a terminal, otherwise (Slurm
 * logs, pipes) one plain line every `intervalMs` and a last one at the end.
 */
import { SingleBar } from 'cli-progress';

export const PROGRESS_DISPLAYS = { auto: 'bar on a terminal, lines otherwise', bar: 'progress bar', lines: 'periodic lines', none: 'silent' } as const;
export type ProgressDisplay = keyof typeof PROGRESS_DISPLAYS;
export const isProgressDisplay = (value: string): value is ProgressDisplay => Object.hasOwn(PROGRESS_DISPLAYS, value);

export interface ProgressView {
  update(done: number): void;
  stop(done: number): void;
}

export interface ProgressViewOptions {
  display: ProgressDisplay;
  name: string;
  /** Runs to do in this invocation (runs already in the output file excluded). */
  total: number;
  /** Runs found already done in the output file. */
  skipped: number;
  /** Period of the plain lines. @default 10000 */
  intervalMs?: number;
  stream?: NodeJS.WriteStream;
}

export function createProgressView(options: ProgressViewOptions): ProgressView {
  const stream = options.stream ?? process.stderr;
  const display = options.display === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : options.display;
  if (display === 'none' || options.total === 0) return { update: () => {}, stop: () => {} };
  if (display === 'bar') {
    const bar = new SingleBar({
      stream,
      format: `${options.name} [{bar}] {value}/{total} runs | {percentage}% | elapsed {duration_formatted} | ETA {eta_formatted}`,
      etaBuffer: 50,
      hideCursor: true,
    });
    bar.start(options.total, 0);
    return { update: (done) => bar.update(done), stop: (done) => (bar.update(done), bar.stop()) };
  }
  const start = Date.now();
  let done = 0;
  const print = (): void => {
    stream.write(`${progressLine(options.name, done, options.total, options.skipped, Date.now() - start)}\n`);
  };
  const timer = setInterval(print, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    update: (value) => void (done = value),
    stop: (value) => {
      done = value;
      clearInterval(timer);
      print();
    },
  };
}

/** `sweep-name: 120/1000 runs (12.0%), 30 already done, elapsed 1m 03s, ETA 7m 42s` */
export function progressLine(name: string, done: number, total: number, skipped: number, elapsedMs: number): string {
  const eta = estimateRemainingMs(done, total, elapsedMs);
  const percent = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
  const already = skipped > 0 ? `, ${skipped} already done` : '';
  return `${name}: ${done}/${total} runs (${percent}%)${already}, elapsed ${formatDuration(elapsedMs)}, ETA ${
    eta === undefined ? '?' : formatDuration(eta)
  }`;
}

/** Remaining time at the average pace so far; undefined before the first run finishes. */
export function estimateRemainingMs(done: number, total: number, elapsedMs: number): number | undefined {
  return done > 0 ? (elapsedMs / done) * (total - done) : undefined;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${s % 60}s`;
}
