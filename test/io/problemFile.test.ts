/**
 * Every malformed case of docs/formats.md gets its own clear error (file, entry, field), exit code 2,
 * and no output file. Messages are asserted through the catalogue, never copied.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProblem, makeProblem, memoryBudget, message, parseProblem, problemToJson, readProblem, writeProblem } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { problemEstimate } from './hostile.js';

/** The example of docs/formats.md. */
const EXAMPLE = () => ({
  format: 'imrm-problem/1',
  vocabSize: 6,
  hiddenDim: 3,
  beta: 1.0,
  reference: 'init',
  init: { u: [0, 0, 0], U: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]] },
  hidden: [
    { prompt: 0, prefix: [], h: [1, 0, 0] },
    { prompt: 0, prefix: [2], h: [0.9, 0.1, 0] },
    { prompt: 0, prefix: [4], h: [0.1, 0.9, 0] },
    { prompt: 1, prefix: [], h: [0.8, 0, 0.6] },
    { prompt: 1, prefix: [3], h: [0.85, 0.15, 0.1] },
    { prompt: 1, prefix: [5], h: [0.15, 0.85, 0.1] },
  ] as { prompt: number; prefix: number[]; h: unknown[] }[],
  train: [{ prompt: 0, chosen: [2], rejected: [4] }] as unknown[],
  eval: { paraphrase: [{ prompt: 1, chosen: [3], rejected: [5] }] } as Record<string, unknown>,
});
type Example = ReturnType<typeof EXAMPLE> & Record<string, unknown>;

const F = 'bad.json';
/** Each case: how to break the example, and the catalogue message expected (file named `bad.json`). */
const CASES: [string, (p: Example) => string | void, string][] = [
  ['missing prefix', (p) => void p.hidden.splice(2, 1), message.missingPrefix(F, 'train[0].rejected', '(prompt 0, prefix [4])')],
  ['duplicate prefix', (p) => void p.hidden.push({ prompt: 0, prefix: [2], h: [0, 0, 1] }), message.duplicatePrefix(F, 'hidden[6]', 'hidden[1]', '(prompt 0, prefix [2])')],
  ['vector of the wrong length', (p) => void (p.hidden[3]!.h = [1, 0]), message.wrongLength(F, 'hidden[3].h', 3, 2)],
  ['token outside [0, vocabSize)', (p) => void (p.train[0] = { prompt: 0, chosen: [2], rejected: [6] }), message.tokenOutOfRange(F, 'train[0].rejected[0]', 6, 6)],
  ['non-finite number', (p) => '__INF__', message.notFinite(F, 'hidden[1].h[0]')],
  ['empty response', (p) => void ((p.eval.paraphrase as { chosen: number[] }[])[0]!.chosen = []), message.emptyResponse(F, 'eval.paraphrase[0].chosen')],
  ['unknown key', (p) => void (p.extra = 1), message.unknownField(F, 'extra')],
  ['unknown nested key', (p) => void ((p.train[0] as Record<string, unknown>).weight = 2), message.unknownField(F, 'train[0].weight')],
  ['eval set named train', (p) => void (p.eval.train = []), message.reservedSetName(F, 'eval.train')],
  ['beta not positive', (p) => void (p.beta = 0), message.notPositive(F, 'beta', 0)],
  ['bad reference', (p) => void (p.reference = 'sft'), message.badReference(F, 'reference', 'sft')],
  ['no train pair', (p) => void (p.train = []), message.emptyTrain(F)],
  ['missing required field', (p) => void delete (p as Partial<Example>).hiddenDim, message.missingField(F, 'hiddenDim')],
  ['wrong format', (p) => void (p.format = 'imrm-problem/2'), message.wrongFormat(F, 'imrm-problem/1', 'imrm-problem/2')],
  ['init.U of the wrong shape', (p) => void p.init.U.pop(), message.wrongLength(F, 'init.U', 6, 5)],
  ['negative prompt id', (p) => void (p.hidden[0]!.prompt = -1), message.badPrompt(F, 'hidden[0].prompt', -1)],
  // a validator that accepted token −1 would index U with −1 (issue 12's surviving mutation): every place a token sits
  ['token −1 in a response', (p) => void (p.train[0] = { prompt: 0, chosen: [-1], rejected: [4] }), message.tokenOutOfRange(F, 'train[0].chosen[0]', -1, 6)],
  ['token −1 in a hidden prefix', (p) => void (p.hidden[2]!.prefix = [-1]), message.tokenOutOfRange(F, 'hidden[2].prefix[0]', -1, 6)],
  ['token −1 in an eval response', (p) => void ((p.eval.paraphrase as { rejected: number[] }[])[0]!.rejected = [-1]), message.tokenOutOfRange(F, 'eval.paraphrase[0].rejected[0]', -1, 6)],
  // one number driving memory: refused before |V| × D is allocated
  ['vocabSize 1e9 with tiny data', (p) => void ((p as Record<string, unknown>).vocabSize = 1e9), message.overBudget(F, 'vocabSize', '|V| = 1000000000 tokens × D = 3 (with 6 hidden vectors)', problemEstimate(1e9, 3, 6), memoryBudget())],
];

