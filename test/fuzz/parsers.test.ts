/**
 * Fuzzing every parser of user input (issue 12): the problem, hidden-state index, sweep, sweep-result and trajectory
 * files, `.npy` arrays, and the CLI's option parsers. Thousands of generated malformed inputs — valid documents with
 * random structural mutations (values replaced by hostile ones, keys deleted or added, `__proto__` keys, deep
 * nesting), byte-level mutations of their files (truncation, invalid UTF-8, stray bytes), and hostile option strings —
 * and every one must either parse or fail with a clean `InputError`; any other exception (a TypeError, a RangeError, a
 * stack overflow) fails the test with the input that caused it. Seeded, so a failure reproduces. The counts are
 * printed.
 *
 * Only public entry points are used (`parseProblem`, `readProblem`, `importHidden`, `readTrajectory`, `parseNpy`,
 * `parseSweepSpec`, `readSweepSpec`, `resolveCell`, `parseSweepLine`, `readSweepFile`, the commands' option parsers),
 * so the test keeps working as the formats grow.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOptions } from '../../src/cli/check.js';
import { checkOutput, parseTimesOption, type RawOptions } from '../../src/cli/common.js';
import { figuresOptions } from '../../src/cli/figures.js';
import { flowOptions } from '../../src/cli/flow.js';
import { importHiddenOptions } from '../../src/cli/importHidden.js';
import { makeProblemOptions } from '../../src/cli/makeProblem.js';
import { personaOptions } from '../../src/cli/persona.js';
import { mergeOptions, sweepOptions } from '../../src/cli/sweep.js';
import {
  compileProblem,
  formatSweepLine,
  importHidden,
  makeProblem,
  parseNpy,
  parseProblem,
  parseShard,
  parseSweepLine,
  parseSweepSpec,
  problemToJson,
  readProblem,
  readSweepFile,
  readSweepSpec,
  readTrajectory,
  resolveCell,
  runIdOf,
  train,
  trajectoryToJson,
  writeNpy,
} from '../../src/index.js';
import '../../src/probes/cells.js';

const SEED = 20_260_512;
const dir = mkdtempSync(join(tmpdir(), 'imrm-fuzz-'));
let fileCounter = 0;
const tempFile = (name: string, bytes: Uint8Array | string): string => {
  const file = join(dir, `${fileCounter++ % 64}-${name}`);
  writeFileSync(file, bytes);
  return file;
};

// --- bookkeeping: every input is counted, and must be accepted or rejected with an InputError --------------------

const counts = new Map<string, { inputs: number; rejected: number }>();
afterAll(() => {
  const rows = [...counts].map(([parser, c]) => `${parser.padEnd(44)} ${String(c.inputs).padStart(6)} inputs, ${String(c.rejected).padStart(6)} clean InputErrors, ${String(c.inputs - c.rejected).padStart(5)} accepted`);
  const total = [...counts.values()].reduce((a, c) => a + c.inputs, 0);
  console.log(`fuzz: ${total} generated inputs, every one accepted or rejected with an InputError\n${rows.join('\n')}`);
});

/** Runs `parse`; an `InputError` counts as a clean rejection, anything else is rethrown (fast-check reports the input). */
function clean(parser: string, parse: () => unknown): void {
  const c = counts.get(parser) ?? { inputs: 0, rejected: 0 };
  counts.set(parser, c);
  c.inputs++;
  try {
    parse();
  } catch (error) {
    if (error instanceof Error && error.name === 'InputError') {
      c.rejected++;
      return;
    }
    throw error;
  }
}

// --- hostile values and mutations --------------------------------------------------------------------------------

