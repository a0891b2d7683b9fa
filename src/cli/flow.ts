import type { Command } from 'commander';
import {
  accuracy,
  cliMessages,
  compileProblem,
  FORM,
  InputError,
  marginScale,
  message,
  METHOD,
  normalizedMargin,
  readProblem,
  REWARD_MODEL,
  REWARD_MODEL_LABEL,
  train,
  writeTrajectory,
  type FlowOptions,
  type Form,
  type Method,
  type RewardModelKind,
  type Trajectory,
} from '../core.js';
import { addOption, checkOutput, formatTable, parseChoice, parseInRange, parseInteger, parsePath, parseTimesOption, type RawOptions } from './common.js';
import { timeProgress } from './progress.js';

/** Defaults of `imrm flow` (as typed on the command line), shown in its help. */
export const FLOW_DEFAULTS = { method: 'flow', lr: '0.1', rtol: '1e-8', atol: '1e-10', maxSteps: '1000000', form: 'auto', yesToken: '0' } as const;

/** Options that apply to one kind of method only: gradient flow's integrator, or the step size of gd and adam. */
const FLOW_ONLY = [
  ['rtol', '--rtol'],
  ['atol', '--atol'],
  ['form', '--form'],
] as const;

/** What `imrm flow` runs, its options parsed and checked. */
export interface FlowCommand {
  problem: string;
  model: RewardModelKind;
  times: number[];
  /** The generative RM's "Yes" token (checked against the problem's vocabulary once it is read). */
  yesToken: number;
  out?: string;
  quiet: boolean;
  train: Required<Pick<FlowOptions, 'method' | 'maxSteps'>> & FlowOptions;
}

/**
 * Parses `imrm flow`'s options (no file access): decimal numbers in range (0 < rtol < 1, 0 < atol < 1, lr > 0,
 * max-steps an integer >= 1), an option given for a method it does not apply to is an error (`--lr` with `flow`;
 * `--rtol`, `--atol`, `--form` with `gd` or `adam`), and `gd`/`adam` must reach the last time within
 * `--max-steps` steps (`round(t/η)`), so a tiny `--lr` is refused at once rather than running for hours.
 */
export function flowOptions(o: RawOptions): FlowCommand {
  const problem = parsePath('--problem', o.problem);
  const model = parseChoice('--model', o.model, REWARD_MODEL);
  const yesToken = parseInteger('--yes-token', o.yesToken ?? FLOW_DEFAULTS.yesToken, 0);
  if (o.yesToken !== undefined && model !== 'gen') throw new InputError(cliMessages.notForModel('--yes-token', model, 'gen'));
  const times = parseTimesOption('--times', o.times);
  const method: Method = parseChoice('--method', o.method ?? FLOW_DEFAULTS.method, METHOD);
  const maxSteps = parseInteger('--max-steps', o.maxSteps ?? FLOW_DEFAULTS.maxSteps, 1);
  const out = o.out === undefined ? undefined : parsePath('--out', o.out);
  const quiet = o.quiet === true;
  if (method === 'flow') {
    if (o.lr !== undefined) throw new InputError(cliMessages.notForMethod('--lr', method, 'gd or adam'));
    const train: FlowCommand['train'] = {
      method,
      maxSteps,
      rtol: parseInRange('--rtol', o.rtol ?? FLOW_DEFAULTS.rtol, { gt: 0, lt: 1 }),
      atol: parseInRange('--atol', o.atol ?? FLOW_DEFAULTS.atol, { gt: 0, lt: 1 }),
      form: parseChoice<Form>('--form', o.form ?? FLOW_DEFAULTS.form, FORM),
    };
    return { problem, model, yesToken, times, ...(out !== undefined ? { out } : {}), quiet, train };
  }
  for (const [key, option] of FLOW_ONLY) if (o[key] !== undefined) throw new InputError(cliMessages.notForMethod(option, method, 'flow'));
  const lr = parseInRange('--lr', o.lr ?? FLOW_DEFAULTS.lr, { gt: 0 });
  const tEnd = lastTime(times);
  const steps = Math.round(tEnd / lr);
  if (!(steps <= maxSteps)) throw new InputError(cliMessages.tooManySteps(method, tEnd, lr, steps, maxSteps));
  return { problem, model, yesToken, times, ...(out !== undefined ? { out } : {}), quiet, train: { method, maxSteps, lr } };
}

