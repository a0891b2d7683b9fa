#!/usr/bin/env node
/**
 * The `imrm` command (`src/cli/program.ts`). Exit codes: 0 ok, 2 bad input (an `InputError`, or a usage error),
 * 1 internal error.
 *
 * Start-up: only the module of the command being run is imported (`commands.ts`); the others are listed in
 * `imrm --help` by name and summary. This file and `program.ts` import commander and node built-ins only (and the
 * light `core.ts` through `common.ts`).
 */
import { main } from './program.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
