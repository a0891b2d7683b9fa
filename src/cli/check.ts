import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { ALL_CLAIM_CHECKS, runChecks, type CheckRow, InputError, message } from '../index.js';
import { formatNumber, formatTable, parseInteger, VerdictFailure } from './common.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description("run the numerical checks of docs/theory.md's claims on seeded random instances; exit 1 if any fails")
    .option('--claims <list>', `comma-separated claims (${ALL_CLAIM_CHECKS.map((c) => c.claim).join(',')})`)
    .option('--seeds <n>', 'random instances per claim (seeds 0 … n−1)', '20')
    .option('--json', 'print the results as JSON instead of a table')
    .action(async (o: { claims?: string; seeds: string; json?: boolean }) => {
      const seeds = parseInteger('--seeds', o.seeds, 1);
      const wanted = o.claims?.split(',').map((s) => s.trim());
      for (const w of wanted ?? []) {
        if (!ALL_CLAIM_CHECKS.some((c) => c.claim === w)) throw new InputError(message.badOption('--claims', o.claims!, `a list of claims among ${ALL_CLAIM_CHECKS.map((c) => c.claim).join(', ')}`));
      }
      const checks = ALL_CLAIM_CHECKS.filter((c) => !wanted || wanted.includes(c.claim));
      const bar = process.stderr.isTTY && !o.json ? new SingleBar({ format: 'checking claim {claim} [{bar}] {value}/{total} instances | ETA {eta_formatted}', hideCursor: true }) : undefined;
      bar?.start(checks.length * seeds, 0, { claim: checks[0]?.claim ?? '' });
      const t0 = performance.now();
      let lastLine = 0;
      const rows = await runChecks(checks, seeds, (done, total, claim) => {
        bar?.update(done, { claim });
        if (!bar && !o.json && performance.now() - lastLine > 2000) {
          lastLine = performance.now();
          process.stderr.write(`checked ${done}/${total} instances (claim ${claim})\n`);
        }
      });
      bar?.stop();
      const seconds = (performance.now() - t0) / 1000;
      const failed = rows.filter((r) => !r.pass).length;
      if (o.json) console.log(JSON.stringify({ seeds, seconds, passed: failed === 0, rows }, null, 2));
      else {
        console.log(checkTable(rows));
        console.log(`\n${rows.length - failed}/${rows.length} checks pass on ${seeds} seeds per claim, ${seconds.toFixed(1)} s`);
      }
      if (failed > 0) throw new VerdictFailure(`${failed} check(s) failed`);
    });
}

/** One block per claim: its statement, then one row per measurement. */
export function checkTable(rows: readonly CheckRow[]): string {
  const out: (string | number)[][] = [];
  let claim = '';
  for (const r of rows) {
    if (r.claim !== claim) {
      claim = r.claim;
      out.push([`Claim ${r.claim}: ${r.statement}`, '', '', '']);
    }
    out.push([`  ${r.name}`, formatNumber(r.worst), `${r.bound === 'upper' ? '≤' : '≥'} ${formatNumber(r.tolerance)}`, r.pass ? 'PASS' : 'FAIL']);
  }
  return formatTable(['claim / measurement', 'measured (worst over seeds)', 'tolerance', 'verdict'], out);
}
