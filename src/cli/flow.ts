import type { Command } from 'commander';
import { accuracy, compileProblem, FORM, isRewardModelKind, marginScale, METHOD, normalizedMargin, parseTimes, readProblem, REWARD_MODEL, REWARD_MODEL_LABEL, train, writeTrajectory, InputError, message, type Trajectory } from '../index.js';
import { formatTable, parseChoice, parseInteger, parsePositive } from './common.js';

export function registerFlow(program: Command): void {
  program
    .command('flow')
    .description('train one model on a problem file and write its trajectory (margins of every set at the requested times)')
    .requiredOption('--problem <file>', 'problem file (imrm-problem/1)')
    .requiredOption('--model <kind>', `reward model: ${Object.keys(REWARD_MODEL).join(' | ')} (ex, im: the paper's two; ex-mean, im-noref, gen: its ablations)`)
    .requiredOption('--times <list>', 'requested times: 0,1,10 or logspace:a:b:n (n times from 10^a to 10^b)')
    .option('--out <file>', 'trajectory file to write (imrm-trajectory/1)')
    .option('--method <m>', `training method: ${Object.keys(METHOD).join(' | ')}`, 'flow')
    .option('--lr <eta>', 'step size η of gd and adam', '0.1')
    .option('--rtol <r>', 'relative tolerance of the flow integrator', '1e-8')
    .option('--atol <a>', 'absolute tolerance of the flow integrator', '1e-10')
    .option('--max-steps <n>', 'most integrator steps', '1000000')
    .option('--form <f>', `${Object.keys(FORM).join(' | ')} (function space = tangent-kernel ODE)`, 'auto')
    .option('--yes-token <id>', 'the generative RM\'s "Yes" token (--model gen)', '0')
    .option('--quiet', 'do not print the margins table')
    .action((o: Record<string, string | boolean | undefined>) => {
      const model = String(o.model);
      if (!isRewardModelKind(model)) throw new InputError(message.badOption('--model', model, `one of ${Object.keys(REWARD_MODEL).join(', ')}`));
      const times = parseTimes(String(o.times));
      const opts = {
        method: parseChoice('--method', String(o.method), METHOD),
        lr: parsePositive('--lr', String(o.lr)),
        rtol: parsePositive('--rtol', String(o.rtol)),
        atol: parsePositive('--atol', String(o.atol)),
        maxSteps: parseInteger('--max-steps', String(o.maxSteps), 1),
        form: parseChoice('--form', String(o.form), FORM),
        rewardStats: true,
      };
      const cp = compileProblem(readProblem(String(o.problem)));
      const yesToken = parseInteger('--yes-token', String(o.yesToken), 0);
      if (yesToken >= cp.vocabSize) throw new InputError(message.badOption('--yes-token', String(o.yesToken), `a token id below vocabSize ${cp.vocabSize}`));
      const started = performance.now();
      const traj = train(cp, model, times, { ...opts, yesToken });
      const ms = performance.now() - started;
      if (o.out) writeTrajectory(String(o.out), traj);
      if (!o.quiet) {
        console.log(marginsTable(traj));
        const s = traj.solver;
        console.log(`\n${REWARD_MODEL_LABEL[model]}, ${s.method} (${s.form} space): ${s.steps} steps, ${s.evaluations} gradient evaluations, ${ms.toFixed(0)} ms`);
      }
    });
}

/**
 * Per set and time: train loss, mean margin, the paper's normalized margin (mean |margin| ÷ standard deviation of the
 * set's rewards, when recorded), accuracy (ties counted ½ and shown apart).
 */
export function marginsTable(traj: Pick<Trajectory, 'times' | 'loss' | 'margins' | 'rewardStd'>): string {
  const rows: (string | number)[][] = [];
  traj.times.forEach((t, i) => {
    const all = Object.values(traj.margins).map((set) => set.map((p) => p[i]!));
    const scale = marginScale(...all);
    for (const [name, set] of Object.entries(traj.margins)) {
      const m = set.map((p) => p[i]!);
      const a = accuracy(m, scale);
      const std = traj.rewardStd?.[name]?.[i];
      rows.push([name, t, name === 'train' ? traj.loss[i]! : '', a.meanMargin, std === undefined ? '' : normalizedMargin(m, std), a.accuracy, a.ties]);
    }
  });
  return formatTable(['set', 't', 'loss', 'mean margin', 'norm. margin', 'accuracy', 'ties'], rows);
}
