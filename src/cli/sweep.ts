import type { Command } from 'commander';
import { isProgressDisplay, mergeShards, parseShard, PROGRESS_DISPLAYS, readSweepLines, runSweep, summarize, sweepMessages, InputError, message, type ProgressDisplay, type Shard } from '../index.js';
import { addOption, checkOutput, formatNumber, formatTable, parseInteger, parsePath, type RawOptions } from './common.js';

/** The module that registers the toolkit's cells, as a `file:` URL the workers can import. */
const CELLS_MODULE = new URL('../probes/cells.js', import.meta.url).href;

/** Most worker threads `--workers` accepts (far above any machine's cores; each worker holds its own heap). */
export const MAX_WORKERS = 1024;

/** Parses `imrm sweep`'s options (no file access). */
export function sweepOptions(file: unknown, o: RawOptions): { file: string; out: string; workers?: number; shard?: Shard; progress: ProgressDisplay; summary: boolean } {
  const progress = o.progress ?? 'auto';
  if (typeof progress !== 'string' || !isProgressDisplay(progress)) {
    throw new InputError(message.badOption('--progress', String(progress), `one of ${Object.keys(PROGRESS_DISPLAYS).join(', ')}`));
  }
  return {
    file: parsePath('sweep file', file),
    out: parsePath('--out', o.out),
    ...(o.workers !== undefined ? { workers: parseInteger('--workers', o.workers, 1, MAX_WORKERS) } : {}),
    ...(o.shard !== undefined ? { shard: parseShard(typeof o.shard === 'string' ? o.shard : String(o.shard), '--shard') } : {}),
    progress,
    summary: o.summary === true,
  };
}

/** Parses `imrm merge`'s options (no file access). */
export function mergeOptions(shards: unknown, o: RawOptions): { shards: string[]; out: string; json: boolean } {
  if (!Array.isArray(shards) || shards.length === 0) throw new InputError(sweepMessages.noInputs());
  return { shards: shards.map((s) => parsePath('shard file', s)), out: parsePath('--out', o.out), json: o.json === true };
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('run a sweep file (imrm-sweep/1) in parallel on worker threads, one JSON line per finished run; re-running resumes')
    .argument('<file>', 'sweep file');
  addOption(sweep, '--out <file>', 'results (JSON Lines), appended to and resumed from; one sweep process at a time (locked)', { required: true });
  addOption(sweep, '--workers <n>', `worker threads, an integer from 1 to ${MAX_WORKERS}`, { defaultText: 'all cores' });
  addOption(sweep, '--shard <i/n>', 'run only shard i of n (for a cluster job array; join the shards with imrm merge)', { defaultText: 'all runs' });
  addOption(sweep, '--progress <mode>', Object.keys(PROGRESS_DISPLAYS).join(' | '), { defaultValue: 'auto' });
  addOption(sweep, '--summary', 'print the per-cell mean and 95% interval afterwards');
  sweep.action(async (fileArgument: string, o: RawOptions) => {
    const { file, out, workers, shard, progress, summary } = sweepOptions(fileArgument, o);
    checkOutput('--out', out, [['the sweep file', file]]);
    const report = await runSweep({
      spec: file,
      out,
      cellsModule: CELLS_MODULE,
      ...(workers !== undefined ? { workers } : {}),
      ...(shard ? { shard } : {}),
      display: progress,
    });
    process.stderr.write(`${report.ran} run(s) done, ${report.skipped} already in ${out}, ${(report.wallMs / 1000).toFixed(1)} s\n`);
    if (summary) console.log(summaryTable(out));
  });

  const merge = program
    .command('merge')
    .description('merge sweep shards into one file (each run once, in run order) and print the per-cell summary')
    .argument('<shards...>', 'shard files (JSON Lines)');
  addOption(merge, '--out <file>', 'merged file; must differ from every shard', { required: true });
  addOption(merge, '--json', 'print the summary as JSON');
  merge.action((shardArguments: string[], o: RawOptions) => {
    const { shards, out, json } = mergeOptions(shardArguments, o);
    checkOutput('--out', out, shards.map((s) => ['a shard', s] as const));
    const r = mergeShards(shards, out);
    if (r.tornLines > 0) process.stderr.write(`imrm: warning: ${sweepMessages.tornLines(r.tornLines, r.torn)}\n`);
    process.stderr.write(`${r.runs} run(s) merged into ${out}\n`);
    if (json) console.log(JSON.stringify(summarize(readSweepLines(out)), null, 2));
    else console.log(summaryTable(out));
  });
}

/** Per cell and metric: n, mean and 95% t-interval. */
function summaryTable(file: string): string {
  const rows = summarize(readSweepLines(file));
  const out: (string | number)[][] = [];
  for (const r of rows) {
    for (const [metric, m] of Object.entries(r.metrics)) out.push([JSON.stringify(r.params), metric, m.n, m.mean, `± ${formatNumber(m.halfWidth)}`]);
  }
  return formatTable(['cell', 'metric', 'n', 'mean', '95% interval'], out);
}
