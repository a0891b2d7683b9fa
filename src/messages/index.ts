/**
 * The catalogue of every user-facing error text (after vega-lite's `src/log/message.ts`): the core texts and
 * each area's, re-exported from this one place. Code throws `new InputError(message.xxx(...))`; tests assert
 * against these functions, never copied strings.
 */
export { InputError, message, prefixKey } from './core.js';
export { cliMessages } from './cli.js';
export { npyMessages } from './npy.js';
export { personaMessages } from './persona.js';
export { hamiltonianMessages } from './hamiltonian.js';
export { probeMessages } from './probes.js';
export { sweepMessages } from './sweep.js';
export { maxMarginMessage, claim4Message, claim6Message } from './theory.js';
