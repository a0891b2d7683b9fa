import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, message } from '../../src/messages/index.js';
import { sweepMessages } from '../../src/messages/sweep.js';
import { MAX_NESTING, type JsonObject } from '../../src/sweep/json.js';
import { formatSweepLine, parseSweepLine, type SweepLine } from '../../src/sweep/lines.js';
import { meanInterval, mergeShards, readSweepLines, summarize } from '../../src/sweep/merge.js';
import { runIdOf } from '../../src/sweep/spec.js';
import { studentTCentral, studentTQuantile } from '../../src/sweep/student-t.js';
import { EPS, ROUNDOFF } from '../tolerance.js';
import { relativeError, temporaryDirectory } from './helpers.js';

/** Printed t tables give 6 decimals. */
const TABLE_6_DECIMALS = 5e-7;
/** Closed forms through tan/acos/sqrt, against bisection to the last bit: a few ulps of each. */
const CLOSED_FORM_T = 1e-13;

const tmp = temporaryDirectory();
afterAll(tmp.remove);

function line(index: number, params: JsonObject, seed: number, result: SweepLine['result']): SweepLine {
  return { runId: runIdOf('dummy', params, seed), index, params, seed, result, ms: 1 + index };
}
const write = (name: string, lines: SweepLine[]): string => {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, lines.map(formatSweepLine).join(''));
  return file;
};

/** Quantile for ν = 4 in closed form (a trigonometric solution of the quartic). */
function t4(p: number): number {
  const alpha = 4 * p * (1 - p);
  const q = Math.cos(Math.acos(Math.sqrt(alpha)) / 3) / Math.sqrt(alpha);
  return Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1);
}

describe("Student's t quantile", () => {
  it('matches the closed forms for 1, 2 and 4 degrees of freedom', () => {
    for (const p of [0.6, 0.9, 0.95, 0.975, 0.995, 0.025]) {
      expect(relativeError(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)))).toBeLessThan(CLOSED_FORM_T);
      expect(relativeError(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(CLOSED_FORM_T);
      expect(relativeError(studentTQuantile(p, 4), t4(p))).toBeLessThan(CLOSED_FORM_T);
    }
  });

  it('matches printed tables', () => {
    const table: [number, number, number][] = [
      [0.975, 3, 3.182446], [0.975, 10, 2.228139], [0.975, 30, 2.042272], [0.975, 100, 1.983972],
      [0.995, 5, 4.032143], [0.9, 3, 1.637744], [0.95, 20, 1.724718],
    ];
    for (const [p, df, t] of table) expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThan(TABLE_6_DECIMALS);
  });

  it('tends to the normal quantile with the Cornish–Fisher correction for large ν', () => {
    const z = 1.959963984540054; // Φ⁻¹(0.975)
    const df = 100_000;
    const cornishFisher = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
    // The series' terms are running products, so its rounding error grows like ν·ε (≈ 1e-11 here).
    expect(relativeError(studentTQuantile(0.975, df), cornishFisher)).toBeLessThan(df * 1000 * EPS);
  });

  it('inverts the distribution and is odd about p = 1/2', () => {
    for (const df of [1, 2, 3, 7, 8, 31]) {
      for (const p of [0.55, 0.8, 0.975]) {
        expect(Math.abs(studentTCentral(studentTQuantile(p, df), df) - (2 * p - 1))).toBeLessThan(ROUNDOFF);
        expect(studentTQuantile(1 - p, df)).toBe(-studentTQuantile(p, df));
      }
    }
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });
});

describe('summarize', () => {
  it('gives 3 ± 1.9632… as the 95% t-interval of 1, 2, 3, 4, 5', () => {
    const halfWidth = t4(0.975) * Math.sqrt(2.5) / Math.sqrt(5); // sd = √2.5, n = 5, ν = 4
    const summary = meanInterval([1, 2, 3, 4, 5]);
    expect(summary.n).toBe(5);
    expect(summary.mean).toBe(3);
    expect(relativeError(summary.sd, Math.sqrt(2.5))).toBeLessThan(ROUNDOFF);
    expect(relativeError(summary.halfWidth, halfWidth)).toBeLessThan(CLOSED_FORM_T);
    expect(summary.halfWidth).toBeCloseTo(1.9632, 4);
    expect(relativeError(summary.low, 3 - halfWidth)).toBeLessThan(CLOSED_FORM_T);
    expect(relativeError(summary.high, 3 + halfWidth)).toBeLessThan(CLOSED_FORM_T);
  });

  it('groups runs into cells (all parameters by default, or the `by` ones) over seeds', () => {
    const lines = [1, 2, 3, 4, 5].flatMap((seed, s) => [
      line(4 * s + 0, { a: 1, b: 'x' }, seed, { m: seed, tag: 'ok' }),
      line(4 * s + 1, { a: 1, b: 'y' }, seed, { m: 10 * seed }),
      line(4 * s + 2, { a: 2, b: 'x' }, seed, { m: seed === 3 ? 'diverged' : 100 }),
      line(4 * s + 3, { a: 2, b: 'y' }, seed, { m: -seed }),
    ]);
    const cells = summarize(lines.reverse());
    expect(cells.map((c) => c.params)).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
    expect(cells.map((c) => c.n)).toEqual([5, 5, 5, 5]);
    expect(cells[0]?.metrics['m']).toEqual(meanInterval([1, 2, 3, 4, 5]));
    expect(cells[2]?.metrics['m']).toMatchObject({ n: 4, mean: 100, sd: 0, halfWidth: 0 }); // a string is not counted
    expect(Object.keys(cells[0]?.metrics ?? {})).toEqual(['m']);

    const byA = summarize(lines, { by: ['a'], level: 0.9 });
    expect(byA.map((c) => [c.params, c.n])).toEqual([[{ a: 1 }, 10], [{ a: 2 }, 10]]);
    expect(byA[0]?.metrics['m']).toEqual(meanInterval([1, 2, 3, 4, 5, 10, 20, 30, 40, 50], 0.9));
  });

  it('leaves the interval undefined (NaN) for a single run', () => {
    expect(meanInterval([4])).toMatchObject({ n: 1, mean: 4 });
    expect(meanInterval([4]).halfWidth).toBeNaN();
  });

  it('rejects unknown parameters, metrics and levels', () => {
    const lines = [line(0, { a: 1 }, 1, { m: 1, s: 'x' })];
    expect(() => summarize(lines, { by: ['b'] })).toThrow(sweepMessages.unknownSummaryParam('b', ['a']));
    expect(() => summarize(lines, { metrics: ['s'] })).toThrow(sweepMessages.unknownMetric('s', ['m']));
    expect(() => summarize(lines, { level: 95 })).toThrow(sweepMessages.badLevel(95));
  });
});