function textOf(p: Example, marker: string | void): string {
  const text = JSON.stringify(p);
  // JSON has no Infinity; a number too large for a double is how a non-finite value reaches a parser
  return marker === '__INF__' ? text.replace('"h":[0.9,0.1,0]', '"h":[1e999,0.1,0]') : text;
}

describe('problem files: malformed input', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'imrm-bad-'));
  });

  for (const [name, breakIt, expected] of CASES) {
    it(`${name}: library error names file, entry and field`, () => {
      const p = EXAMPLE() as Example;
      const marker = breakIt(p);
      expect(() => parseProblem(JSON.parse(textOf(p, marker)), F)).toThrowError(expected);
    });

    it(`${name}: CLI exits 2 with the message and writes no trajectory`, () => {
      const p = EXAMPLE() as Example;
      const marker = breakIt(p);
      writeFileSync(join(dir, F), textOf(p, marker));
      const out = join(dir, `out-${name.replace(/\W+/g, '-')}.json`);
      const r = runCli(['flow', '--problem', F, '--model', 'im', '--times', '0,1', '--out', out, '--quiet'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(expected);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('not JSON, and a missing file, are input errors too', () => {
    writeFileSync(join(dir, 'notjson.json'), '{"format": ');
    expect(runCli(['flow', '--problem', 'notjson.json', '--model', 'ex', '--times', '1'], { cwd: dir }).code).toBe(2);
    const r = runCli(['flow', '--problem', 'nope.json', '--model', 'ex', '--times', '1'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message.cannotRead('nope.json', 'ENOENT'));
  });

  it('the format example itself is valid and runs', () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(EXAMPLE()));
    const r = runCli(['flow', '--problem', 'ok.json', '--model', 'im', '--times', '0,1,10', '--out', 'ok-traj.json', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 'ok-traj.json'), 'utf8'));
    expect(t.format).toBe('imrm-trajectory/1');
    expect(t.margins.paraphrase).toEqual([[0, 0, 0]]); // Claim 3: unseen tokens, margin exactly 0
  });
});

describe('problem files: round trip', { timeout: 120_000 }, () => {
  it('write → read → write is byte-identical and preserves the compiled problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-rt-'));
    for (const kind of ['single-token', 'multi-token', 'tabular'] as const) {
      const problem = makeProblem(kind, { seed: 3, vocab: kind === 'tabular' ? 4 : 80, dim: 8, pairs: 6, length: 3, tokensPerLabel: 2 });
      const a = join(dir, `${kind}-a.json`);
      const b = join(dir, `${kind}-b.json`);
      writeProblem(a, problem);
      const back = readProblem(a);
      writeProblem(b, back);
      expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
      const c1 = compileProblem(problem);
      const c2 = compileProblem(back);
      expect(c2.H).toEqual(c1.H);
      expect(c2.responses).toEqual(c1.responses);
      expect(problemToJson(back)).toEqual(problemToJson(problem));
    }
  });
});
