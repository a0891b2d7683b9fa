/**
 * The light part of the library: everything `src/browser.ts` has (the simulation, the built-in instances, the probe
 * sets, the figures' spec builders) plus reading and writing problem, trajectory and hidden-state files. It loads no
 * heavy package (no zod, ml-matrix, quadprog, mathjs, Vega, resvg, persona data), so a command that needs only
 * this starts in about a third of the time `src/index.ts` takes to load.
 *
 * It is not a second public surface: every name here is exported by `src/index.ts` as the same binding
 * (`test/cli/startup.test.ts` checks both that and that nothing heavy is reachable from here). The CLI's light
 * commands (`flow`, `make-problem`, `demo`, `import-hidden`) import from this file; everything else imports from
 * `src/index.ts`.
 */
import './linalg/wasm/node.js'; // Node: the kernels' second thread, IMRM_KERNELS / IMRM_THREADS (as src/index.ts)
export * from './browser.js';
export { cliMessages, npyMessages, probeMessages } from './messages/index.js';

export { writeFileAtomic } from './io/atomic.js';
export { readProblem, writeProblem, readJson } from './io/problemFile.js';
export { readTrajectory, writeTrajectory, type TrajectoryFile } from './io/trajectoryFile.js';
export { parseNpy, writeNpy, type NpyDtype } from './io/npy.js';
export { importHidden, parseHiddenIndex, readNpy, HIDDEN_INDEX_FORMAT, DEFAULT_HIDDEN_FILE, type ImportHiddenOptions } from './io/hiddenImport.js';
export { decodeUtf8 } from './utf8.js';
export { applyMaxMemory, MEMORY_ENV } from './io/memory.js';
export { memoryBudget } from './models/budget.js';
export { formatBytes } from './messages/core.js';
