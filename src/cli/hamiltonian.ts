import type { Command } from 'commander';
import {
  HAMILTONIAN_METHOD,
  HAMILTONIAN_REPRESENTATION,
  parseTimes,
  resolveHamiltonianOptions,
  runHamiltonianExperiment,
  type HamiltonianResults,
} from '../index.js';
import { formatNumber, formatTable, parseChoice, parseInteger, parseNumber, parsePositive } from './common.js';

/** Most vertices: the exact generation probability walks every Hamiltonian cycle of every test graph. */
const MAX_VERTICES = 16;

export function registerHamiltonian(program: Command): void {
  const d = resolveHamiltonianOptions();
  program
    .command('hamiltonian')
    .description(
      "the paper's Hamiltonian-cycle experiment (docs/hamiltonian-cycles.md): an IM-RM (β = 1, π_ref = π_{U₀}, U₀ = 0) trained on one " +
        '(Hamiltonian cycle, non-cycle vertex order) pair per planted random graph; over training time it reports train and test-graph ' +
        'pair accuracy, the exact probability π_θ(C|x) of generating a Hamiltonian cycle (mean over test graphs) and the expected ' +
        'number of cycles among one sample per test graph',
    )
    .option('--vertices <n>', `vertices per graph = vocabulary size (4 … ${MAX_VERTICES}); responses are the n − 1 vertices after vertex 0`, String(d.vertices))
    .option('--edge-prob <p>', 'probability of every edge outside the planted Hamiltonian cycle', String(d.edgeProbability))
    .option('--train-graphs <n>', 'training graphs (one pair each)', String(d.trainGraphs))
    .option('--test-graphs <n>', 'test graphs (one pair each; new graphs)', String(d.testGraphs))
    .option('--representation <r>', `h(graph, prefix): ${Object.keys(HAMILTONIAN_REPRESENTATION).join(' | ')}`, d.representation)
    .option('--method <m>', `training method: ${Object.keys(HAMILTONIAN_METHOD).join(' | ')}`, d.method)
    .option('--seed <n>', 'seed of the graphs and pairs', String(d.seed))
    .option('--times <list>', 'requested times, a list or logspace:a:b:n (default: logspace:-3:2:11 for flow, steps 1,2,5,10,20,50,100 × η for adam)')
    .option('--lr <eta>', 'Adam step size η (time = steps × η)', String(d.lr))
    .option('--rtol <r>', 'relative tolerance of the flow integrator', String(d.rtol))
    .option('--json', 'print the results as JSON (imrm-hamiltonian-results/1) instead of a table')
    .action((o: Record<string, string | boolean | undefined>) => {
      const t0 = performance.now();
      const results = runHamiltonianExperiment({
        vertices: parseNumber('--vertices', String(o.vertices), (x) => Number.isInteger(x) && x >= 4 && x <= MAX_VERTICES, `an integer in 4 … ${MAX_VERTICES}`),
        edgeProbability: parseNumber('--edge-prob', String(o.edgeProb), (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
        trainGraphs: parseInteger('--train-graphs', String(o.trainGraphs), 1),
        testGraphs: parseInteger('--test-graphs', String(o.testGraphs), 1),
        representation: parseChoice('--representation', String(o.representation), HAMILTONIAN_REPRESENTATION),
        method: parseChoice('--method', String(o.method), HAMILTONIAN_METHOD),
        seed: parseInteger('--seed', String(o.seed)),
        ...(typeof o.times === 'string' ? { times: parseTimes(o.times) } : {}),
        lr: parsePositive('--lr', String(o.lr)),
        rtol: parsePositive('--rtol', String(o.rtol)),
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
