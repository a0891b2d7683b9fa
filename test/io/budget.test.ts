/**
 * The memory budget (models/budget.ts): one input number must not drive unbounded memory. Each boundary estimates
 * what an input will allocate and refuses it beyond the budget, naming the field — library level here, through the
 * CLI in `hostileCli.test.ts`. The estimates are the documented formulas (docs/formats.md, "Memory budget").
 */
import { totalmem } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildProbeProblem,
  compileProblem,
  heapBudget,
  InputError,
  makeProblem,
  memoryBudget,
  message,
  parseMemorySize,
  parseProblem,
  parseTimes,
  resolveProbeOptions,
  runProbeCell,
  setMemoryBudget,
  train,
} from '../../src/index.js';
import { getCell } from '../../src/sweep/registry.js';
import '../../src/probes/cells.js';
import { problemEstimate, tinyProblem } from './hostile.js';

afterEach(() => setMemoryBudget(undefined));
const GiB = 1024 ** 3;

describe('memory sizes and the default budget', () => {
  it('parses sizes in bytes and binary units; refuses anything else', () => {
    const cases: [string, number][] = [
      ['100', 100],
      ['8G', 8 * GiB],
      ['8GiB', 8 * GiB],
      ['8gb', 8 * GiB],
      ['512M', 512 * 1024 ** 2],
      ['1.5T', 1.5 * 1024 ** 4],
      ['64k', 64 * 1024],
      [' 2G ', 2 * GiB],
      ['1e9', 1e9],
    ];
    for (const [text, bytes] of cases) expect(parseMemorySize(text), text).toBe(bytes);
    for (const text of ['', 'abc', '-1', '0', '8X', '0x10', '8 G B', 'Infinity', '1e999']) expect(parseMemorySize(text), text).toBeNaN();
  });

  it('defaults to half of the machine\'s memory; setMemoryBudget overrides it', () => {
    const constrained = (process as { constrainedMemory?: () => number }).constrainedMemory?.() ?? 0;
    const machine = constrained > 0 && constrained < totalmem() ? constrained : totalmem();
    expect(memoryBudget()).toBe(Math.floor(machine / 2));
    setMemoryBudget(GiB);
    expect(memoryBudget()).toBe(GiB);
    expect(heapBudget()).toBeLessThanOrEqual(GiB);
  });
});

const tiny = tinyProblem;

describe('problem files: |V| × D must fit the budget before anything of that size is allocated', () => {
  it('vocabSize 1e9 and 1e15 with tiny data are refused naming vocabSize, with the size they would need', () => {
    for (const V of [1e9, 1e15]) {
      const expected = message.overBudget('p.json', 'vocabSize', `|V| = ${V} tokens × D = 2 (with 3 hidden vectors)`, problemEstimate(V, 2, 3), memoryBudget());
      expect(() => parseProblem(tiny(V), 'p.json')).toThrow(InputError);
      expect(() => parseProblem(tiny(V), 'p.json')).toThrow(expected);
    }
  });

  it('a huge hiddenDim is named instead when it is the larger', () => {
    const D = 3e9;
    expect(() => parseProblem(tiny(6, D), 'p.json')).toThrow(message.overBudget('p.json', 'hiddenDim', `|V| = 6 tokens × D = ${D} (with 3 hidden vectors)`, problemEstimate(6, D, 3), memoryBudget()));
  });

  it('what fits is read (a GPT-2-sized |V| × D passes the check); a lower budget refuses it', () => {
    expect(parseProblem(tiny(50257), 'p.json').vocabSize).toBe(50257);
    expect(compileProblem(parseProblem(tiny(3), 'p.json')).U0.length).toBe(6);
    setMemoryBudget(problemEstimate(50257, 2, 3) - 1);
    expect(() => parseProblem(tiny(50257), 'p.json')).toThrow(message.overBudget('p.json', 'vocabSize', '|V| = 50257 tokens × D = 2 (with 3 hidden vectors)', problemEstimate(50257, 2, 3), problemEstimate(50257, 2, 3) - 1));
  });
});