const deep = (levels: number, open = '[', close = ']', inner = ''): unknown => JSON.parse(open.repeat(levels) + inner + close.repeat(levels));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, -1, 1, 2, 0.5, -0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1e15, 1e9, '', ' ', 'x', '0x10', '1e3', 'init', 'none', 'train', '__proto__', 'imrm-problem/1', 'imrm-sweep/1', 'one-token', 'multi-token', 'hidden.npy', '../etc/passwd', [], {}, [[]], [null], ['a'], [1, 2, 3], [-1], [1.5], { a: 1 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 50, max: 3000 }).map((k) => deep(k)),
  fc.integer({ min: 50, max: 500 }).map((k) => deep(k, '{"a":', '}', '1')),
  fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.parse(`{"__proto__": ${JSON.stringify(v) ?? 'null'}}`)),
  fc.array(fc.double(), { maxLength: 40 }).map((xs) => xs.map((x) => (Number.isFinite(x) ? x : 0))),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const hostileNumber = fc.oneof(fc.constantFrom(0, -1, 1, 3, 1e9, 2 ** 31, 2 ** 32, 1e15, 2 ** 53, 2 ** 53 + 2, 1e308, 0.5), fc.integer(), fc.double());
const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const keyNames = fc.constantFrom('__proto__', 'constructor', 'toString', 'trian', 'evals', 'x', '', 'h', 'prompt', 'U', 'u', 'seed', 'rhoo', 'horizn', 'format');

/** One structural mutation of a JSON document, driven by `choices` (deterministic given them). */
function mutate(doc: unknown, choices: readonly number[], value: unknown, key: string): unknown {
  const root = { v: doc === undefined ? undefined : (JSON.parse(JSON.stringify(doc)) as unknown) };
  let parent: Record<string, unknown> | unknown[] = root as unknown as Record<string, unknown>;
  let slot: string | number = 'v';
  let i = 0;
  for (; i < choices.length - 1; i++) {
    const node: unknown = (parent as Record<string | number, unknown>)[slot];
    if (node === null || typeof node !== 'object') break;
    const children = Array.isArray(node) ? node.length : Object.keys(node).length;
    const pick = choices[i]! % (children + 1);
    if (pick === children) break; // stop here
    parent = node as Record<string, unknown>;
    slot = Array.isArray(node) ? pick : Object.keys(node)[pick]!;
  }
  const here = (parent as Record<string | number, unknown>)[slot];
  const set = (v: unknown) => Object.defineProperty(parent, slot, { value: v, enumerable: true, writable: true, configurable: true });
  switch (choices[choices.length - 1]! % 7) {
    case 0:
      set(value);
      break;
    case 1:
      if (Array.isArray(parent)) parent.splice(slot as number, 1);
      else delete (parent as Record<string, unknown>)[slot];
      break;
    case 2:
      if (here !== null && typeof here === 'object' && !Array.isArray(here)) Object.defineProperty(here, key, { value, enumerable: true, writable: true, configurable: true });
      else set(value);
      break;
    case 3:
      if (Array.isArray(here)) here.push(here.length > 0 ? here[0] : value);
      else set([here]);
      break;
    case 4:
      if (Array.isArray(here)) here.length = 0;
      else set(typeof here === 'number' ? String(here) : typeof here === 'string' ? Number(here) : value);
      break;
    case 5:
      set(typeof here === 'number' ? -here - 1 : typeof here === 'number' ? here * 1e12 : value);
      break;
    default:
      if (typeof here === 'number') set(here + 0.5);
      else set(value);
  }
  return root.v;
}

const structural = fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 2, maxLength: 10 }), hostileValue, keyNames), { minLength: 1, maxLength: 3 });
/** A document's file text (a deleted root leaves an empty file). */
const json = (v: unknown): string => JSON.stringify(v) ?? '';
const applyAll = (doc: unknown, ops: readonly [number[], unknown, string][]): unknown => ops.reduce((d, [choices, value, key]) => mutate(d, choices, value, key), doc);

