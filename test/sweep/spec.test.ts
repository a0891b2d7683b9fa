import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, message } from '../../src/messages/index.js';
import { probeMessages } from '../../src/messages/probes.js';
import { sweepMessages } from '../../src/messages/sweep.js';
import { PROBE_CELL_PARAMS } from '../../src/probes/cells.js';
import { didYouMean, jsonPath, MAX_NESTING } from '../../src/sweep/json.js';
import {
  MAX_RUNS,
  expandRuns,
  parseShard,
  parseSweepSpec,
  readSweepSpec,
  runIdOf,
  shardRuns,
  type SweepSpec,
} from '../../src/sweep/spec.js';
import { resolveCell } from '../../src/sweep/registry.js';
import { temporaryDirectory } from './helpers.js';
import './dummy-cells.js';

const FILE = 'study.sweep.json';
const base = { format: 'imrm-sweep/1', name: 'study', cell: 'dummy', seeds: [1, 2] };
const parse = (data: unknown): SweepSpec => parseSweepSpec(data, FILE);
const tmp = temporaryDirectory();
afterAll(tmp.remove);

describe('sweep file validation names the file and the JSON path', () => {
  it.each([
    ['an unknown top-level field', { ...base, extra: 1 }, sweepMessages.unknownField(FILE, 'extra')],
    ['an unknown field of the seed range', { ...base, seeds: { from: 0, count: 2, step: 1 } }, sweepMessages.unknownField(FILE, 'seeds.step')],
    ['an empty seed range', { ...base, seeds: { from: 0, count: 0 } }, sweepMessages.tooSmall(FILE, 'seeds.count', 1, 0)],
    ['a fractional seed', { ...base, seeds: [1, 2.5] }, sweepMessages.wrongType(FILE, 'seeds[1]', 'an integer', 2.5)],
    ['seeds of the wrong type', { ...base, seeds: 'all' }, sweepMessages.wrongType(FILE, 'seeds', 'an array or an object', 'all')],
    ['a missing field', { ...base, cell: undefined }, sweepMessages.missingField(FILE, 'cell')],
    ['an empty cell kind', { ...base, cell: '' }, sweepMessages.emptyText(FILE, 'cell')],
    ['an empty grid list', { ...base, grid: { lr: [] } }, sweepMessages.emptyList(FILE, 'grid.lr')],
    ['a grid entry that is not a list', { ...base, grid: { lr: 0.1 } }, sweepMessages.wrongType(FILE, 'grid.lr', 'an array', 0.1)],
    ['a non-identifier name', { ...base, grid: { 'n-tokens': 3 } }, sweepMessages.wrongType(FILE, 'grid["n-tokens"]', 'an array', 3)],
    ['a wrong format', { ...base, format: 'imrm-sweep/2' }, sweepMessages.wrongFormat(FILE, 'imrm-sweep/1', 'imrm-sweep/2')],
    ['a missing format', { ...base, format: undefined }, sweepMessages.missingField(FILE, 'format')],
    ['a duplicate grid value', { ...base, grid: { lr: [0.1, 0.2, 0.1] } }, sweepMessages.duplicateGridValue(FILE, 'grid.lr[2]', 'grid.lr[0]')],
    ['a duplicate object grid value', { ...base, grid: { p: [{ x: 1, y: 2 }, { y: 2, x: 1 }] } }, sweepMessages.duplicateGridValue(FILE, 'grid.p[1]', 'grid.p[0]')],
    ['a duplicate seed', { ...base, seeds: [4, 5, 4] }, sweepMessages.duplicateSeed(FILE, 'seeds[2]', 'seeds[0]')],
    ['a parameter both fixed and swept', { ...base, fixed: { a: 1 }, grid: { a: [1, 2] } }, sweepMessages.fixedAndGrid(FILE, 'grid.a', 'a')],
    ['a parameter named seed', { ...base, fixed: { seed: 1 } }, sweepMessages.reservedParam(FILE, 'fixed.seed')],
    ['a seed range past 2^53', { ...base, seeds: { from: Number.MAX_SAFE_INTEGER, count: 2 } }, sweepMessages.seedOutOfRange(FILE, 'seeds.count')],
    ['too many runs', { ...base, grid: { a: Array.from({ length: 1001 }, (_, i) => i) }, seeds: { from: 0, count: 1000 } }, sweepMessages.tooManyRuns(FILE, 1_001_000, MAX_RUNS)],
  ])('%s', (_what, data, expected) => {
    expect(() => parse(data)).toThrow(InputError);
    expect(() => parse(data)).toThrow(expected);
  });

  it('lists every problem, one per line', () => {
    const data = { ...base, extra: 1, grid: { lr: [] }, seeds: [1, 1.5] };
    let text = '';
    try {
      parse(data);
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text.split('\n').sort()).toEqual(
      [
        sweepMessages.unknownField(FILE, 'extra'),
        sweepMessages.emptyList(FILE, 'grid.lr'),
        sweepMessages.wrongType(FILE, 'seeds[1]', 'an integer', 1.5),
      ].sort(),
    );
  });

  it('reports unreadable and non-JSON files by name', () => {
    const missing = path.join(tmp.dir, 'missing.json');
    expect(() => readSweepSpec(missing)).toThrow(`${missing}: cannot read the file`);
    const broken = path.join(tmp.dir, 'broken.json');
    writeFileSync(broken, '{"format": ');
    let reason = '';
    try {
      JSON.parse('{"format": ');
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(() => readSweepSpec(broken)).toThrow(sweepMessages.notJson(broken, reason));
  });

  it("reports parameters the cell's schema rejects at their place in the file", () => {
    const spec = parse({ ...base, fixed: { label: 'l' }, grid: { a: [1, 'two'] } });
    expect(() => resolveCell(spec, FILE)).toThrow(sweepMessages.badParams(FILE, 'grid.a[1]', 'dummy', ''));
    const fixed = parse({ ...base, fixed: { a: 1, label: 7 } });
    expect(() => resolveCell(fixed, FILE)).toThrow(sweepMessages.badParams(FILE, 'fixed.label', 'dummy', ''));
    const unknown = parse({ ...base, cell: 'no-such-cell' });
    expect(() => resolveCell(unknown, FILE)).toThrow(sweepMessages.unknownCell(FILE, 'no-such-cell', []).split(' (')[0]);
  });
});

describe('run list', () => {
  const spec = parse({ ...base, fixed: { label: 'f' }, grid: { b: ['x', 'y'], a: [1, 2] }, seeds: [7, 9] });

  it('is grid × seeds: seeds outermost, grid names in code-point order, the last fastest', () => {
    const runs = expandRuns(spec);
    expect(runs.map((r) => [r.seed, r.params['a'], r.params['b']])).toEqual([
      [7, 1, 'x'], [7, 1, 'y'], [7, 2, 'x'], [7, 2, 'y'],
      [9, 1, 'x'], [9, 1, 'y'], [9, 2, 'x'], [9, 2, 'y'],
    ]);
    expect(runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(runs[0]?.params).toEqual({ a: 1, b: 'x', label: 'f' });
  });

  it('has stable, distinct run ids independent of key order and of the run position', () => {
    const runs = expandRuns(spec);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(runs.length);
    for (const run of runs) expect(run.runId).toMatch(/^[0-9a-f]{16}$/);
    const reordered = parse({ seeds: [9, 7], grid: { a: [2, 1], b: ['y', 'x'] }, fixed: { label: 'f' }, cell: 'dummy', name: 'other', format: 'imrm-sweep/1' });
    const ids = (s: SweepSpec): string[] => expandRuns(s).map((r) => r.runId).sort();
    expect(ids(reordered)).toEqual(ids(spec));
    expect(runIdOf('dummy', { a: 1 }, 1)).not.toBe(runIdOf('other-cell', { a: 1 }, 1));
    expect(runIdOf('dummy', { a: 1, b: 2 }, 1)).toBe(runIdOf('dummy', { b: 2, a: 1 }, 1));
  });

  it('keeps earlier runs in place when seeds are appended', () => {
    const more = parse({ ...base, fixed: { label: 'f' }, grid: { b: ['x', 'y'], a: [1, 2] }, seeds: [7, 9, 11] });
    expect(expandRuns(more).slice(0, 8)).toEqual(expandRuns(spec));
  });

  it('expands a seed range', () => {
    const range = parse({ ...base, seeds: { from: 5, count: 3 } });
    expect(expandRuns(range).map((r) => r.seed)).toEqual([5, 6, 7]);
  });

  it('splits into shards that partition it', () => {
    const runs = expandRuns(spec);
    const shards = [0, 1, 2].map((index) => shardRuns(runs, { index, count: 3 }));
    expect(shards.flat().map((r) => r.index).sort((x, y) => x - y)).toEqual(runs.map((r) => r.index));
    expect(shards[1]?.map((r) => r.index)).toEqual([1, 4, 7]);
  });

  it('parses --shard i/n', () => {
    expect(parseShard('3/10')).toEqual({ index: 3, count: 10 });
    for (const bad of ['10/10', '1/0', 'a/b', '-1/3', '1.5/3'])
      expect(() => parseShard(bad)).toThrow(sweepMessages.badShard('--shard', bad));
  });
});

describe('hostile sweep files: prototype keys, deep nesting, bytes that are not UTF-8', () => {
  it('a parameter named __proto__ (fixed or grid) is rejected, not silently dropped (which halved the runs)', () => {
    for (const section of ['fixed', 'grid'] as const) {
      const data = JSON.parse(`{"format":"imrm-sweep/1","name":"s","cell":"dummy","seeds":[1],"${section}":{"a":[1,2],"__proto__":[3,4]}}`);
      expect(() => parse(data)).toThrow(new InputError(message.reservedKey(FILE, jsonPath([section, '__proto__']))));
    }
    const nested = JSON.parse('{"format":"imrm-sweep/1","name":"s","cell":"dummy","seeds":[1],"grid":{"p":[{"__proto__":1}]}}');
    expect(() => parse(nested)).toThrow(new InputError(message.reservedKey(FILE, 'grid.p[0].__proto__')));
  });

  it('a 50 000-deep array is a clean error, not a stack overflow', () => {
    const file = path.join(tmp.dir, 'deep.json');
    writeFileSync(file, `{"format":"imrm-sweep/1","name":"s","cell":"dummy","seeds":[1],"grid":{"a":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}}`);
    expect(() => readSweepSpec(file)).toThrow(new InputError(sweepMessages.tooDeep(file, 'grid.a', MAX_NESTING)));
    // MAX_NESTING levels of arrays and objects (the file's object, grid, grid.a and the arrays inside) are fine; one more is not
    const at = (levels: number) => ({ ...base, grid: { a: [JSON.parse('['.repeat(levels - 3) + ']'.repeat(levels - 3))] } });
    expect(() => parse(at(MAX_NESTING))).not.toThrow();
    expect(() => parse(at(MAX_NESTING + 1))).toThrow(sweepMessages.tooDeep(FILE, 'grid.a', MAX_NESTING));
  });

  it('decodes the file as strict UTF-8: an invalid byte is an error naming line and column', () => {
    const file = path.join(tmp.dir, 'latin1.json');
    const text = '{"format":"imrm-sweep/1",\n"name":"caf?","cell":"dummy","seeds":[1]}';
    const bytes = Buffer.from(text, 'latin1');
    bytes[text.indexOf('?')] = 0xe9; // "é" in Latin-1
    writeFileSync(file, bytes);
    expect(() => readSweepSpec(file)).toThrow(new InputError(message.notUtf8(file, 2, 12, text.indexOf('?'))));
  });
});

describe("the probe cell's parameter schema, checked before any work", () => {
  const probe = { format: 'imrm-sweep/1', name: 'p', cell: 'probe', seeds: [0] };
  const known = Object.keys(PROBE_CELL_PARAMS.shape).sort();
  const rejects = (data: object, ...expected: string[]) =>
    expect(() => resolveCell(parse(data), FILE)).toThrow(new InputError(expected.join('\n')));

  it('unknown names, with the closest known one', () => {
    rejects({ ...probe, fixed: { kind: 'one-token', horizn: 100 }, grid: { rhoo: [0, 0.9] } },
      sweepMessages.unknownParam(FILE, 'fixed.horizn', 'probe', 'horizon', known),
      sweepMessages.unknownParam(FILE, 'grid.rhoo', 'probe', 'rho', known));
    rejects({ ...probe, fixed: { kind: 'one-token', banana: 1 } }, sweepMessages.unknownParam(FILE, 'fixed.banana', 'probe', undefined, known));
  });

  it('values of the wrong type or range, at their place in the file', () => {
    rejects({ ...probe, fixed: { kind: 'foo', vocab: 'abc', horizon: -1 } },
      sweepMessages.badParams(FILE, 'fixed.kind', 'probe', sweepMessages.paramNotOneOf(['one-token', 'multi-token'], '"foo"')),
      sweepMessages.badParams(FILE, 'fixed.vocab', 'probe', sweepMessages.paramWrongType('a number', '"abc"')),
      sweepMessages.badParams(FILE, 'fixed.horizon', 'probe', sweepMessages.paramOutOfRange('>=', '0', '-1')));
    rejects({ ...probe, fixed: { kind: 'one-token' }, grid: { rho: [0, 0.5, 2] } },
      sweepMessages.badParams(FILE, 'grid.rho[2]', 'probe', sweepMessages.paramOutOfRange('<=', '1', '2')));
    rejects({ ...probe, grid: { vocab: [100] } }, sweepMessages.badParams(FILE, 'fixed.kind', 'probe', sweepMessages.paramMissing()));
  });

  it("the probe builder's own refusals (a vocabulary too small, gd needing 10^15 steps) come first too", () => {
    expect(() => resolveCell(parse({ ...probe, fixed: { kind: 'one-token', vocab: 6 } }), FILE)).toThrow(probeMessages.probeVocabTooSmall('one-token', 6, 16));
    expect(() => resolveCell(parse({ ...probe, fixed: { kind: 'one-token', optimizer: 'gd', lr: 1e-12 } }), FILE)).toThrow(
      sweepMessages.badParams(FILE, 'fixed.lr', 'probe', ''),
    );
    expect(() => resolveCell(parse({ ...probe, fixed: { kind: 'one-token', optimizer: 'gd', lr: 0.1, horizon: 100 } }), FILE)).not.toThrow();
  });
});

describe('didYouMean', () => {
  it('suggests a name at most two edits away (swaps count once), and nothing for a name far from all', () => {
    const names = ['rho', 'horizon', 'vocab', 'dim', 'sharedFraction'];
    expect(didYouMean('rhoo', names)).toBe('rho');
    expect(didYouMean('horizn', names)).toBe('horizon');
    expect(didYouMean('vocba', names)).toBe('vocab');
    expect(didYouMean('SharedFraction', names)).toBe('sharedFraction');
    expect(didYouMean('banana', names)).toBeUndefined();
    expect(didYouMean('xy', names)).toBeUndefined(); // "dim" is 3 edits away; 2 of 2 letters would be no hint
  });
});
