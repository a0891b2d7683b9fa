/**
 * The `imrm` program: commands registered lazily (`commands.ts`), exit codes, error reporting. `main.ts` runs it.
 * Exit codes: 0 ok, 2 bad input (an `InputError`, or a usage error: one line naming the option, no stack trace),
 * 1 internal error (with its stack) or a negative verdict (`VerdictFailure`).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands.js';
import { EXIT, VerdictFailure } from './common.js';

/** The package version (`imrm --version`), read from package.json two folders up (from `src/cli` and `dist/cli`). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * The program with the command `argv` asks for fully registered (its module imported) and every other command as a
 * name and summary only. `imrm help <command>` counts as asking for that command.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('imrm')
    .description('Simulate and check the theory of implicit vs explicit reward models (Razin et al., arXiv 2507.07981)')
    .version(packageVersion(), '-V, --version', 'print the package version')
    .exitOverride()
    .showHelpAfterError();
  const wanted = argv[0] === 'help' ? argv[1] : argv[0];
  const entry = COMMANDS.find((c) => c.name === wanted);
  if (entry) {
    (await entry.load())(program);
    const memory = await import('./memory.js');
    memory.addMaxMemoryOption(program, memory.MEMORY_COMMANDS);
  }
  for (const c of COMMANDS) {
    if (!program.commands.some((p) => p.name() === c.name)) program.command(c.name).description(c.summary);
  }
  for (const c of program.commands) c.exitOverride().showHelpAfterError();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (e instanceof VerdictFailure) {
      process.stderr.write(`imrm: ${e.message}\n`);
      return EXIT.internal;
    }
    if (e instanceof Error && e.name === 'InputError') {
      process.stderr.write(`imrm: ${e.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`imrm: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