/** Byte-level damage to a file's text: truncation, a stray or invalid byte, a deleted range, an inserted one. */
const byteDamage = fc.array(
  fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(0x00, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x80, 0xbf, 0xc0, 0xc3, 0xe9, 0xed, 0xf4, 0xff, 0x30, 0x2d)),
  { minLength: 1, maxLength: 4 },
);
function damage(text: string, ops: readonly [number, number, number][]): Uint8Array {
  let bytes = Buffer.from(text, 'utf8');
  for (const [at, kind, byte] of ops) {
    const k = bytes.length === 0 ? 0 : at % bytes.length;
    if (kind === 0) bytes = bytes.subarray(0, k);
    else if (kind === 1) bytes = Buffer.concat([bytes.subarray(0, k), Buffer.from([byte]), bytes.subarray(k + 1)]);
    else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, k), bytes.subarray(k + 1 + (byte % 16))]);
    else bytes = Buffer.concat([bytes.subarray(0, k), Buffer.from([byte]), bytes.subarray(k)]);
  }
  return bytes;
}

// --- valid documents to start from -------------------------------------------------------------------------------

const problem = makeProblem('multi-token', { seed: 1, vocab: 40, dim: 4, pairs: 2, length: 2 });
const problemJson = { ...problemToJson(problem), init: { u: [0.1, 0, 0, 0.2], U: Array.from({ length: 40 }, (_, v) => [v / 40, 0, 0, 0]) } };
const problemText = JSON.stringify(problemJson);
const trajectoryText = JSON.stringify(trajectoryToJson(train(compileProblem(problem), 'ex', [0, 1, 10])));
const indexJson = {
  format: 'imrm-hidden-index/1', vocabSize: 3, beta: 1, reference: 'init',
  prefixes: [{ prompt: 0, prefix: [] }, { prompt: 0, prefix: [1] }, { prompt: 0, prefix: [2] }],
  train: [{ prompt: 0, chosen: [1], rejected: [2] }], eval: { para: [{ prompt: 0, chosen: [2], rejected: [1] }] },
};
const hiddenNpy = writeNpy(Float64Array.from([1, 0, 0.5, 0.5, 0, 1]), [3, 2], { dtype: '<f8' });
const sweepJson = { format: 'imrm-sweep/1', name: 'fuzz', cell: 'probe', fixed: { kind: 'one-token', vocab: 60, dim: 8, horizon: 100 }, grid: { rho: [0, 0.9], pairs: [4, 8] }, seeds: { from: 0, count: 2 } };
const sweepLine = formatSweepLine({ runId: runIdOf('probe', { rho: 0 }, 1), index: 0, params: { rho: 0 }, seed: 1, result: { 'ex.loss': 0.5, label: 'x' }, ms: 1.5 });

const runs = (n: number) => ({ numRuns: n, seed: SEED });

