/**
 * Error texts of the `imrm` command line (`src/cli/`): option values, output paths, options that do not apply.
 * Each names the option; re-exported by the main catalogue `src/messages/index.ts`. Generic option errors
 * (`message.badOption`, `message.badTimes`) come from the main catalogue.
 */

/** `"a", "b"` */
const quoted = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(', ');

export const cliMessages = {
  // --- output paths ---------------------------------------------------------------------------
  emptyPath: (option: string) => `${option}: expected a file path, got an empty string`,
  nulInPath: (option: string, path: string) => `${option}: a file path cannot contain the NUL character, got ${JSON.stringify(path)}`,
  outIsInput: (option: string, path: string, input: string) =>
    `${option}: "${path}" is the same file as ${input}; writing it would overwrite that input (choose another path)`,
  outIsDirectory: (option: string, path: string) => `${option}: "${path}" is a directory (give a file path inside it)`,
  outNotDirectory: (option: string, path: string) => `${option}: "${path}" is a file, not a folder`,
  outUnderFile: (option: string, path: string, file: string) =>
    `${option}: cannot create "${path}": "${file}" is a file, not a directory`,

  // --- reasons for `message.badTimes` ---------------------------------------------------------
  timeNotDecimal: (index: number, item: string) => `time ${index} ("${item}") is not a decimal number`,
  logspaceNotDecimal: () => 'expected logspace:a:b:n with decimal numbers a, b and a decimal integer n >= 1',
  tooManyTimes: (count: number, maximum: number) => `${count} times requested, more than the ${maximum} a trajectory may hold`,

  // --- options that depend on each other ------------------------------------------------------
  notForMethod: (option: string, method: string, applies: string) =>
    `${option}: applies to --method ${applies} only, not to --method ${method} (leave it out)`,
  notForModel: (option: string, model: string, applies: string) =>
    `${option}: applies to --model ${applies} only, not to --model ${model} (leave it out)`,
  tooManySteps: (method: string, t: number, lr: number, steps: number, maxSteps: number) =>
    `--lr: ${method} needs round(${t} / ${lr}) = ${steps} steps to reach t = ${t} (the last of --times), more than ` +
    `--max-steps ${maxSteps}; raise --lr or --max-steps`,
  unknownFigures: (option: string, unknown: readonly string[], known: readonly string[]) =>
    `${option}: unknown figure(s) ${quoted(unknown)}; known figures: ${known.join(', ')}`,
  unknownClaims: (option: string, got: string, known: readonly string[]) =>
    `${option}: expected a comma-separated list of claims among ${known.join(', ')}, got "${got}"`,
} as const;
