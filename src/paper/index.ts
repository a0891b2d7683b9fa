/**
 * The paper map: `imrm paper` runs every entry and prints one row per result of the paper the toolkit reproduces
 * (JSON format `imrm-paper/1`). See `entry.ts` for what an entry is and `entries.ts` for the list.
 */
import type { PaperEntry, PaperRow } from './entry.js';

export { PAPER_ENTRIES } from './entries.js';
export type { PaperEntry, PaperOutcome, PaperRow } from './entry.js';

export const PAPER_FORMAT = 'imrm-paper/1';

/** The JSON document `imrm paper --json` prints. */
export interface PaperReport {
  format: typeof PAPER_FORMAT;
  rows: PaperRow[];
  passed: boolean;
  seconds: number;
}

/** Runs the entries in order (each on its built-in instance) and collects their rows. */
export async function runPaper(entries: readonly PaperEntry[], onEntry?: (done: number, total: number, item: string) => void): Promise<PaperReport> {
  const t0 = performance.now();
  const rows: PaperRow[] = [];
  for (const e of entries) {
    const o = await e.run();
    rows.push({ item: e.item, paper: e.paper, ours: o.ours, figure: e.figure, pass: o.pass });
    onEntry?.(rows.length, entries.length, e.item);
  }
  return { format: PAPER_FORMAT, rows, passed: rows.every((r) => r.pass), seconds: (performance.now() - t0) / 1000 };
}
