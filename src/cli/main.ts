#!/usr/bin/env node
/**
 * The `imrm` command. Exit codes: 0 ok, 2 bad input (an `InputError`, or a usage error), 1 internal error.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../index.js';
import { registerCheck } from './check.js';
import { EXIT, VerdictFailure } from './common.js';
import { registerDemo } from './demo.js';
import { registerFigures } from './figures.js';
import { registerFlow } from './flow.js';
import { registerImportHidden } from './importHidden.js';
import { registerMakeProblem } from './makeProblem.js';
import { addMaxMemoryOption } from './memory.js';
import { registerPersona } from './persona.js';
import { registerSweep } from './sweep.js';

export function buildProgram(): Command {
  const program = new Command('imrm')
    .description('Simulate and check the theory of implicit vs explicit reward models (Razin et al., arXiv 2507.07981)')
    .exitOverride()
    .showHelpAfterError();
  registerFlow(program);
  registerMakeProblem(program);
  registerDemo(program);
  registerFigures(program);
  registerCheck(program);
  registerPersona(program);
  registerSweep(program);
  registerImportHidden(program);
  addMaxMemoryOption(program, ['flow', 'make-problem', 'import-hidden', 'sweep']);
  for (const c of program.commands) c.exitOverride().showHelpAfterError();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (e instanceof VerdictFailure) {
      process.stderr.write(`imrm: ${e.message}\n`);
      return EXIT.internal;
    }
    if (e instanceof InputError) {
      process.stderr.write(`imrm: ${e.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`imrm: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
