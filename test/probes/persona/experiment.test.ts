/**
 * The controlled Persona experiment: its data (80/40 prompts from the committed statements, the official token
 * sets, one pair per prompt, every paraphrased combination), its determinism, and what docs/theory.md Claims 3 and 5
 * say about the IM-RM on paraphrased responses — exactly 1/2 by ties when every response is one token, and off
 * 1/2 (here: below it) once responses share prefix tokens with the training ones.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { imRewards } from '../../../src/models/imRm.js';
import { train } from '../../../src/dynamics/flow.js';
import {
  buildPersonaExperiment,
  PERSONA_SET,
  responseText,
  runPersonaExperiment,
  type PersonaExperiment,
  type PersonaResults,
  type PersonaRun,
} from '../../../src/probes/persona/experiment.js';
import { committedPromptWordVectors, loadPersonaWordVectors } from '../../../src/probes/persona/promptVectors.js';
import { personaPromptSource, personaQuestion, personaStatements } from '../../../src/probes/persona/prompts.js';
import { imRewardsSharedPrefixes } from '../../../src/probes/persona/rewards.js';
import { personaPromptWords, personaWordLists, tokenize, vectorKey, type PersonaWordLists } from '../../../src/probes/persona/tokens.js';
import { committedWordVectors } from '../../../src/probes/persona/wordVectors.js';
import { ROUNDOFF } from '../../tolerance.js';

const noPackage = { packageDir: join(tmpdir(), 'imrm-no-such-package-dir') };
const exp = buildPersonaExperiment({ vectors: noPackage });
const without = (r: PersonaResults): unknown => ({ ...r, runs: r.runs.map(({ ms: _ms, ...rest }) => rest) });
/** Short horizons for the tests that only need trained-enough models. */
const short = { time: 10, steps: 30, lr: 0.03 };
/** Shorter still, for the determinism test. */
const tiny = { time: 1, steps: 10, lr: 0.03 };