describe('fuzz: file parsers reject malformed input with an InputError, never another exception', { timeout: 600_000 }, () => {
  it('problem files: structural mutations (parseProblem) and damaged bytes (readProblem)', () => {
    fc.assert(fc.property(structural, (ops) => clean('problem: parseProblem (mutated JSON)', () => parseProblem(applyAll(problemJson, ops), '<fuzz>'))), runs(2500));
    fc.assert(fc.property(hostileValue, (v) => clean('problem: parseProblem (any value)', () => parseProblem(v, '<fuzz>'))), runs(500));
    // The sizes drive allocation: a hostile number in one of them must be refused, not crash an allocation.
    const sizes = fc.record({ vocabSize: fc.option(hostileNumber, { nil: undefined }), hiddenDim: fc.option(hostileNumber, { nil: undefined }) });
    const onlyU = { ...problemJson, init: { U: problemJson.init.U } };
    fc.assert(fc.property(sizes, fc.boolean(), (s, u) => clean('problem: parseProblem (hostile sizes)', () => parseProblem({ ...(u ? problemJson : onlyU), ...definedOnly(s) }, '<fuzz>'))), runs(300));
    fc.assert(fc.property(byteDamage, (ops) => clean('problem: readProblem (damaged bytes)', () => readProblem(tempFile('p.json', damage(problemText, ops))))), runs(800));
  });

  it('hidden-state index files and .npy arrays (importHidden, parseNpy)', () => {
    const npy = tempFile('hidden.npy', hiddenNpy);
    fc.assert(
      fc.property(structural, (ops) => {
        const index = tempFile('index.json', json(applyAll(indexJson, ops)));
        clean('index: importHidden (mutated JSON)', () => importHidden(index, { hiddenFile: npy }));
      }),
      runs(1000),
    );
    fc.assert(fc.property(byteDamage, (ops) => clean('index: importHidden (damaged bytes)', () => importHidden(tempFile('index.json', damage(JSON.stringify(indexJson), ops)), { hiddenFile: npy }))), runs(500));
    fc.assert(fc.property(byteDamage, (ops) => clean('npy: parseNpy (damaged bytes)', () => parseNpy(damage(Buffer.from(hiddenNpy).toString('latin1'), ops), '<fuzz>.npy'))), runs(800));
  });

  it('trajectory files (readTrajectory)', () => {
    fc.assert(fc.property(structural, (ops) => clean('trajectory: readTrajectory (mutated JSON)', () => readTrajectory(tempFile('t.json', json(applyAll(JSON.parse(trajectoryText), ops)))))), runs(1000));
    fc.assert(fc.property(byteDamage, (ops) => clean('trajectory: readTrajectory (damaged bytes)', () => readTrajectory(tempFile('t.json', damage(trajectoryText, ops))))), runs(500));
  });

  it('sweep files, checked against the probe cell (parseSweepSpec + resolveCell, readSweepSpec)', () => {
    fc.assert(
      fc.property(structural, (ops) =>
        clean('sweep: parseSweepSpec + resolveCell (mutated)', () => {
          const spec = parseSweepSpec(applyAll(sweepJson, ops), '<fuzz>');
          resolveCell(spec, '<fuzz>');
        }),
      ),
      runs(2500),
    );
    fc.assert(fc.property(byteDamage, (ops) => clean('sweep: readSweepSpec (damaged bytes)', () => readSweepSpec(tempFile('s.json', damage(JSON.stringify(sweepJson), ops))))), runs(500));
  });

  it('sweep result lines and files (parseSweepLine, readSweepFile)', () => {
    const line = JSON.parse(sweepLine) as unknown;
    fc.assert(fc.property(structural, (ops) => clean('results: parseSweepLine (mutated)', () => parseSweepLine(json(applyAll(line, ops)), '<fuzz>', 1))), runs(1200));
    fc.assert(fc.property(byteDamage, (ops) => clean('results: readSweepFile (damaged bytes)', () => readSweepFile(tempFile('r.jsonl', damage(sweepLine + sweepLine, ops))))), runs(500));
  });
});

