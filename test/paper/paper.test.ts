/**
 * `imrm paper`: every row of the paper map reproduces the paper's qualitative outcome on the built-in instances, the
 * figures it names exist, the rows that compare models fail when the models are swapped, and the CLI prints
 * `imrm-paper/1` JSON.
 */
import { describe, expect, it } from 'vitest';
import { FIGURES, PAPER_ENTRIES, runPaper, type PaperEntry } from '../../src/index.js';
import { ablationEntry, regimeEntry } from '../../src/paper/entries.js';
import { runCli } from '../helpers/cli.js';

describe('the paper map', { timeout: 240_000 }, () => {
  it('names every result once, and every figure it names is one of the toolkit\'s figures', () => {
    const items = PAPER_ENTRIES.map((e) => e.item);
    expect(new Set(items).size).toBe(items.length);
    for (const item of ['Theorem 1', 'Eq. 5', 'Theorem 2 (IM-RM)', 'Theorem 2 (EX-RM)', 'Persona table, paraphrased', 'real-world table, in-distribution', 'real-world table, token-level shift', 'real-world table, domain shift']) {
      expect(items.some((i) => i.startsWith(item)), item).toBe(true);
    }
    const names = new Set(FIGURES.map((f) => f.name));
    for (const e of PAPER_ENTRIES) expect(names.has(e.figure), `${e.item}: ${e.figure}`).toBe(true);
  });

  it('the real-world rows fail when the two models are swapped', async () => {
    for (const regime of ['in-distribution', 'token-level shift', 'domain shift'] as const) {
      expect((await regimeEntry(regime).run()).pass, regime).toBe(true);
      expect((await regimeEntry(regime, { swapModels: true }).run()).pass, `${regime}, swapped`).toBe(false);
    }
  });

  it('an ablation row fails when it predicts the wrong reliance', async () => {
    expect((await ablationEntry('im-noref', 'IM-RM without a reference distribution', true).run()).pass).toBe(true);
    expect((await ablationEntry('im-noref', 'IM-RM without a reference distribution', false).run()).pass).toBe(false);
    expect((await ablationEntry('gen', 'generative reward model', true).run()).pass).toBe(false);
  });

  it('runPaper: a failing entry makes the report fail', async () => {
    const failing: PaperEntry = { item: 'x', paper: 'y', figure: '', run: () => ({ ours: 'z', pass: false }) };
    const r = await runPaper([failing]);
    expect(r.passed).toBe(false);
    expect(r.rows).toEqual([{ item: 'x', paper: 'y', ours: 'z', figure: '', pass: false }]);
  });

  it('imrm paper --json: every row passes, in imrm-paper/1', () => {
    const r = runCli(['paper', '--json'], { timeout: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { format: string; rows: { item: string; paper: string; ours: string; figure: string; pass: boolean }[]; passed: boolean };
    expect(report.format).toBe('imrm-paper/1');
    expect(report.passed).toBe(true);
    expect(report.rows.length).toBe(PAPER_ENTRIES.length);
    for (const row of report.rows) {
      expect(Object.keys(row)).toEqual(['item', 'paper', 'ours', 'figure', 'pass']);
      expect(row.pass, `${row.item}: ${row.ours}`).toBe(true);
    }
  });
});
