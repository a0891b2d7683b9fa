import type { Command } from 'commander';
import { buildFigures, cliMessages, FIGURES, InputError } from '../index.js';
import { addOption, checkOutputDirectory, parsePath, type RawOptions } from './common.js';

/** Parses `imrm figures`' options: `--only` names known figures (an unknown one is an error listing them all). */
export function figuresOptions(o: RawOptions): { only?: string[]; out: string } {
  const out = o.out === undefined ? 'figures' : parsePath('--out', o.out);
  if (o.only === undefined) return { out };
  const known = FIGURES.map((f) => f.name);
  const only = parsePath('--only', o.only)
    .split(',')
    .map((s) => s.trim());
  const unknown = only.filter((n) => !known.includes(n));
  if (unknown.length) throw new InputError(cliMessages.unknownFigures('--only', unknown, known));
  return { only, out };
}

export function registerFigures(program: Command): void {
  const cmd = program
    .command('figures')
    .description('regenerate figures (NAME.vl.json, NAME.csv, NAME.svg, NAME.png) and the gallery README.md of the figures in the folder');
  addOption(cmd, '--only <names>', `comma-separated subset of: ${FIGURES.map((f) => f.name).join(', ')}`, { defaultText: 'all' });
  addOption(cmd, '--out <dir>', 'output folder', { defaultValue: 'figures' });
  cmd.action(async (o: RawOptions) => {
    const { only, out } = figuresOptions(o);
    checkOutputDirectory('--out', out);
    const t0 = performance.now();
    const built = await buildFigures(FIGURES, {
      outDir: out,
      ...(only ? { only } : {}),
      onFigure: (name, ms, i, n) => process.stderr.write(`[${i}/${n}] ${name} ${(ms / 1000).toFixed(1)} s\n`),
    });
    process.stderr.write(`${built.length} figure(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${out}/\n`);
  });
}