describe('mergeShards', () => {
  const runs = [0, 1, 2, 3].map((i) => line(i, { a: i }, 7, { m: i / 2 }));

  it('keeps each run once, in run order, and drops agreeing duplicates', () => {
    const a = write('a.jsonl', [runs[3], runs[0], runs[2]] as SweepLine[]);
    const b = write('b.jsonl', [{ ...(runs[2] as SweepLine), ms: 99 }, runs[1] as SweepLine]);
    const out = path.join(tmp.dir, 'merged.jsonl');
    expect(mergeShards([a, b], out)).toEqual({ runs: 4, duplicates: 1, tornInputs: [], tornLines: 0, torn: [] });
    expect(readSweepLines(out)).toEqual(runs);
  });

  it('ignores and reports a torn last line (with its size), and may write over an input', () => {
    const a = write('torn.jsonl', [runs[1], runs[0]] as SweepLine[]);
    appendFileSync(a, formatSweepLine(runs[2] as SweepLine).slice(0, 20));
    expect(mergeShards([a], a)).toEqual({ runs: 2, duplicates: 0, tornInputs: [a], tornLines: 1, torn: [{ file: a, bytes: 20 }] });
    expect(readSweepLines(a)).toEqual(runs.slice(0, 2));
  });

  it('a missing input is an error, not an empty shard, and nothing is written', () => {
    const a = write('e.jsonl', [runs[0]] as SweepLine[]);
    const missing = path.join(tmp.dir, 'no-such-shard.jsonl');
    const out = path.join(tmp.dir, 'never.jsonl');
    expect(() => mergeShards([a, missing], out)).toThrow(new InputError(sweepMessages.missingInput(missing)));
    expect(existsSync(out)).toBe(false);
  });

  it('decodes UTF-8 strictly: an invalid byte is an error naming the file and line, never U+FFFD', () => {
    const a = write('latin1.jsonl', [runs[0], runs[1]] as SweepLine[]);
    const bytes = readFileSync(a);
    const second = bytes.indexOf(0x0a) + 1;
    // a Latin-1 "é" (0xE9) inside the second line's runId string
    const bad = Buffer.concat([bytes.subarray(0, second + 11), Buffer.from([0xe9]), bytes.subarray(second + 12)]);
    writeFileSync(a, bad);
    expect(() => mergeShards([a], path.join(tmp.dir, 'y.jsonl'))).toThrow(new InputError(message.notUtf8(a, 2, 12, second + 11)));
  });

  it('fails when two shards disagree on a run', () => {
    const a = write('c.jsonl', [runs[0], runs[1]] as SweepLine[]);
    const b = write('d.jsonl', [{ ...(runs[1] as SweepLine), result: { m: 42 } }]);
    expect(() => mergeShards([a, b], path.join(tmp.dir, 'x.jsonl'))).toThrow(
      sweepMessages.mergeConflict((runs[1] as SweepLine).runId, `${a}:2`, `${b}:1`, 'result'),
    );
  });

  it('fails when two different runs claim the same position', () => {
    const a = write('e.jsonl', [runs[0] as SweepLine]);
    const b = write('f.jsonl', [line(0, { a: 'other' }, 7, { m: 0 })]);
    expect(() => mergeShards([a, b], path.join(tmp.dir, 'y.jsonl'))).toThrow(sweepMessages.indexConflict(0, `${a}:1`, `${b}:1`));
    expect(() => mergeShards([], path.join(tmp.dir, 'z.jsonl'))).toThrow(sweepMessages.noInputs());
  });
});

describe('result lines', () => {
  it('a line nested 50 000 deep, or with a key __proto__, is an error naming file:line and the entry (no stack overflow)', () => {
    const good = JSON.parse(formatSweepLine(line(0, { a: 1 }, 7, { m: 1 }))) as Record<string, unknown>;
    const deepLine = JSON.stringify({ ...good, params: { a: 1 } }).replace('"a":1', `"a":${'['.repeat(50_000)}${']'.repeat(50_000)}`);
    expect(() => parseSweepLine(deepLine, 'r.jsonl', 3)).toThrow(new InputError(sweepMessages.tooDeep('r.jsonl:3', 'params.a', MAX_NESTING)));
    const protoLine = JSON.stringify(good).replace('"params":{', '"params":{"__proto__":2,');
    expect(() => parseSweepLine(protoLine, 'r.jsonl', 4)).toThrow(new InputError(message.reservedKey('r.jsonl:4', 'params.__proto__')));
  });
});
