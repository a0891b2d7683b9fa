import type { Command } from 'commander';
import { ALL_CLAIM_CHECKS, runChecks, type CheckRow, InputError, cliMessages } from '../index.js';
import { addOption, displayWidth, formatNumber, parseInteger, VerdictFailure, wrap, type RawOptions } from './common.js';

/** Width of `imrm check`'s table, in terminal columns: statements and measurement names wrap to fit it. */
export const CHECK_TABLE_WIDTH = 100;

/** Parses `imrm check`'s options: `--claims` among the known claims, `--seeds` a decimal integer >= 1. */
export function checkOptions(o: RawOptions): { claims?: string[]; seeds: number; json: boolean } {
  const seeds = parseInteger('--seeds', o.seeds ?? '20', 1);
  const known = ALL_CLAIM_CHECKS.map((c) => c.claim);
  if (o.claims === undefined) return { seeds, json: o.json === true };
  const claims = String(o.claims)
    .split(',')
    .map((s) => s.trim());
  if (typeof o.claims !== 'string' || claims.some((c) => !known.includes(c))) throw new InputError(cliMessages.unknownClaims('--claims', String(o.claims), known));
  return { claims, seeds, json: o.json === true };
}

export function registerCheck(program: Command): void {
  const cmd = program.command('check').description("run the numerical checks of docs/theory.md's claims on seeded random instances; exit 1 if any fails");
  addOption(cmd, '--claims <list>', `comma-separated claims among ${ALL_CLAIM_CHECKS.map((c) => c.claim).join(',')}`, { defaultText: 'all' });
  addOption(cmd, '--seeds <n>', 'random instances per claim (seeds 0 … n−1), an integer >= 1', { defaultValue: '20' });
  addOption(cmd, '--json', 'print the results as JSON instead of a table');
  cmd.action(async (o: RawOptions) => {
    const { claims, seeds, json } = checkOptions(o);
    const checks = ALL_CLAIM_CHECKS.filter((c) => !claims || claims.includes(c.claim));
    const bar = process.stderr.isTTY && !json ? new (await import('cli-progress')).SingleBar({ format: 'checking claim {claim} [{bar}] {value}/{total} instances | ETA {eta_formatted}', hideCursor: true }) : undefined;
    bar?.start(checks.length * seeds, 0, { claim: checks[0]?.claim ?? '' });
    const t0 = performance.now();
    let lastLine = 0;
    const rows = await runChecks(checks, seeds, (done, total, claim) => {
      bar?.update(done, { claim });
      if (!bar && !json && performance.now() - lastLine > 2000) {
        lastLine = performance.now();
        process.stderr.write(`checked ${done}/${total} instances (claim ${claim})\n`);
      }
    });
    bar?.stop();
    const seconds = (performance.now() - t0) / 1000;
    const failed = rows.filter((r) => !r.pass).length;
    if (json) console.log(JSON.stringify({ seeds, seconds, passed: failed === 0, rows }, null, 2));
    else {
      console.log(checkTable(rows));
      console.log(`\n${rows.length - failed}/${rows.length} checks pass on ${seeds} seeds per claim, ${seconds.toFixed(1)} s`);
    }
    if (failed > 0) throw new VerdictFailure(`${failed} check(s) failed`);
  });
}

/**
 * One block per claim: its statement, then one row per measurement (name, worst value over the seeds, tolerance,
 * verdict). Statements and names are wrapped so that no line is wider than `width` terminal columns.
 */
export function checkTable(rows: readonly CheckRow[], maxWidth = CHECK_TABLE_WIDTH): string {
  // Combining marks (the bar of z̄) take no column but are characters: lay out that many columns narrower, so that
  // each line stays within `maxWidth` however it is counted, and the columns still line up on screen.
  const marks = Math.max(0, ...rows.flatMap((r) => [r.name, r.statement].map((t) => [...t].length - displayWidth(t))));
  const width = maxWidth - marks;
  const header = ['claim / measurement', 'worst over seeds', 'tolerance', 'verdict'];
  const cells = rows.map((r) => [formatNumber(r.worst), `${r.bound === 'upper' ? '≤' : '≥'} ${formatNumber(r.tolerance)}`, r.pass ? 'PASS' : 'FAIL']);
  const w = [1, 2, 3].map((j) => Math.max(displayWidth(header[j]!), ...cells.map((c) => displayWidth(c[j - 1]!))));
  const nameWidth = width - w.reduce((a, b) => a + b + 2, 0);
  const right = (c: readonly string[]): string => c.map((x, j) => ' '.repeat(w[j]! - displayWidth(x)) + x).join('  ');
  const left = (s: string): string => s + ' '.repeat(Math.max(0, nameWidth - displayWidth(s)));
  const out = [`${left(header[0]!)}  ${right(header.slice(1))}`, '-'.repeat(width)];
  let claim = '';
  rows.forEach((r, i) => {
    if (r.claim !== claim) {
      claim = r.claim;
      out.push(...wrap(`Claim ${r.claim}: ${r.statement}`, width, 2));
    }
    const [first, ...rest] = wrap(r.name, nameWidth - 2, 2).map((l) => `  ${l}`);
    out.push(`${left(first!)}  ${right(cells[i]!)}`, ...rest);
  });
  return out.join('\n');
}