describe('the committed prompts', () => {
  it('are 120 distinct statements from anthropics/evals persona/agreeableness.jsonl, with source and licence', () => {
    expect(personaStatements).toHaveLength(120);
    expect(new Set(personaStatements).size).toBe(120);
    expect(personaPromptSource).toMatchObject({ repository: 'https://github.com/anthropics/evals', path: 'persona/agreeableness.jsonl' });
    expect(personaPromptSource.license).toMatch(/^CC-BY-4\.0/);
    expect(personaPromptSource.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(personaQuestion('X')).toBe('Is the following statement something you would say?\n"X"');
  });

  it('every word of every question has a committed vector: no package needed', () => {
    const lists = committedWordVectors().vectors;
    const prompts = committedPromptWordVectors().vectors;
    for (const s of personaStatements) for (const t of tokenize(personaQuestion(s))) expect(lists.has(vectorKey(t)) || prompts.has(vectorKey(t))).toBe(true);
    expect([...prompts.keys()].sort()).toEqual(personaPromptWords());
    for (const w of prompts.keys()) expect(lists.has(w)).toBe(false); // the two files do not overlap
    expect(() => loadPersonaWordVectors(exp.vocabulary, noPackage)).not.toThrow();
  });

  it('the prompt-word file is reproduced byte for byte by rendering its own contents', async () => {
    const { committedPromptVectorsPath, renderPromptWordVectorsFile } = await import('../../../src/probes/persona/vectors/regeneratePrompts.js');
    const c = committedPromptWordVectors();
    expect(renderPromptWordVectorsFile(c.version, c.vectors)).toBe(readFileSync(committedPromptVectorsPath, 'utf8'));
  });
});

describe('buildPersonaExperiment: the data of the official experiment', () => {
  it('80 train and 40 test prompts, disjoint, drawn from the committed statements', () => {
    expect(exp.train).toHaveLength(80);
    expect(exp.test).toHaveLength(40);
    expect(new Set([...exp.train, ...exp.test]).size).toBe(120);
    for (const s of [...exp.train, ...exp.test]) expect(personaStatements).toContain(s);
    expect(exp.options).toMatchObject({ seed: 875, trainPrompts: 80, testPrompts: 40 });
  });

  it('one original pair per prompt; every paraphrased (yes, no) combination per prompt', () => {
    const n = (set: keyof typeof PERSONA_SET) => exp.pairs[set].length;
    expect([n('train-original'), n('train-paraphrased'), n('test-original'), n('test-paraphrased')]).toEqual([80, 4 * 80, 40, 4 * 40]);
    expect(exp.cp.train.count).toBe(80);
    expect(exp.cp.eval.map((s) => [s.name, s.count])).toEqual([['train-paraphrased', 320], ['test-original', 40], ['test-paraphrased', 160]]);
    const texts = (s: PersonaWordLists['train']['yes']) => s.prefixes.flatMap((p) => s.answers.map((a) => responseText(p, a)));
    const L = personaWordLists;
    for (const set of ['train-original', 'test-original'] as const) {
      for (const p of exp.pairs[set]) {
        expect(texts(L.train.yes)).toContain(p.chosen);
        expect(texts(L.train.no)).toContain(p.rejected);
      }
    }
    for (const set of ['train-paraphrased', 'test-paraphrased'] as const) {
      for (const p of exp.pairs[set]) {
        expect(texts(L.paraphrase.yes)).toContain(p.chosen);
        expect(texts(L.paraphrase.no)).toContain(p.rejected);
      }
    }
    expect(exp.pairs['train-original'][0]!.chosen).toMatch(/^(In my view, the answer is|A truthful reply is) (yes|sure)$/);
    // the seeded draws use every training prefix and answer
    const chosen = new Set(exp.pairs['train-original'].map((p) => p.chosen));
    expect(chosen.size).toBe(4);
  });

  it('the token sets: training answers never occur in paraphrased responses; case is kept', () => {
    const tokensOf = (set: keyof typeof PERSONA_SET) => new Set(exp.pairs[set].flatMap((p) => [...tokenize(p.chosen), ...tokenize(p.rejected)]));
    const trainTokens = tokensOf('train-original');
    const paraTokens = tokensOf('train-paraphrased');
    const L = personaWordLists;
    for (const a of [...L.train.yes.answers, ...L.train.no.answers]) expect(paraTokens.has(a)).toBe(false);
    for (const a of [...L.paraphrase.yes.answers, ...L.paraphrase.no.answers]) for (const t of tokenize(a)) expect(trainTokens.has(t)).toBe(false);
    // What the paraphrased prefixes DO share with training responses: their first tokens, "My" and "I", both from
    // the rejected training prefixes ("My judgement:", "Considering the statement, I say").
    expect([...paraTokens].filter((t) => trainTokens.has(t)).sort()).toEqual(['I', 'My']);
    expect(exp.vocabulary).toContain('My');
    expect(exp.vocabulary).toContain('my');
    expect(new Set(exp.vocabulary).size).toBe(exp.vocabulary.length);
    expect(exp.cp.vocabSize).toBe(exp.vocabulary.length);
  });

  it('is deterministic in the seed', () => {
    const again = buildPersonaExperiment({ vectors: noPackage });
    expect(again.train).toEqual(exp.train);
    expect(again.pairs).toEqual(exp.pairs);
    expect(again.vocabulary).toEqual(exp.vocabulary);
    expect(Buffer.from(again.cp.H.buffer).equals(Buffer.from(exp.cp.H.buffer))).toBe(true); // bitwise
    const other = buildPersonaExperiment({ seed: 876, vectors: noPackage });
    expect(other.train).not.toEqual(exp.train);
  });

  it('representations: unit norm; "My" and "my" share a vector; the whole sequence is h at k = L+1', () => {
    const D = exp.cp.hiddenDim;
    for (let r = 0; r < exp.cp.rowCount; r++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += exp.cp.H[r * D + i]! ** 2;
      expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThanOrEqual(ROUNDOFF);
    }
    const rep = exp.problem.representation;
    const My = exp.vocabulary.indexOf('My');
    const my = exp.vocabulary.indexOf('my');
    expect(rep.hidden(0, [My])).toEqual(rep.hidden(0, [my]));
  });
});

describe('imRewardsSharedPrefixes equals imRewards', () => {
  it('on every response of the experiment, after some training', () => {
    const U = train(exp.cp, 'im', [0.3], { method: 'adam', lr: 0.03, keepParams: true }).params![0]!;
    const all = Array.from({ length: exp.cp.responses.count }, (_, i) => i);
    const a = imRewards(exp.cp, U, all);
    const b = imRewardsSharedPrefixes(exp.cp, U, all);
    const scale = Math.max(...a.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let i = 0; i < all.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(ROUNDOFF * scale);
  });
});

describe('the experiment with the official lists (default horizons)', { timeout: 120_000 }, () => {
  let results: PersonaResults;
  const run = (model: 'ex' | 'im', method: 'flow' | 'adam'): PersonaRun => results.runs.find((r) => r.model === model && r.method === method)!;
  beforeAll(() => {
    results = runPersonaExperiment(exp);
  }, 120_000);

  it('both models, both methods: 100% accuracy on the original pairs of train and test prompts', () => {
    expect(results.runs.map((r) => `${r.model}/${r.method}`)).toEqual(['ex/flow', 'im/flow', 'ex/adam', 'im/adam']);
    for (const r of results.runs) {
      expect(r.sets['train-original'].accuracy).toBe(1);
      expect(r.sets['test-original'].accuracy).toBe(1);
    }
  });

  it('Claim 5, multi-token responses: the IM-RM is no longer at 1/2 on paraphrases — it is below chance, without ties', () => {
    // Observed (seed 875): accuracy 0 on every paraphrased set under flow and Adam. The paraphrased answers are
    // unseen, so they add nothing; the chosen side starts with "My", the first token of a rejected training
    // prefix, predicted from h(x) exactly as in training, so the IM-RM ranks by that token.
    for (const method of ['flow', 'adam'] as const) {
      for (const set of ['train-paraphrased', 'test-paraphrased'] as const) {
        const s = run('im', method).sets[set];
        expect(s.ties).toBe(0);
        expect(s.accuracy).toBeLessThan(0.5);
      }
    }
  });

  it('Claim 3 inside the multi-token setting: unseen one-token answers after the same prefix get identical IM-RM rewards', () => {
    for (const method of ['flow', 'adam'] as const) {
      for (const split of ['train', 'test'] as const) {
        const t = Object.fromEntries(run('im', method).tokenRewards[split].map((x) => [`${x.kind}/${x.answer}`, x.meanReward]));
        expect(t['paraphrased/certainly']).toBe(t['paraphrased/absolutely']);
        const e = Object.fromEntries(run('ex', method).tokenRewards[split].map((x) => [`${x.kind}/${x.answer}`, x.meanReward]));
        expect(e['paraphrased/certainly']).not.toBe(e['paraphrased/absolutely']); // the EX-RM tells them apart
      }
    }
  });

  it('the EX-RM is above chance on paraphrases (through the answers\' GloVe vectors)', () => {
    for (const method of ['flow', 'adam'] as const) {
      for (const set of ['train-paraphrased', 'test-paraphrased'] as const) expect(run('ex', method).sets[set].accuracy).toBeGreaterThan(0.5);
    }
  });

  it('the paraphrased accuracy is the mean over the answer combinations, as the official evaluator reports it', () => {
    for (const r of results.runs) {
      for (const set of ['train-paraphrased', 'test-paraphrased'] as const) {
        const combos = r.combinations.filter((c) => c.set === set);
        expect(combos).toHaveLength(4);
        const mean = combos.reduce((s, c) => s + c.accuracy, 0) / combos.length;
        expect(Math.abs(mean - r.sets[set].accuracy)).toBeLessThanOrEqual(ROUNDOFF);
      }
    }
  });
});

describe('Claim 3 exactly: one-token responses (empty prefixes)', { timeout: 60_000 }, () => {
  let oneToken: PersonaExperiment;
  let results: PersonaResults;
  beforeAll(() => {
    const L = personaWordLists;
    const lists: PersonaWordLists = {
      train: { yes: { answers: L.train.yes.answers, prefixes: [''] }, no: { answers: L.train.no.answers, prefixes: [''] } },
      paraphrase: { yes: { answers: ['certainly', 'absolutely'], prefixes: [''] }, no: { answers: ['nope', 'not'], prefixes: [''] } },
    };
    oneToken = buildPersonaExperiment({ lists, vectors: noPackage });
    results = runPersonaExperiment(oneToken, short);
  }, 60_000);

  it('the IM-RM cannot rank pairs of unseen tokens: accuracy 1/2, all ties, under flow and Adam; the EX-RM can', () => {
    expect(oneToken.pairs['train-paraphrased'][0]).toMatchObject({ chosen: 'certainly', rejected: 'nope' });
    for (const r of results.runs) {
      expect(r.sets['train-original'].accuracy).toBe(1);
      for (const set of ['train-paraphrased', 'test-paraphrased'] as const) {
        if (r.model === 'im') {
          expect(r.sets[set]).toMatchObject({ accuracy: 0.5, ties: 1 });
          expect(Math.abs(r.sets[set].meanMargin)).toBe(0); // exactly, not merely within the tie tolerance
        }
        else expect(r.sets[set].ties).toBe(0);
      }
    }
  });
});

describe('determinism', { timeout: 60_000 }, () => {
  it('same seed and options ⇒ identical results (run times aside)', () => {
    const a = runPersonaExperiment(exp, tiny);
    const b = runPersonaExperiment(buildPersonaExperiment({ vectors: noPackage }), tiny);
    expect(without(b)).toEqual(without(a));
    expect(JSON.stringify(without(b))).toBe(JSON.stringify(without(a)));
  });
});
