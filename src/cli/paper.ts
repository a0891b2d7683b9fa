import type { Command } from 'commander';
import { PAPER_ENTRIES, runPaper, type PaperRow } from '../index.js';
import { displayWidth, VerdictFailure, wrap } from './common.js';

export function registerPaper(program: Command): void {
  program
    .command('paper')
    .description("the paper in its own terms: one row per result of the paper the toolkit reproduces (its item, its number, ours, the figure, PASS/FAIL); exit 1 if a row fails")
    .option('--json', 'print the rows as JSON (format imrm-paper/1)')
    .action(async (o: { json?: boolean }) => {
      const report = await runPaper(PAPER_ENTRIES, (done, total, item) => {
        if (!o.json && process.stderr.isTTY) process.stderr.write(`\r\x1b[K[${done}/${total}] ${item}`);
      });
      if (!o.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (o.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(paperTable(report.rows));
        const failed = report.rows.filter((r) => !r.pass).length;
        console.log(`\n${report.rows.length - failed}/${report.rows.length} results of the paper reproduced (qualitative outcome), ${report.seconds.toFixed(1)} s`);
      }
      if (!report.passed) throw new VerdictFailure(`${report.rows.filter((r) => !r.pass).length} result(s) of the paper not reproduced`);
    });
}

/** Column widths of the paper table: 98 characters with the separators. */
const WIDTH = { paper: 34, ours: 38, figure: 16, verdict: 4 } as const;

/** One block of wrapped cells per row: the paper's item and statement, ours, the figure, the verdict. */
export function paperTable(rows: readonly PaperRow[]): string {
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  const header = [pad("the paper's result", WIDTH.paper), pad('the toolkit (built-in instance)', WIDTH.ours), pad('figure', WIDTH.figure), 'pass'].join('  ');
  const rule = [WIDTH.paper, WIDTH.ours, WIDTH.figure, WIDTH.verdict].map((w) => '-'.repeat(w)).join('  ');
  const out = [header, rule];
  for (const r of rows) {
    const cells = [
      [...wrap(r.item, WIDTH.paper), ...wrap(r.paper, WIDTH.paper - 2).map((l) => `  ${l}`)],
      wrap(r.ours, WIDTH.ours),
      wrap(r.figure.replaceAll('-', '- ').trim(), WIDTH.figure).map((l) => l.replaceAll('- ', '-')),
      [r.pass ? 'PASS' : 'FAIL'],
    ];
    const n = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < n; i++) out.push([pad(cells[0]![i] ?? '', WIDTH.paper), pad(cells[1]![i] ?? '', WIDTH.ours), pad(cells[2]![i] ?? '', WIDTH.figure), cells[3]![i] ?? ''].join('  ').trimEnd());
    out.push('');
  }
  return out.join('\n').trimEnd();
}