// --- the command line ----------------------------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.constantFrom('0x10', '0b11', '0o7', '1e10', '1e-12', '-1', '0', '1', '2', '0.5', '.5', '5.', '1_000', '', ' ', '  1  ', 'NaN', 'Infinity', '-Infinity', '1e400', '9007199254740993', '9007199254740991', '1e6', 'flow', 'gd', 'adam', 'ex', 'im', 'auto', 'function', 'parameter', 'single-token', 'multi-token', 'tabular', 'init', 'none', 'both', 'bar', 'lines', 'logspace:0:3:4', 'logspace:0:3:1e9', 'logspace:-1:2:0', 'logspace:a:b:c', '0,1,10', '0,,1', '1,-1', '3/10', '10/3', 'a,b', '\\,', 'margins-over-time', '1,2,3', '7', 'x\u0000y', '/', '.', '\u00e9'),
  fc.string({ maxLength: 12 }),
);
/** Values each option accepts, so that generated command lines often get past the first option to the later checks. */
const PLAUSIBLE: Record<string, string[]> = {
  problem: ['p.json'], model: ['ex', 'im'], times: ['0,1,10', 'logspace:-1:3:5', '5'], out: ['out.json'], method: ['flow', 'gd', 'adam', 'both'],
  lr: ['0.1', '1e-3'], rtol: ['1e-6'], atol: ['1e-9'], maxSteps: ['1000', '10'], form: ['auto', 'parameter'],
  kind: ['single-token', 'multi-token', 'tabular'], seed: ['0', '42'], vocab: ['100'], dim: ['8'], pairs: ['4'], length: ['3'], rho: ['0.5', '-1'],
  tokensPerLabel: ['2'], beta: ['1'], reference: ['init', 'none'], claims: ['1,3', '6'], seeds: ['2'], only: ['margins-over-time'],
  answersYes: ['yes,sure'], prefixesNo: ['No\\, I do not'], evalAnswersNo: ['nope'], time: ['100'], steps: ['10'], decay: ['0.8'], promptWeight: ['1'],
  packageDir: ['vectors'], workers: ['2'], shard: ['0/2'], progress: ['none', 'auto'], index: ['index.json'], hidden: ['hidden.npy'],
};
const raw = (names: readonly string[]): fc.Arbitrary<RawOptions> =>
  fc.record(
    Object.fromEntries(
      names.map((n) => [n, fc.option(fc.oneof({ arbitrary: fc.constantFrom<string | true>(...(PLAUSIBLE[n] ?? [true])), weight: 3 }, { arbitrary: hostileString, weight: 1 }, { arbitrary: fc.constant(true as const), weight: 1 }), { nil: undefined, freq: 3 })]),
    ),
  );

describe('fuzz: the option parsers of every command', { timeout: 600_000 }, () => {
  it('flow, make-problem, check, figures, persona, sweep, merge, import-hidden', () => {
    const commands: [string, readonly string[], (o: RawOptions) => unknown][] = [
      ['flow', ['problem', 'model', 'times', 'out', 'method', 'lr', 'rtol', 'atol', 'maxSteps', 'form', 'quiet'], flowOptions],
      ['make-problem', ['kind', 'seed', 'out', 'vocab', 'dim', 'pairs', 'length', 'rho', 'tokensPerLabel', 'beta', 'reference'], makeProblemOptions],
      ['check', ['claims', 'seeds', 'json'], checkOptions],
      ['figures', ['only', 'out'], figuresOptions],
      ['persona', ['answersYes', 'prefixesNo', 'evalAnswersNo', 'method', 'time', 'rtol', 'lr', 'steps', 'seed', 'beta', 'decay', 'promptWeight', 'packageDir', 'json'], personaOptions],
      ['sweep', ['out', 'workers', 'shard', 'progress', 'summary'], (o) => sweepOptions(o.out, o)],
      ['merge', ['out', 'json'], (o) => mergeOptions(typeof o.out === 'string' ? [o.out, o.out] : o.out, o)],
      ['import-hidden', ['index', 'out', 'hidden'], importHiddenOptions],
    ];
    for (const [name, options, parse] of commands) {
      fc.assert(fc.property(raw(options), (o) => clean(`cli: ${name} options`, () => parse(o))), runs(1200));
    }
    fc.assert(fc.property(hostileString, (s) => clean('cli: --times', () => parseTimesOption('--times', s))), runs(1000));
    fc.assert(fc.property(hostileString, (s) => clean('cli: --shard', () => parseShard(s, '--shard'))), runs(300));
    fc.assert(fc.property(hostileString, (s) => clean('cli: output paths (checkOutput)', () => checkOutput('--out', join(dir, s), [['--problem', join(dir, '0-p.json')]]))), runs(500));
  });

  it('has tried thousands of inputs', () => {
    const total = [...counts.values()].reduce((a, c) => a + c.inputs, 0);
    expect(total).toBeGreaterThan(10_000);
    // Mutations that break a document are the rule; a few leave it valid (which is fine): both outcomes occur.
    for (const [parser, c] of counts) if (parser.includes('mutated')) expect(c.rejected, parser).toBeGreaterThan(c.inputs / 4);
  });
});
