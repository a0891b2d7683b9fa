/**
 * Every `imrm` command: its name, the one-line summary `imrm --help` lists, and the module that registers it. A
 * command's module is imported only when that command runs (or its help is asked for), so `imrm flow` loads the
 * light library entry (`src/core.ts`) and never the figures, the theory checks, the sweep runner or the persona data.
 * A new command is one line here. (This file must stay free of static imports of the library.)
 */
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Imports the command's module and returns its `register…` function (which may register several commands). */
  load: () => Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'flow', summary: 'train one model on a problem file and write its trajectory', load: async () => (await import('./flow.js')).registerFlow },
  { name: 'make-problem', summary: 'write a seeded built-in problem file', load: async () => (await import('./makeProblem.js')).registerMakeProblem },
  { name: 'demo', summary: 'the built-in single-token example through the flow, both models', load: async () => (await import('./demo.js')).registerDemo },
  { name: 'figures', summary: 'regenerate the figures and their gallery', load: async () => (await import('./figures.js')).registerFigures },
  { name: 'paper', summary: "the paper in its own terms: one row per result of the paper, ours next to it; exit 1 if a row fails", load: async () => (await import('./paper.js')).registerPaper },
  { name: 'check', summary: "the numerical checks of docs/theory.md's claims; exit 1 if any fails", load: async () => (await import('./check.js')).registerCheck },
  { name: 'persona', summary: 'the Persona-style controlled experiment on GloVe word vectors', load: async () => (await import('./persona.js')).registerPersona },
  { name: 'sweep', summary: 'run a sweep file on all cores; resumable, shardable', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'merge', summary: 'join sweep shards and print the per-cell summary', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'hamiltonian', summary: 'verification without generation: the IM-RM on Hamiltonian cycles of 10-vertex graphs', load: async () => (await import('./hamiltonian.js')).registerHamiltonian },
  { name: 'import-hidden', summary: "your own model's hidden states (.npy or JSON) into a problem file", load: async () => (await import('./importHidden.js')).registerImportHidden },
];
