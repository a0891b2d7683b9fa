/** `imrm persona`, run in-process through commander: the JSON output parses, the tables print, bad options name themselves. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { integerRangeText, rangeText } from '../../../src/cli/common.js';
import { parseList, registerPersona } from '../../../src/cli/persona.js';
import { InputError, message } from '../../../src/messages/index.js';
import { personaMessages } from '../../../src/messages/persona.js';
import type { PersonaResults, PersonaRun } from '../../../src/probes/persona/experiment.js';
import { committedVectorsFile } from '../../../src/probes/persona/wordVectors.js';

/** Runs `imrm <args>` with `persona` registered; returns what it printed. */
async function persona(args: string[]): Promise<string> {
  const program = new Command('imrm').exitOverride();
  registerPersona(program);
  for (const c of program.commands) c.exitOverride();
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => void out.push(xs.join(' ')));
  try {
    await program.parseAsync(['persona', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return out.join('\n');
}

const fast = ['--steps', '10', '--time', '1'];
afterEach(() => vi.restoreAllMocks());

describe('imrm persona', { timeout: 60_000 }, () => {
  it('--json prints machine-readable results holding the values the experiment is known to produce', async () => {
    const results = JSON.parse(await persona(['--json', '--method', 'adam', ...fast])) as PersonaResults;
    expect(results.format).toBe('imrm-persona-results/1');
    expect(results.runs.map((r) => `${r.model}/${r.method}`)).toEqual(['ex/adam', 'im/adam']);
    expect(results.prompts.train).toHaveLength(80);
    expect(results.prompts.test).toHaveLength(40);
    expect(results.prompts.source?.path).toBe('persona/agreeableness.jsonl');
    expect(results.config).toMatchObject({ seed: 875, beta: 1, training: { methods: ['adam'], steps: 10, lr: 0.03 } });
    // Pairs, by construction: 80 train and 40 test prompts (the official 80/40 split), one original pair per prompt, and
    // 2 paraphrased yes-answers × 2 paraphrased no-answers = 4 paraphrased pairs per prompt.
    const pairs = { 'train-original': 80, 'train-paraphrased': 320, 'test-original': 40, 'test-paraphrased': 160 };
    for (const r of results.runs) {
      expect(Object.keys(r.sets)).toEqual(Object.keys(pairs));
      expect(r.tokenRewards.test.map((t) => t.answer)).toEqual(['yes', 'sure', 'no', 'never', 'certainly', 'absolutely', 'not really', 'nope']);
      for (const [set, n] of Object.entries(pairs)) expect(r.sets[set as keyof typeof pairs].pairs).toBe(n);
      // The original pairs, of train and test prompts alike, are all ranked right from the first Adam steps on (the
      // 80 train pairs share their two answers per side, so every step of the mean gradient raises them together;
      // test prompts use the same prefixes and answers): accuracy exactly 1, no ties.
      for (const set of ['train-original', 'test-original'] as const) expect(r.sets[set]).toMatchObject({ accuracy: 1, ties: 0 });
    }
    const [ex, im] = results.runs as [PersonaRun, PersonaRun];
    for (const set of ['train-paraphrased', 'test-paraphrased'] as const) {
      // Claim 5 in the multi-token setting: the paraphrased answers are unseen tokens and add nothing to the IM-RM's
      // margin; the chosen side starts with "My", the first token of a rejected training prefix, which training makes
      // less likely, so the IM-RM ranks every paraphrased pair the wrong way: accuracy exactly 0, no ties.
      expect(im.sets[set]).toMatchObject({ accuracy: 0, ties: 0 });
      // The EX-RM scores whole-sequence representations, in which paraphrased answers sit near the train answers of
      // their label (GloVe): better than chance, no ties.
      expect(ex.sets[set].accuracy).toBeGreaterThan(0.5);
      expect(ex.sets[set].ties).toBe(0);
    }
  });

  it('prints the accuracy and reward tables; the word lists are options', async () => {
    const text = await persona(['--method', 'adam', ...fast, '--eval-answers-no', 'nope,not at all', '--prefixes-no', 'My judgement:,Considering the statement\\, I say']);
    expect(text).toMatch(/model\s+method\s+set\s+pairs\s+accuracy\s+ties\s+mean margin/);
    expect(text).toMatch(/IM-RM\s+adam\s+test-paraphrased\s+160/);
    expect(text).toContain('~not at all');
  });

  it('bad options: an InputError naming the option', async () => {
    const fails = (args: string[]) => expect(persona([...fast, ...args]));
    await fails(['--method', 'sgd']).rejects.toThrow(new InputError(message.badOption('--method', 'sgd', 'one of flow, adam, both')));
    await fails(['--decay', '2']).rejects.toThrow(message.badOption('--decay', '2', rangeText({ gt: 0, le: 1 })));
    await fails(['--seed', '-1']).rejects.toThrow(message.badOption('--seed', '-1', integerRangeText(0)));
    await fails(['--answers-yes', ' ']).rejects.toThrow(personaMessages.emptyList('--answers-yes', ' '));
    await fails(['--prefixes-no', 'a,,b']).rejects.toThrow(personaMessages.emptyListItem('--prefixes-no', 'a,,b', 1));
    await fails(['--lr', '0']).rejects.toThrow(InputError);
  });

  it('a word outside the committed vector files needs the full GloVe package: its install message', async () => {
    const dir = join(tmpdir(), 'imrm-no-such-package-dir');
    await expect(persona([...fast, '--eval-answers-yes', 'zebra', '--package-dir', dir])).rejects.toThrow(
      personaMessages.packageNotInstalled(committedVectorsFile, [{ word: 'zebra', key: 'zebra' }], [resolve(dir)]),
    );
  });
});

describe('parseList', () => {
  it('splits on commas, \\, is a comma inside an item, items are trimmed', () => {
    expect(parseList('--x', 'yes, sure')).toEqual(['yes', 'sure']);
    expect(parseList('--x', 'My judgement: ,Considering the statement\\, I say ')).toEqual(['My judgement:', 'Considering the statement, I say']);
    expect(() => parseList('--x', '')).toThrow(personaMessages.emptyList('--x', ''));
    expect(() => parseList('--x', 'a,')).toThrow(personaMessages.emptyListItem('--x', 'a,', 1));
  });
});
