import type { Command } from 'commander';
import {
  HAMILTONIAN_METHOD,
  HAMILTONIAN_REPRESENTATION,
  cliMessages,
  InputError,
  resolveHamiltonianOptions,
  runHamiltonianExperiment,
  type HamiltonianResults,
} from '../index.js';
import { addOption, formatNumber, formatTable, parseChoice, parseInRange, parseInteger, parseSeed, parseTimesOption, type RawOptions } from './common.js';

/** Most vertices: the exact generation probability walks every Hamiltonian cycle of every test graph. */
const MAX_VERTICES = 16;

export function registerHamiltonian(program: Command): void {
  const d = resolveHamiltonianOptions();
  const cmd = program
    .command('hamiltonian')
    .description(
      "the paper's Hamiltonian-cycle experiment (docs/hamiltonian-cycles.md): an IM-RM (β = 1, π_ref = π_{U₀}, U₀ = 0) trained on one " +
        '(Hamiltonian cycle, non-cycle vertex order) pair per planted random graph; over training time it reports train and test-graph ' +
        'pair accuracy, the exact probability π_θ(C|x) of generating a Hamiltonian cycle (mean over test graphs) and the expected ' +
        'number of cycles among one sample per test graph',
    );
  addOption(cmd, '--vertices <n>', `vertices per graph = vocabulary size (4 … ${MAX_VERTICES}); responses are the n − 1 vertices after vertex 0`, { defaultValue: String(d.vertices) });
  addOption(cmd, '--edge-prob <p>', 'probability of every edge outside the planted Hamiltonian cycle, in [0, 1]', { defaultValue: String(d.edgeProbability) });
  addOption(cmd, '--train-graphs <n>', 'training graphs (one pair each)', { defaultValue: String(d.trainGraphs) });
  addOption(cmd, '--test-graphs <n>', 'test graphs (one pair each; new graphs)', { defaultValue: String(d.testGraphs) });
  addOption(cmd, '--representation <r>', `h(graph, prefix): ${Object.keys(HAMILTONIAN_REPRESENTATION).join(' | ')}`, { defaultValue: d.representation });
  addOption(cmd, '--method <m>', `training method: ${Object.keys(HAMILTONIAN_METHOD).join(' | ')}`, { defaultValue: d.method });
  addOption(cmd, '--seed <n>', 'seed of the graphs and pairs, a decimal integer from 0 to 2^53 − 1', { defaultValue: String(d.seed) });
  addOption(cmd, '--times <list>', 'requested times >= 0 in decimal, a list or logspace:a:b:n', { defaultText: 'logspace:-3:2:11 for flow; steps 1,2,5,10,20,50,100 × η for adam' });
  addOption(cmd, '--lr <eta>', 'Adam step size η > 0 (time = steps × η; adam only)', { defaultValue: String(d.lr) });
  addOption(cmd, '--rtol <r>', 'relative tolerance of the flow integrator, 0 < r < 1 (flow only)', { defaultValue: String(d.rtol) });
  addOption(cmd, '--json', 'print the results as JSON (imrm-hamiltonian-results/1) instead of a table');
  cmd.action((o: RawOptions) => {
    const method = parseChoice('--method', o.method ?? d.method, HAMILTONIAN_METHOD);
    if (method === 'flow' && o.lr !== undefined) throw new InputError(cliMessages.notForMethod('--lr', method, 'adam'));
    if (method === 'adam' && o.rtol !== undefined) throw new InputError(cliMessages.notForMethod('--rtol', method, 'flow'));
    const t0 = performance.now();
    const results = runHamiltonianExperiment({
      vertices: parseInteger('--vertices', o.vertices ?? String(d.vertices), 4, MAX_VERTICES),
      edgeProbability: parseInRange('--edge-prob', o.edgeProb ?? String(d.edgeProbability), { ge: 0, le: 1 }),
      trainGraphs: parseInteger('--train-graphs', o.trainGraphs ?? String(d.trainGraphs), 1),
      testGraphs: parseInteger('--test-graphs', o.testGraphs ?? String(d.testGraphs), 1),
      representation: parseChoice('--representation', o.representation ?? d.representation, HAMILTONIAN_REPRESENTATION),
      method,
      seed: parseSeed('--seed', o.seed ?? String(d.seed)),
      ...(o.times !== undefined ? { times: parseTimesOption('--times', o.times) } : {}),
      lr: parseInRange('--lr', o.lr ?? String(d.lr), { gt: 0 }),
      rtol: parseInRange('--rtol', o.rtol ?? String(d.rtol), { gt: 0, lt: 1 }),
    });
    const seconds = (performance.now() - t0) / 1000;
    console.log(o.json ? JSON.stringify({ ...results, seconds }, null, 2) : hamiltonianTable(results, seconds));
  });
}

/** One row per time, then a footer with the instance and the solver. */
export function hamiltonianTable(r: HamiltonianResults, seconds: number): string {
  const S = r.config.testGraphs;
  const rows = r.times.map((t, k) => [formatNumber(t), r.trainAccuracy[k]!, r.testAccuracy[k]!, r.testTies[k]!, r.generationProbability[k]!, r.expectedCorrect[k]!]);
  const c = r.config;
  return [
    formatTable(['t', 'train accuracy', 'test accuracy', 'test ties', 'mean π_θ(C|x)', `expected cycles in ${S} samples`], rows),
    '',
    `${c.trainGraphs} train / ${S} test graphs on ${c.vertices} vertices (planted cycle + edges with p = ${c.edgeProbability}), seed ${c.seed}; ` +
      `${r.meanCyclesPerTestGraph} correct responses per test graph on average; π_ref(C|x) = ${formatNumber(r.referenceGenerationProbability)} (mean)`,
    `${r.representation} (D = ${c.hiddenDim}), ${r.method === 'flow' ? `gradient flow, rtol ${formatNumber(c.rtol)}` : `Adam, η = ${c.lr}`}, β = ${c.beta}; ` +
      `${r.solver.steps} steps, ${r.solver.evaluations} gradient evaluations; ${seconds.toFixed(1)} s`,
  ].join('\n');
}
