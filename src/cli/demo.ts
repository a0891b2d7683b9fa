import type { Command } from 'commander';
import { compileProblem, makeProblem, MODEL_LABEL, train, type ModelKind } from '../core.js';
import { addOption, parseSeed, type RawOptions } from './common.js';
import { marginsTable } from './flow.js';

/** A built-in example end to end: the single-token problem, both models, margins table. */
export function registerDemo(program: Command): void {
  const cmd = program.command('demo').description('run the built-in single-token example through the flow for both models and print the margins tables');
  addOption(cmd, '--seed <s>', 'seed, a decimal integer from 0 to 2^53 − 1', { defaultValue: '0' });
  cmd.action((o: RawOptions) => {
    const seed = parseSeed('--seed', o.seed ?? '0');
    const cp = compileProblem(makeProblem('single-token', { seed, pairs: 32, vocab: 200, dim: 64 }));
    for (const kind of ['ex', 'im'] as ModelKind[]) {
      const traj = train(cp, kind, [0, 1, 10, 100, 1000]);
      console.log(`\n${MODEL_LABEL[kind]}\n${marginsTable(traj)}`);
    }
  });
}
