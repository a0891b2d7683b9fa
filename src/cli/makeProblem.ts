import type { Command } from 'commander';
import { makeProblem, PROBLEM_KIND, REFERENCE, writeProblem, type MakeProblemOptions, type Problem, type ProblemKind } from '../core.js';
import { addOption, checkOutput, parseChoice, parseInRange, parseInteger, parsePath, parseSeed, type RawOptions } from './common.js';

/** Defaults of `imrm make-problem` that do not depend on the kind (the others are shown per kind in the help). */
export const MAKE_PROBLEM_DEFAULTS = { rho: '0.9', tokensPerLabel: '4', beta: '1', reference: 'init' } as const;

/** Parses `imrm make-problem`'s options (no file access). */
export function makeProblemOptions(o: RawOptions): { kind: ProblemKind; out: string; options: MakeProblemOptions } {
  const kind = parseChoice('--kind', o.kind, PROBLEM_KIND);
  const d = MAKE_PROBLEM_DEFAULTS;
  const integer = (name: string, v: unknown, min: number) => (v === undefined ? undefined : parseInteger(name, v, min));
  const options: MakeProblemOptions = {
    seed: parseSeed('--seed', o.seed),
    vocab: integer('--vocab', o.vocab, 2),
    dim: integer('--dim', o.dim, 1),
    pairs: integer('--pairs', o.pairs, 1),
    length: integer('--length', o.length, 1),
    rho: parseInRange('--rho', o.rho ?? d.rho, { ge: -1, le: 1 }),
    tokensPerLabel: parseInteger('--tokens-per-label', o.tokensPerLabel ?? d.tokensPerLabel, 1),
    beta: parseInRange('--beta', o.beta ?? d.beta, { gt: 0 }),
    reference: parseChoice('--reference', o.reference ?? d.reference, REFERENCE),
  };
  return { kind, out: parsePath('--out', o.out), options };
}

/** The one line printed on success: what was written. */
export function problemSummary(file: string, kind: ProblemKind, p: Problem): string {
  const sets = Object.entries(p.eval).map(([name, pairs]) => `${name} ${pairs.length}`);
  return `${file}: ${kind}, |V| = ${p.vocabSize}, D = ${p.hiddenDim}, ${p.train.length} train pair(s)` + (sets.length ? `, eval: ${sets.join(', ')}` : '');
}

export function registerMakeProblem(program: Command): void {
  const cmd = program.command('make-problem').description('write a seeded built-in problem (train set plus paraphrase and token-overlap eval sets)');
  const d = MAKE_PROBLEM_DEFAULTS;
  addOption(cmd, '--kind <k>', Object.keys(PROBLEM_KIND).join(' | '), { required: true });
  addOption(cmd, '--seed <s>', 'seed, a decimal integer from 0 to 2^53 − 1; the same seed gives a byte-identical file', { required: true });
  addOption(cmd, '--out <file>', 'problem file to write', { required: true });
  addOption(cmd, '--vocab <V>', 'vocabulary size |V| >= 2', { defaultText: '1000; tabular: 4' });
  addOption(cmd, '--dim <D>', 'hidden dimension D >= 1 (tabular: the number of prefixes, ignored)', { defaultText: '128; multi-token: 64' });
  addOption(cmd, '--pairs <N>', 'train pairs N >= 1', { defaultText: '64; multi-token: 32; tabular: 12' });
  addOption(cmd, '--length <L>', 'response length L >= 1 (multi-token, tabular)', { defaultText: 'multi-token: 8; tabular: 3' });
  addOption(cmd, '--rho <r>', 'cosine in [-1, 1] of paraphrase/overlap representations to the train ones', { defaultValue: d.rho });
  addOption(cmd, '--tokens-per-label <T>', 'distinct train tokens per label, >= 1', { defaultValue: d.tokensPerLabel });
  addOption(cmd, '--beta <b>', 'IM-RM coefficient β > 0', { defaultValue: d.beta });
  addOption(cmd, '--reference <r>', Object.keys(REFERENCE).join(' | '), { defaultValue: d.reference });
  cmd.action((o: RawOptions) => {
    const { kind, out, options } = makeProblemOptions(o);
    checkOutput('--out', out);
    const problem = makeProblem(kind, options);
    writeProblem(out, problem);
    process.stderr.write(`${problemSummary(out, kind, problem)}\n`);
  });
}
