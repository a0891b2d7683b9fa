import { describe, expect, it } from 'vitest';
import { createProgressView, estimateRemainingMs, formatDuration, progressLine } from '../../src/sweep/progress.js';

/** A non-terminal stream that records what is written. */
function recorder(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: false, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress output', () => {
  it('formats durations and the plain line with an ETA at the average pace', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(63_000)).toBe('1m 03s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
    expect(estimateRemainingMs(0, 10, 5)).toBeUndefined();
    expect(estimateRemainingMs(25, 100, 10_000)).toBe(30_000);
    expect(progressLine('s', 25, 100, 3, 10_000)).toBe('s: 25/100 runs (25.0%), 3 already done, elapsed 10s, ETA 30s');
    expect(progressLine('s', 0, 100, 0, 0)).toBe('s: 0/100 runs (0.0%), elapsed 0s, ETA ?');
  });

  it('prints plain lines when stderr is not a terminal, and a last one at the end', async () => {
    const stream = recorder();
    const view = createProgressView({ display: 'auto', name: 'study', total: 4, skipped: 0, intervalMs: 5, stream });
    view.update(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    view.stop(4);
    const lines = stream.text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^study: 1\/4 runs \(25\.0%\)/);
    expect(lines.at(-1)).toMatch(/^study: 4\/4 runs \(100\.0%\)/);
  });

  it('is silent with display "none"', () => {
    const stream = recorder();
    const view = createProgressView({ display: 'none', name: 'study', total: 4, skipped: 0, stream });
    view.update(2);
    view.stop(4);
    expect(stream.text).toBe('');
  });
});
