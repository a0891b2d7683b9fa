import type { Command } from 'commander';
import { importHidden } from '../core.js';
import { addOption, checkOutput, parsePath, type RawOptions } from './common.js';

/** Parses `imrm import-hidden`'s options (no file access). */
export function importHiddenOptions(o: RawOptions): { index: string; out: string; hidden?: string } {
  const index = parsePath('--index', o.index);
  const out = parsePath('--out', o.out);
  return { index, out, ...(o.hidden !== undefined ? { hidden: parsePath('--hidden', o.hidden) } : {}) };
}

export function registerImportHidden(program: Command): void {
  const cmd = program
    .command('import-hidden')
    .description('turn hidden states dumped from a real model (an imrm-hidden-index/1 JSON + a (rows, D) .npy, or all-JSON) into a problem file');
  addOption(cmd, '--index <file>', 'index file (imrm-hidden-index/1): vocabSize, beta, reference, prefixes, train, eval', { required: true });
  addOption(cmd, '--out <file>', 'problem file to write (imrm-problem/1); must differ from the input files', { required: true });
  addOption(cmd, '--hidden <file>', 'the (rows, D) float32/float64 .npy matrix', { defaultText: "the index's hiddenFile, else hidden.npy beside it" });
  cmd.action((o: RawOptions) => {
    const { index, out, hidden } = importHiddenOptions(o);
    checkOutput('--out', out, [['--index', index], ['--hidden', hidden]]);
    const problem = importHidden(index, { out, ...(hidden !== undefined ? { hiddenFile: hidden } : {}) });
    process.stderr.write(`${out}: ${problem.train.length} train pair(s), ${Object.keys(problem.eval).length} eval set(s), D = ${problem.hiddenDim}\n`);
  });
}
