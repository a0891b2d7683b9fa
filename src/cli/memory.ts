/**
 * `--max-memory <size>`: the memory budget of the commands whose inputs decide how much is allocated (docs/formats.md,
 * "Memory budget"; `models/budget.ts`). Without it the budget is `IMRM_MAX_MEMORY`, else half the machine's memory.
 */
import type { Command } from 'commander';
import { applyMaxMemory, formatBytes, memoryBudget, MEMORY_ENV } from '../core.js';
import { addOption } from './common.js';

/** The commands whose inputs decide how much is allocated. */
export const MEMORY_COMMANDS: readonly string[] = ['flow', 'make-problem', 'import-hidden', 'sweep'];

/** Adds `--max-memory` to the named subcommands of `program`; it is applied before each one's action runs. */
export function addMaxMemoryOption(program: Command, names: readonly string[]): void {
  for (const cmd of program.commands.filter((c) => names.includes(c.name()))) {
    addOption(cmd, '--max-memory <size>', 'refuse inputs estimated to need more memory than this, e.g. 8G or 512M', { defaultText: `$${MEMORY_ENV}, else half the machine's memory: ${formatBytes(memoryBudget())} here` });
    cmd.hook('preAction', (_cmd, action) => {
      applyMaxMemory(process.env[MEMORY_ENV] || undefined, MEMORY_ENV); // set but malformed: an input error too
      applyMaxMemory(action.opts().maxMemory as string | undefined);
    });
  }
}