export function registerFlow(program: Command): void {
  const cmd = program
    .command('flow')
    .description('train one model on a problem file and write its trajectory (margins of every set at the requested times)');
  const d = FLOW_DEFAULTS;
  addOption(cmd, '--problem <file>', 'problem file (imrm-problem/1)', { required: true });
  addOption(cmd, '--model <kind>', `reward model: ${Object.keys(REWARD_MODEL).join(' | ')} (ex, im: the paper's two; ex-mean, im-noref, gen: its ablations)`, { required: true });
  addOption(cmd, '--times <list>', 'requested times >= 0 in decimal: 0,1,10 or logspace:a:b:n (n times from 10^a to 10^b)', { required: true });
  addOption(cmd, '--out <file>', 'trajectory file to write (imrm-trajectory/1); must differ from --problem');
  addOption(cmd, '--method <m>', `training method: ${Object.keys(METHOD).join(' | ')}`, { defaultValue: d.method });
  addOption(cmd, '--lr <eta>', 'step size η > 0 of gd and adam (an error with --method flow)', { defaultValue: d.lr });
  addOption(cmd, '--rtol <r>', 'relative tolerance of the flow integrator, 0 < r < 1 (flow only)', { defaultValue: d.rtol });
  addOption(cmd, '--atol <a>', 'absolute tolerance of the flow integrator, 0 < a < 1 (flow only)', { defaultValue: d.atol });
  addOption(cmd, '--max-steps <n>', 'most integrator steps (flow), or most steps round(t/η) (gd, adam)', { defaultValue: d.maxSteps });
  addOption(cmd, '--form <f>', `${Object.keys(FORM).join(' | ')} (function space = tangent-kernel ODE; flow only)`, { defaultValue: d.form });
  addOption(cmd, '--yes-token <id>', 'the generative RM\'s "Yes" token, below the problem\'s vocabSize (--model gen only)', { defaultValue: d.yesToken });
  addOption(cmd, '--quiet', 'do not print the margins table');
  cmd.action(async (o: RawOptions) => {
    const run = flowOptions(o);
    if (run.out !== undefined) checkOutput('--out', run.out, [['--problem', run.problem]]);
    const cp = compileProblem(readProblem(run.problem));
    if (run.yesToken >= cp.vocabSize) throw new InputError(message.badOption('--yes-token', String(run.yesToken), `a token id below the problem's vocabSize ${cp.vocabSize}`));
    const progress = await timeProgress(process.stderr, run.train.method, lastTime(run.times));
    const started = performance.now();
    let traj: Trajectory;
    try {
      traj = train(cp, run.model, run.times, { ...run.train, rewardStats: true, yesToken: run.yesToken, ...(progress ? { onProgress: progress.update } : {}) });
    } finally {
      progress?.stop();
    }
    const ms = performance.now() - started;
    if (run.out !== undefined) writeTrajectory(run.out, traj);
    if (!run.quiet) {
      console.log(marginsTable(traj));
      const s = traj.solver;
      console.log(`\n${REWARD_MODEL_LABEL[run.model]}, ${s.method} (${s.form} space): ${s.steps} steps, ${s.evaluations} gradient evaluations, ${ms.toFixed(0)} ms`);
    }
  });
}

/** The largest requested time (a loop: a list of 10^5 times is too long to spread into `Math.max`). */
const lastTime = (times: readonly number[]): number => times.reduce((a, b) => Math.max(a, b), 0);

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
