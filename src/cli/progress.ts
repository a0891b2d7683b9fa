/**
 * A progress bar for one training run (`imrm flow`) on stderr, shown only when stderr is a terminal (as `imrm sweep`
 * does) and only once the run has lasted `delayMs`, so quick runs print nothing. Gradient flow advances in
 * logarithmic time (the integrator's steps per decade of t are about constant), so its bar fills with
 * ln(1 + t)/ln(1 + t_end); gradient descent and Adam take equal steps in t, so theirs fills with t/t_end.
 * cli-progress is loaded only when a bar can be shown.
 */
import type { Method } from '../core.js';
import { formatNumber } from './common.js';

export interface TimeProgress {
  update(t: number, tEnd: number): void;
  stop(): void;
}

/** Bar resolution: the bar's value runs 0 … STEPS. */
const STEPS = 1000;

/** Fraction of a run done at time `t` of `tEnd` (see the file comment). */
export function progressFraction(method: Method, t: number, tEnd: number): number {
  if (!(tEnd > 0)) return 1;
  const f = method === 'flow' ? Math.log1p(t) / Math.log1p(tEnd) : t / tEnd;
  return Math.min(1, Math.max(0, f));
}

/** The bar for a run to `tEnd`, or undefined when `stream` is not a terminal. */
export async function timeProgress(stream: NodeJS.WriteStream, method: Method, tEnd: number, delayMs = 500): Promise<TimeProgress | undefined> {
  if (!stream.isTTY) return undefined;
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream,
    format: `${method} [{bar}] {percentage}% | t = {t} of ${formatNumber(tEnd)} | elapsed {duration_formatted} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  const started = performance.now();
  let shown = false;
  return {
    update: (t) => {
      const value = Math.round(STEPS * progressFraction(method, t, tEnd));
      if (!shown && performance.now() - started >= delayMs) {
        shown = true;
        bar.start(STEPS, value, { t: formatNumber(t) });
      } else if (shown) bar.update(value, { t: formatNumber(t) });
    },
    stop: () => {
      if (shown) bar.stop();
    },
  };
}