describe('requested times', () => {
  it('logspace:0:3:1e7 is refused before a single time is made; so is n = 1e300', () => {
    expect(() => parseTimes('logspace:0:3:1e7')).toThrow(message.tooManyTimes('--times', 'logspace:0:3:1e7', 1e7, 1_000_000));
    expect(() => parseTimes('logspace:0:3:1e300', '--times')).toThrow(InputError);
  });

  it('the trajectory they make must fit the heap budget: checked in parseTimes (one pair) and in train (every pair)', () => {
    setMemoryBudget(2 * 1024 ** 2);
    // 64 bytes per reported number (docs/formats.md): 20 000 times × (loss + one margin) = 2.6 MB
    expect(() => parseTimes('logspace:0:3:20000')).toThrow(message.overBudget('--times', '', '20000 requested times × 2 reported numbers each (the loss and every pair\'s margin)', 64 * 20000 * 2, 2 * 1024 ** 2));
    const times = parseTimes('logspace:0:3:3000'); // 384 kB for one pair: accepted
    const cp = compileProblem(makeProblem('single-token', { seed: 0, vocab: 40, dim: 4, pairs: 5 })); // 3 sets × 5 pairs
    expect(() => train(cp, 'ex', times)).toThrow(message.overBudget('times', '', '3000 requested times × 16 reported numbers each (the loss and every pair\'s margin)', 64 * 3000 * 16, 2 * 1024 ** 2));
    setMemoryBudget(undefined);
    expect(train(cp, 'ex', times).times).toHaveLength(3000);
  });
});

describe('built-in problems (make-problem): refused before anything is drawn, naming the option furthest above its default', () => {
  const cases: [string, Parameters<typeof makeProblem>, RegExp][] = [
    ['tabular --length 30', ['tabular', { seed: 0, length: 30 }], /^--length: a tabular problem of --length 30 \(with --vocab 4, --pairs 12\) would need about [\d.]+ PiB of memory, more than the budget of/],
    ['--vocab 1e9', ['single-token', { seed: 0, vocab: 1e9 }], /^--vocab: a single-token problem of --vocab 1000000000 \(with --pairs 64, --dim 128\) would need about [\d.]+ TiB/],
    ['--dim 1e9', ['single-token', { seed: 0, dim: 1e9 }], /^--dim: a single-token problem of --dim 1000000000 \(with --vocab 1000, --pairs 64\) would need about/],
    ['--pairs 1e7', ['single-token', { seed: 0, pairs: 1e7 }], /^--pairs: a single-token problem of --pairs 10000000 \(with --vocab 1000, --dim 128\) would need about [\d.]+ GiB/],
    ['multi-token --vocab 1e9', ['multi-token', { seed: 0, vocab: 1e9 }], /^--vocab: a multi-token problem of --vocab 1000000000/],
    ['tabular --pairs 1e5', ['tabular', { seed: 0, pairs: 1e5 }], /^--pairs: a tabular problem of --pairs 100000/],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => {
      expect(() => makeProblem(...args)).toThrow(InputError);
      expect(() => makeProblem(...args)).toThrow(expected);
    });
  }

  it('the defaults of every kind fit (no false refusals)', () => {
    for (const kind of ['single-token', 'multi-token', 'tabular'] as const) expect(makeProblem(kind, { seed: 0 }).train.length).toBeGreaterThan(0);
  });
});

describe('probe cells (and so sweep cells): the budget is part of the options\' resolution', () => {
  const vocab = /^probe: vocab: a one-token probe problem of vocab 1000000000 \(with dim 32, pairs 32\) would need about [\d.]+ GiB of memory/;
  it('resolveProbeOptions, buildProbeProblem, runProbeCell and the registered sweep cell all refuse vocab 1e9', () => {
    const opts = { kind: 'one-token' as const, seed: 0, vocab: 1e9 };
    expect(() => resolveProbeOptions(opts)).toThrow(vocab);
    expect(() => buildProbeProblem(opts)).toThrow(vocab);
    expect(() => runProbeCell(opts)).toThrow(vocab);
    expect(() => getCell('probe')!.run({ kind: 'one-token', vocab: 1e9 }, 0)).toThrow(vocab);
  });

  it('and name dim, pairs or length when that is what is out of proportion', () => {
    expect(() => resolveProbeOptions({ kind: 'one-token', seed: 0, dim: 1e9 })).toThrow(/^probe: dim: a one-token probe problem of dim 1000000000/);
    expect(() => resolveProbeOptions({ kind: 'one-token', seed: 0, pairs: 1e9 })).toThrow(/^probe: pairs: /);
    expect(() => resolveProbeOptions({ kind: 'multi-token', seed: 0, vocab: 1e8, length: 1e7 })).toThrow(/^probe: length: a multi-token probe problem of length 10000000/);
    expect(resolveProbeOptions({ kind: 'multi-token', seed: 0 }).vocab).toBe(200);
  });
});
