import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, message, prefixKey } from '../../src/messages/index.js';
import { probeMessages } from '../../src/messages/probes.js';
import { compileProblem } from '../../src/models/problem.js';
import { makeRng, normalVector } from '../../src/random.js';
import { parseNpy, writeNpy } from '../../src/io/npy.js';
import { memoryBudget } from '../../src/models/budget.js';
import { expectRefused, problemEstimate } from './hostile.js';
import { readProblem, problemToJson } from '../../src/io/problemFile.js';
import { HIDDEN_INDEX_FORMAT, importHidden } from '../../src/io/hiddenImport.js';
import { buildProbeProblem } from '../../src/probes/probeSets.js';
import { measureProblem } from '../../src/probes/probeCell.js';

const dir = mkdtempSync(join(tmpdir(), 'imrm-hidden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A fresh subdirectory holding the given files (objects are written as JSON). */
function files(contents: Record<string, unknown>): string {
  const d = join(dir, String(n++));
  for (const [name, c] of Object.entries(contents)) {
    const path = join(d, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, c instanceof Uint8Array ? c : typeof c === 'string' ? c : JSON.stringify(c));
  }
  return d;
}

/** A small layout: two prompts, one-token train pair per prompt, a two-token eval pair. */
const PREFIXES = [
  { prompt: 0, prefix: [] },
  { prompt: 0, prefix: [1] },
  { prompt: 0, prefix: [2] },
  { prompt: 1, prefix: [] },
  { prompt: 1, prefix: [2] },
  { prompt: 1, prefix: [3] },
  { prompt: 7, prefix: [] },
  { prompt: 7, prefix: [4] },
  { prompt: 7, prefix: [4, 1] },
  { prompt: 7, prefix: [5] },
];
const D = 5;
const ROWS = normalVector(makeRng('hidden-import-test'), PREFIXES.length * D);
const index = (extra: Record<string, unknown> = {}) => ({
  format: HIDDEN_INDEX_FORMAT,
  vocabSize: 6,
  beta: 0.5,
  reference: 'init',
  prefixes: PREFIXES,
  train: [
    { prompt: 0, chosen: [1], rejected: [2] },
    { prompt: 1, chosen: [2], rejected: [3] },
  ],
  eval: { paraphrase: [{ prompt: 7, chosen: [4, 1], rejected: [5] }] },
  ...extra,
});
const f4 = (data: ArrayLike<number>, shape: number[]) => writeNpy(data, shape, { dtype: '<f4' });
const f8 = (data: ArrayLike<number>, shape: number[]) => writeNpy(data, shape, { dtype: '<f8' });

describe('importHidden: round trips', () => {
  it('float32 rows come back as Math.fround of the originals, row i as h of prefixes[i]', () => {
    const d = files({ 'index.json': index(), 'hidden.npy': f4(ROWS, [PREFIXES.length, D]) });
    const problem = importHidden(join(d, 'index.json'));
    expect(problem.hiddenDim).toBe(D);
    expect(problem.vocabSize).toBe(6);
    expect(problem.beta).toBe(0.5);
    PREFIXES.forEach((p, i) => {
      expect(Array.from(problem.representation.hidden(p.prompt, p.prefix))).toEqual(Array.from(ROWS.subarray(i * D, (i + 1) * D), Math.fround));
    });
    expect(problem.train).toEqual(index().train);
    expect(problem.eval).toEqual(index().eval);
  });

  it('float64 rows are exact; hiddenFile names the matrix; out writes a problem file', () => {
    const d = files({ 'index.json': index({ hiddenFile: 'states/h.npy' }), 'states/h.npy': f8(ROWS, [PREFIXES.length, D]) });
    const out = join(d, 'problem.json');
    const problem = importHidden(join(d, 'index.json'), { out });
    PREFIXES.forEach((p, i) => expect(problem.representation.hidden(p.prompt, p.prefix)).toEqual(ROWS.subarray(i * D, (i + 1) * D)));
    expect(problemToJson(readProblem(out))).toEqual(problemToJson(problem));
  });

  it('reads the all-JSON variant (inline h per prefix)', () => {
    const inline = PREFIXES.map((p, i) => ({ ...p, h: Array.from(ROWS.subarray(i * D, (i + 1) * D)) }));
    const d = files({ 'index.json': index({ prefixes: inline }) });
    const problem = importHidden(join(d, 'index.json'));
    PREFIXES.forEach((p, i) => expect(problem.representation.hidden(p.prompt, p.prefix)).toEqual(ROWS.subarray(i * D, (i + 1) * D)));
  });

  it('takes init.U (the unembedding) and init.u from .npy files, or inline', () => {
    const U = normalVector(makeRng('U0'), 6 * D);
    const u = normalVector(makeRng('u0'), D);
    const d = files({ 'index.json': index({ init: { U: 'U0.npy', u: Array.from(u) } }), 'hidden.npy': f8(ROWS, [PREFIXES.length, D]), 'U0.npy': f8(U, [6, D]) });
    const problem = importHidden(join(d, 'index.json'));
    expect(problem.init!.U).toEqual(U);
    expect(problem.init!.u).toEqual(u);
    expect(compileProblem(problem).U0).toEqual(U);
  });

  it('a probe problem dumped as .npy + index imports to the same problem and the same measurements', () => {
    const pp = buildProbeProblem({ kind: 'multi-token', seed: 2, vocab: 60, dim: 8, pairs: 6, length: 3, tokensPerLabel: 2, sharedFraction: 0.5 });
    const cp = compileProblem(pp.problem);
    const pairs = (ps: readonly { prompt: number; chosen: readonly number[]; rejected: readonly number[] }[]) => ps.map((p) => ({ prompt: p.prompt, chosen: [...p.chosen], rejected: [...p.rejected] }));
    const d = files({
      'index.json': {
        format: HIDDEN_INDEX_FORMAT,
        vocabSize: 60,
        beta: 1,
        reference: 'init',
        prefixes: cp.rowKeys,
        train: pairs(pp.problem.train),
        eval: { paraphrase: pairs(pp.problem.eval.paraphrase!), overlap: pairs(pp.problem.eval.overlap!) },
      },
      'hidden.npy': f8(cp.H, [cp.rowCount, 8]),
    });
    const imported = importHidden(join(d, 'index.json'));
    expect(problemToJson(imported)).toEqual(problemToJson(pp.problem));
    const opts = { horizon: 20 };
    expect(measureProblem(imported, opts)).toEqual(measureProblem(pp.problem, opts));
  });
});

describe('importHidden: rejected inputs name the file, the entry and the field', () => {
  const expectError = (d: string, text: string, opts = {}) => {
    const run = () => importHidden(join(d, 'index.json'), opts);
    expect(run).toThrow(InputError);
    expect(run).toThrow(text);
  };
  const matrix = f4(ROWS, [PREFIXES.length, D]);

  it('a row count that differs from the number of prefixes', () => {
    const d = files({ 'index.json': index(), 'hidden.npy': f4(ROWS.subarray(0, 9 * D), [9, D]) });
    expectError(d, probeMessages.hiddenRowCount(join(d, 'index.json'), join(d, 'hidden.npy'), 10, 9));
  });

  it('a matrix that is not 2-D, or has D = 0', () => {
    const d = files({ 'index.json': index(), 'hidden.npy': f4(ROWS, [PREFIXES.length, 1, D]) });
    expectError(d, probeMessages.hiddenNotMatrix(join(d, 'hidden.npy'), [PREFIXES.length, 1, D]));
    const e = files({ 'index.json': index(), 'hidden.npy': f4([], [PREFIXES.length, 0]) });
    expectError(e, probeMessages.hiddenEmptyDim(join(e, 'hidden.npy'), [PREFIXES.length, 0]));
  });

  it('a non-finite value, with its row, column and prefix', () => {
    const bad = Float64Array.from(ROWS);
    bad[8 * D + 3] = NaN;
    const d = files({ 'index.json': index(), 'hidden.npy': f8(bad, [PREFIXES.length, D]) });
    expectError(d, probeMessages.hiddenNotFinite(join(d, 'hidden.npy'), 8, 3, `prefixes[8] = ${prefixKey(7, [4, 1])}`, NaN));
  });

  it('a missing .npy file, and the hiddenFile option naming another', () => {
    const d = files({ 'index.json': index() });
    expectError(d, message.namedFileUnreadable(join(d, 'index.json'), 'hiddenFile', 'hidden.npy', 'ENOENT'));
    const other = join(files({ 'x.npy': matrix }), 'x.npy');
    expect(importHidden(join(d, 'index.json'), { hiddenFile: other }).hiddenDim).toBe(D);
  });

  it('a prefix that a response needs but the index does not list', () => {
    const d = files({ 'index.json': index({ prefixes: PREFIXES.filter((p) => p.prompt !== 7 || p.prefix.length !== 2) }), 'hidden.npy': f4(ROWS.subarray(0, 9 * D), [9, D]) });
    expectError(d, message.missingPrefix(join(d, 'index.json'), 'eval.paraphrase[0].chosen', prefixKey(7, [4, 1])));
  });

  it('a duplicate prefix, and a token outside the vocabulary', () => {
    const dup = [...PREFIXES.slice(0, 9), { prompt: 0, prefix: [1] }];
    const d = files({ 'index.json': index({ prefixes: dup }), 'hidden.npy': matrix });
    expectError(d, message.duplicatePrefix(join(d, 'index.json'), 'prefixes[9]', 'prefixes[1]', prefixKey(0, [1])));
    const out = [...PREFIXES.slice(0, 9), { prompt: 7, prefix: [6] }];
    const e = files({ 'index.json': index({ prefixes: out }), 'hidden.npy': matrix });
    expectError(e, message.tokenOutOfRange(join(e, 'index.json'), 'prefixes[9].prefix[0]', 6, 6));
  });

  it('inline and file vectors mixed', () => {
    const mixed = PREFIXES.map((p, i) => (i === 4 ? { ...p, h: [0, 0, 0, 0, 0] } : p));
    const d = files({ 'index.json': index({ prefixes: mixed }), 'hidden.npy': matrix });
    expectError(d, probeMessages.hiddenMixedVariant(join(d, 'index.json'), 'prefixes[4]', 'has "h" but prefixes[0] does not'));
    const inline = PREFIXES.map((p) => ({ ...p, h: [1, 2, 3, 4, 5] }));
    const e = files({ 'index.json': index({ prefixes: inline, hiddenFile: 'hidden.npy' }) });
    expectError(e, probeMessages.hiddenFileWithInline(join(e, 'index.json')));
    const short = inline.map((p, i) => (i === 2 ? { ...p, h: [1, 2] } : p));
    const f = files({ 'index.json': index({ prefixes: short }) });
    expectError(f, message.wrongLength(join(f, 'index.json'), 'prefixes[2].h', 5, 2));
  });

  it('a wrong format, an unknown field, a missing field, no prefixes', () => {
    const d = files({ 'index.json': index({ format: 'imrm-problem/1' }), 'hidden.npy': matrix });
    expectError(d, message.wrongFormat(join(d, 'index.json'), HIDDEN_INDEX_FORMAT, 'imrm-problem/1'));
    const e = files({ 'index.json': index({ hiddenDim: 5 }), 'hidden.npy': matrix });
    expectError(e, message.unknownField(join(e, 'index.json'), 'hiddenDim'));
    const { train: _, ...noTrain } = index();
    const f = files({ 'index.json': noTrain, 'hidden.npy': matrix });
    expectError(f, message.missingField(join(f, 'index.json'), 'train'));
    const g = files({ 'index.json': index({ prefixes: [] }), 'hidden.npy': f4([], [0, D]) });
    expectError(g, probeMessages.hiddenNoPrefixes(join(g, 'index.json')));
  });

  it('problem-file defects keep their problem-file names (beta, pairs)', () => {
    const d = files({ 'index.json': index({ beta: -1 }), 'hidden.npy': matrix });
    expectError(d, message.notPositive(join(d, 'index.json'), 'beta', -1));
    const e = files({ 'index.json': index({ train: [{ prompt: 0, chosen: [], rejected: [2] }] }), 'hidden.npy': matrix });
    expectError(e, message.emptyResponse(join(e, 'index.json'), 'train[0].chosen'));
  });

  it('an unembedding of the wrong shape', () => {
    const d = files({ 'index.json': index({ init: { U: 'U0.npy' } }), 'hidden.npy': matrix, 'U0.npy': f8(new Float64Array(5 * D), [5, D]) });
    expectError(d, probeMessages.hiddenInitShape(join(d, 'U0.npy'), 'init.U', [6, D], [5, D]));
  });

  it('a file that is not JSON, or not a .npy file', () => {
    const d = files({ 'index.json': '{ nope' });
    expect(() => importHidden(join(d, 'index.json'))).toThrow(InputError);
    const e = files({ 'index.json': index(), 'hidden.npy': 'not numpy' });
    expect(() => importHidden(join(e, 'index.json'))).toThrow(`${join(e, 'hidden.npy')}: magic`);
  });
});

describe('importHidden: files only from inside the index file\'s folder (after symbolic links), regular files only', () => {
  const matrix = f8(ROWS, [PREFIXES.length, D]);
  const U = f8(normalVector(makeRng('U0'), 6 * D), [6, D]);
  const refused = (d: string, expected: string) => {
    const run = () => importHidden(join(d, 'index.json'));
    expect(run).toThrow(InputError);
    expect(run).toThrow(expected);
  };
  const outsideDir = files({ 'x.npy': matrix, 'U.npy': U });
  const outsideName = outsideDir.split('/').pop()!;

  it('hiddenFile: "..", absolute paths, /dev/zero, ../../etc/passwd and symbolic links out are refused naming hiddenFile', () => {
    const cases: [string, (d: string) => string][] = [
      [`../${outsideName}/x.npy`, (d) => message.outsideFolder(join(d, 'index.json'), 'hiddenFile', `../${outsideName}/x.npy`, d)],
      ['../../etc/passwd', (d) => message.outsideFolder(join(d, 'index.json'), 'hiddenFile', '../../etc/passwd', d)],
      ['/etc/passwd', (d) => message.badFileName(join(d, 'index.json'), 'hiddenFile', '/etc/passwd', `absolute paths are not read; give a path relative to the folder of ${join(d, 'index.json')}`)],
      ['/dev/zero', (d) => message.badFileName(join(d, 'index.json'), 'hiddenFile', '/dev/zero', `absolute paths are not read; give a path relative to the folder of ${join(d, 'index.json')}`)],
    ];
    for (const [name, expected] of cases) {
      const d = files({ 'index.json': index({ hiddenFile: name }) });
      refused(d, expected(d));
    }
    const d = files({ 'index.json': index() }); // hiddenFile: the default hidden.npy, a link leading out
    symlinkSync(join(outsideDir, 'x.npy'), join(d, 'hidden.npy'));
    refused(d, message.outsideFolder(join(d, 'index.json'), 'hiddenFile', 'hidden.npy', d));
    const z = files({ 'index.json': index({ hiddenFile: 'z.npy' }) });
    symlinkSync('/dev/zero', join(z, 'z.npy'));
    refused(z, message.outsideFolder(join(z, 'index.json'), 'hiddenFile', 'z.npy', z));
  });

  it('init.U: the same rule, naming init.U', () => {
    const d = files({ 'index.json': index({ init: { U: `../${outsideName}/U.npy` } }), 'hidden.npy': matrix });
    refused(d, message.outsideFolder(join(d, 'index.json'), 'init.U', `../${outsideName}/U.npy`, d));
    const e = files({ 'index.json': index({ init: { U: 'U.npy' } }), 'hidden.npy': matrix });
    symlinkSync(join(outsideDir, 'U.npy'), join(e, 'U.npy'));
    refused(e, message.outsideFolder(join(e, 'index.json'), 'init.U', 'U.npy', e));
    // a link that stays inside the folder is followed
    const f = files({ 'index.json': index({ init: { U: 'U.npy' } }), 'hidden.npy': matrix, 'models/unembedding.npy': U });
    symlinkSync(join(f, 'models', 'unembedding.npy'), join(f, 'U.npy'));
    expect(importHidden(join(f, 'index.json')).init!.U).toEqual(parseNpy(U, 'U').data);
  });

  it('a FIFO or a folder as hiddenFile is refused at once (never waited on)', () => {
    const d = files({ 'index.json': index({ hiddenFile: 'pipe.npy' }) });
    expect(spawnSync('mkfifo', [join(d, 'pipe.npy')]).status).toBe(0);
    refused(d, message.namedNotRegularFile(join(d, 'index.json'), 'hiddenFile', 'pipe.npy', 'FIFO'));
    const e = files({ 'index.json': index({ hiddenFile: 'states' }), 'states/x': 'x' });
    refused(e, message.namedNotRegularFile(join(e, 'index.json'), 'hiddenFile', 'states', 'directory'));
  });

  it('the --hidden option (the caller\'s own path) may be anywhere, but must be a regular file', () => {
    const d = files({ 'index.json': index() });
    expect(importHidden(join(d, 'index.json'), { hiddenFile: join(outsideDir, 'x.npy') }).hiddenDim).toBe(D);
    expect(() => importHidden(join(d, 'index.json'), { hiddenFile: '/dev/zero' })).toThrow(message.notRegularFile('/dev/zero', 'character device'));
  });

  it('imrm import-hidden: exit 2 naming hiddenFile, nothing written', () => {
    const d = files({ 'index.json': index({ hiddenFile: '../../etc/passwd' }) });
    expectRefused(['import-hidden', '--index', 'index.json', '--out', 'p.json'], d, message.outsideFolder('index.json', 'hiddenFile', '../../etc/passwd', '.'));
    const e = files({ 'index.json': index({ hiddenFile: 'z.npy' }) });
    symlinkSync('/dev/zero', join(e, 'z.npy'));
    expectRefused(['import-hidden', '--index', 'index.json', '--out', 'p.json'], e, message.outsideFolder('index.json', 'hiddenFile', 'z.npy', '.'));
  }, 30_000);
});

describe('importHidden: negative ids and absurd sizes', () => {
  const matrix = f8(ROWS, [PREFIXES.length, D]);
  const refused = (d: string, expected: string) => {
    expect(() => importHidden(join(d, 'index.json'))).toThrow(InputError);
    expect(() => importHidden(join(d, 'index.json'))).toThrow(expected);
  };

  it('token −1 in a prefix, in a train response, in an eval response; prompt −1', () => {
    const bad = PREFIXES.map((p, i) => (i === 1 ? { prompt: 0, prefix: [-1] } : p));
    const a = files({ 'index.json': index({ prefixes: bad }), 'hidden.npy': matrix });
    refused(a, message.tokenOutOfRange(join(a, 'index.json'), 'prefixes[1].prefix[0]', -1, 6));
    const b = files({ 'index.json': index({ train: [{ prompt: 0, chosen: [-1], rejected: [2] }] }), 'hidden.npy': matrix });
    refused(b, message.tokenOutOfRange(join(b, 'index.json'), 'train[0].chosen[0]', -1, 6));
    const c = files({ 'index.json': index({ eval: { paraphrase: [{ prompt: 7, chosen: [4, -1], rejected: [5] }] } }), 'hidden.npy': matrix });
    refused(c, message.tokenOutOfRange(join(c, 'index.json'), 'eval.paraphrase[0].chosen[1]', -1, 6));
    const p = PREFIXES.map((q, i) => (i === 3 ? { prompt: -1, prefix: [] } : q));
    const e = files({ 'index.json': index({ prefixes: p }), 'hidden.npy': matrix });
    refused(e, message.badPrompt(join(e, 'index.json'), 'prefixes[3].prompt', -1));
  });

  it('vocabSize 1e9 and 1e15 with tiny data: refused naming vocabSize, before the unembedding is even opened', () => {
    for (const V of [1e9, 1e15]) {
      // init.U names a file that does not exist: the budget is checked first, so the error is about vocabSize
      const d = files({ 'index.json': index({ vocabSize: V, init: { U: 'absent.npy' } }), 'hidden.npy': matrix });
      const file = join(d, 'index.json');
      refused(d, message.overBudget(file, 'vocabSize', `|V| = ${V} tokens × D = ${D} (with ${PREFIXES.length} prefixes)`, problemEstimate(V, D, PREFIXES.length), memoryBudget()));
    }
  });
});

describe('importHidden: large inputs are written as a problem file plus .npy files beside it', () => {
  it('out with an unembedding over the inline limit: problem.json names problem.U.npy, and reads back identically', () => {
    const U = Float64Array.from(normalVector(makeRng('U-big'), 6 * D), Math.fround);
    const d = files({ 'index.json': index({ init: { U: 'U0.npy' } }), 'hidden.npy': f4(ROWS, [PREFIXES.length, D]), 'U0.npy': f4(U, [6, D]) });
    const out = join(d, 'out', 'problem.json');
    const problem = importHidden(join(d, 'index.json'), { out, inlineLimit: 6 * D - 1 });
    expect(JSON.parse(readFileSync(out, 'utf8')).init).toEqual({ U: 'problem.U.npy' });
    expect(readFileSync(join(d, 'out', 'problem.U.npy')).equals(readFileSync(join(d, 'U0.npy')))).toBe(true); // float32 kept
    const back = readProblem(out);
    expect(problemToJson(back)).toEqual(problemToJson(problem));
    expect(back.init!.U).toEqual(U);
  });
});
