/**
 * Problem files whose large arrays (`init.U`, `init.u`, the hidden vectors) live beside them as `.npy` files
 * (docs/formats.md): written by `writeProblem` above a size limit, read by `readProblem` and `imrm flow` exactly as
 * the inline form, validated the same way (shapes, finiteness, the entry named), and read only from inside the
 * problem file's folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProblem, InputError, measureProblem, message, npyMessages, NPY_INLINE_LIMIT, parseProblem, problemToJson, readNpy, readProblem, train, writeNpy, writeProblem, type Problem } from '../../src/index.js';
import { randomProblem } from '../helpers/randomProblem.js';
import { runCli } from '../helpers/cli.js';
import { expectRefused, listFiles } from './hostile.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'imrm-npy-problem-'));
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
/** Bitwise equality of two large arrays (vitest's deep equality takes seconds on a million elements). */
const sameNumbers = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
/** A problem with every array present: random U₀ and u₀, 3-token responses. */
const PROBLEM = (): Problem => randomProblem({ seed: 3, vocab: 9, dim: 4, pairs: 5, maxLength: 3, initScale: 0.3 });

describe('problem files with .npy arrays: round trip', { timeout: 120_000 }, () => {
  it('every array beside the file (inlineLimit 0) reads back as the same problem, compiled and trained identically', () => {
    const d = fresh();
    const problem = PROBLEM();
    const written = writeProblem(join(d, 'p.json'), problem, { inlineLimit: 0 });
    expect(written).toEqual(['p.U.npy', 'p.u.npy', 'p.hidden.npy', 'p.json'].map((f) => join(d, f)));
    expect(listFiles(d)).toEqual(['p.U.npy', 'p.hidden.npy', 'p.json', 'p.u.npy']);
    const file = json(join(d, 'p.json'));
    expect(file.init).toEqual({ u: 'p.u.npy', U: 'p.U.npy' });
    expect(file.hiddenFile).toBe('p.hidden.npy');
    for (const e of file.hidden as Record<string, unknown>[]) expect(Object.keys(e)).toEqual(['prompt', 'prefix']);

    writeProblem(join(d, 'q.json'), problem); // inline: every array is far below the default limit
    expect(json(join(d, 'q.json')).hiddenFile).toBeUndefined();
    const [a, b] = [readProblem(join(d, 'p.json')), readProblem(join(d, 'q.json'))];
    expect(problemToJson(a)).toEqual(problemToJson(problem));
    expect(problemToJson(b)).toEqual(problemToJson(problem));
    const [ca, cb, c0] = [compileProblem(a), compileProblem(b), compileProblem(problem)];
    for (const key of ['U0', 'u0', 'H', 'responses'] as const) {
      expect(ca[key]).toEqual(c0[key]);
      expect(cb[key]).toEqual(c0[key]);
    }
    for (const model of ['ex', 'im'] as const) expect(train(ca, model, [0, 1, 10])).toEqual(train(cb, model, [0, 1, 10]));
    // what the sweep cells and figures call on a problem
    expect(measureProblem(a, { horizon: 10 })).toEqual(measureProblem(b, { horizon: 10 }));
  });

  it('float32-exact arrays are written as float32, others as float64; exactly inlineLimit numbers stay inline', () => {
    const d = fresh();
    const problem = PROBLEM();
    const U = problem.init!.U!;
    const H = compileProblem(problem).H;
    expect(H.length).toBeGreaterThan(U.length);
    writeProblem(join(d, 'p.json'), problem, { inlineLimit: U.length - 1 });
    expect(readNpy(join(d, 'p.U.npy')).dtype).toBe('<f8');
    expect(listFiles(d)).toEqual(['p.U.npy', 'p.hidden.npy', 'p.json']); // u (4 numbers) inline
    const f32 = { ...problem, init: { ...problem.init, U: U.map(Math.fround) } };
    writeProblem(join(d, 'r.json'), f32, { inlineLimit: U.length - 1 });
    const back = readNpy(join(d, 'r.U.npy'));
    expect(back.dtype).toBe('<f4');
    expect(back.data).toEqual(f32.init.U);
    writeProblem(join(d, 's.json'), problem, { inlineLimit: U.length });
    expect(listFiles(d).filter((f) => f.startsWith('s.'))).toEqual(['s.hidden.npy', 's.json']);
    writeProblem(join(d, 't.json'), problem, { inlineLimit: H.length });
    expect(listFiles(d).filter((f) => f.startsWith('t.'))).toEqual(['t.json']);
  });

  it(`the default limit: an unembedding of more than 2^20 = ${NPY_INLINE_LIMIT} numbers goes beside the file`, () => {
    const d = fresh();
    const V = 2100;
    const D = 500; // 1.05 M numbers
    const problem = randomProblem({ seed: 4, vocab: V, dim: D, pairs: 2 });
    const U = Float64Array.from({ length: V * D }, (_, i) => (i % 7) / 8); // exact in float32
    writeProblem(join(d, 'big.json'), { ...problem, init: { U } });
    expect(json(join(d, 'big.json')).init).toEqual({ U: 'big.U.npy' });
    expect(readFileSync(join(d, 'big.U.npy')).length).toBe(128 + 4 * V * D); // float32, header padded to 128 bytes
    expect(sameNumbers(readProblem(join(d, 'big.json')).init!.U!, U)).toBe(true);
  });

  it('a failure while writing leaves the old problem file as it was, and no array or temporary file', () => {
    const d = fresh();
    writeFileSync(join(d, 'p.json'), 'old');
    mkdirSync(join(d, 'p.U.npy'));
    writeFileSync(join(d, 'p.U.npy', 'x'), 'a folder where the array would go: its rename fails');
    expect(() => writeProblem(join(d, 'p.json'), PROBLEM(), { inlineLimit: 0 })).toThrow(InputError);
    expect(readFileSync(join(d, 'p.json'), 'utf8')).toBe('old');
    expect(listFiles(d)).toEqual(['p.U.npy', 'p.U.npy/x', 'p.json']);
  });

  it('imrm flow reads both forms to byte-identical trajectories', () => {
    const d = fresh();
    writeProblem(join(d, 'npy.json'), PROBLEM(), { inlineLimit: 0 });
    writeProblem(join(d, 'inline.json'), PROBLEM());
    for (const p of ['npy', 'inline']) {
      const r = runCli(['flow', '--problem', `${p}.json`, '--model', 'im', '--times', '0,1,10', '--quiet', '--out', `${p}-t.json`], { cwd: d });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readFileSync(join(d, 'npy-t.json'), 'utf8')).toBe(readFileSync(join(d, 'inline-t.json'), 'utf8'));
  });
});

describe('problem files with .npy arrays: refused inputs name the file, the entry and the field', { timeout: 120_000 }, () => {
  /** A folder with `p.json` (every array beside it) and the problem's JSON value to break. */
  const setup = () => {
    const d = fresh();
    writeProblem(join(d, 'p.json'), PROBLEM(), { inlineLimit: 0 });
    return { d, file: join(d, 'p.json'), value: json(join(d, 'p.json')) };
  };
  const rewrite = (d: string, value: Record<string, unknown>) => writeFileSync(join(d, 'p.json'), JSON.stringify(value));
  const refused = (file: string, expected: string) => {
    expect(() => readProblem(file)).toThrow(InputError);
    expect(() => readProblem(file)).toThrow(expected);
  };

  it('an array of the wrong shape (checked from its header, before its data are read)', () => {
    const { d, file } = setup();
    writeFileSync(join(d, 'p.U.npy'), writeNpy(new Float64Array(8 * 4), [8, 4], { dtype: '<f8' }));
    refused(file, message.arrayShape(join(d, 'p.U.npy'), file, 'init.U', [9, 4], [8, 4]));
    writeFileSync(join(d, 'p.U.npy'), writeNpy(new Float64Array(9 * 4), [9 * 4], { dtype: '<f8' }));
    refused(file, message.arrayShape(join(d, 'p.U.npy'), file, 'init.U', [9, 4], [36]));
    writeFileSync(join(d, 'p.U.npy'), writeNpy(new Float64Array(9 * 4), [9, 4], { dtype: '<f8' }));
    const rows = readNpy(join(d, 'p.hidden.npy')).shape[0]!;
    writeFileSync(join(d, 'p.hidden.npy'), writeNpy(new Float64Array((rows - 1) * 4), [rows - 1, 4], { dtype: '<f8' }));
    refused(file, message.arrayShape(join(d, 'p.hidden.npy'), file, 'hiddenFile', [rows, 4], [rows - 1, 4]));
  });

  it('a non-finite number in an array, with its position', () => {
    const { d, file } = setup();
    const h = readNpy(join(d, 'p.hidden.npy'));
    h.data[13] = Infinity;
    writeFileSync(join(d, 'p.hidden.npy'), writeNpy(h.data, h.shape, { dtype: '<f8' }));
    refused(file, message.arrayNotFinite(join(d, 'p.hidden.npy'), file, 'hiddenFile', 13, Infinity));
    const u = readNpy(join(d, 'p.u.npy'));
    u.data[2] = NaN;
    writeFileSync(join(d, 'p.u.npy'), writeNpy(u.data, u.shape, { dtype: '<f4' }));
    refused(file, message.arrayNotFinite(join(d, 'p.u.npy'), file, 'init.u', 2, NaN));
  });

  it('an inline h next to a hiddenFile, a missing h without one, a file that is not .npy', () => {
    const { d, file, value } = setup();
    const hidden = value.hidden as Record<string, unknown>[];
    hidden[1]!.h = [0, 0, 0, 0];
    rewrite(d, value);
    refused(file, message.hiddenWithFile(file, 'hidden[1].h'));
    delete hidden[1]!.h;
    delete value.hiddenFile;
    rewrite(d, value);
    refused(file, message.missingField(file, 'hidden[0].h'));
    value.hiddenFile = 'p.hidden.npy';
    rewrite(d, value);
    writeFileSync(join(d, 'p.u.npy'), 'not numpy');
    refused(file, npyMessages.badMagic(join(d, 'p.u.npy')));
  });

  it('names leading outside the folder: "..", absolute paths, symbolic links out; never opened', () => {
    const { d, file, value } = setup();
    const outside = fresh();
    writeFileSync(join(outside, 'U.npy'), readFileSync(join(d, 'p.U.npy')));
    const init = value.init as Record<string, unknown>;
    const cases: [unknown, string][] = [
      [`../${outside.split('/').pop()}/U.npy`, message.outsideFolder(file, 'init.U', `../${outside.split('/').pop()}/U.npy`, d)],
      ['../../../../../../../../etc/passwd', message.outsideFolder(file, 'init.U', '../../../../../../../../etc/passwd', d)],
      [join(outside, 'U.npy'), message.badFileName(file, 'init.U', join(outside, 'U.npy'), `absolute paths are not read; give a path relative to the folder of ${file}`)],
      ['/dev/zero', message.badFileName(file, 'init.U', '/dev/zero', `absolute paths are not read; give a path relative to the folder of ${file}`)],
      ['', message.badFileName(file, 'init.U', '', 'expected a non-empty relative path')],
      ['a\0b', message.badFileName(file, 'init.U', 'a\0b', 'it contains a NUL character')],
    ];
    symlinkSync(join(outside, 'U.npy'), join(d, 'link.npy'));
    cases.push(['link.npy', message.outsideFolder(file, 'init.U', 'link.npy', d)]);
    symlinkSync('/dev/zero', join(d, 'zero.npy'));
    cases.push(['zero.npy', message.outsideFolder(file, 'init.U', 'zero.npy', d)]);
    symlinkSync(outside, join(d, 'sub'));
    cases.push(['sub/U.npy', message.outsideFolder(file, 'init.U', 'sub/U.npy', d)]);
    for (const [name, expected] of cases) {
      init.U = name;
      rewrite(d, value);
      refused(file, expected);
    }
    // inside the folder, through a subfolder or a symbolic link that stays inside: read
    mkdirSync(join(d, 'arrays'));
    writeFileSync(join(d, 'arrays', 'U.npy'), readFileSync(join(d, 'p.U.npy')));
    symlinkSync(join(d, 'arrays', 'U.npy'), join(d, 'inside.npy'));
    for (const name of ['arrays/U.npy', 'inside.npy', 'arrays/../p.U.npy']) {
      init.U = name;
      rewrite(d, value);
      expect(readProblem(file).init!.U).toEqual(PROBLEM().init!.U);
    }
  });

  it('a missing file, a folder, a FIFO (not waited on): errors naming the field', () => {
    const { d, file, value } = setup();
    const init = value.init as Record<string, unknown>;
    init.U = 'missing.npy';
    rewrite(d, value);
    refused(file, message.namedFileUnreadable(file, 'init.U', 'missing.npy', 'ENOENT'));
    mkdirSync(join(d, 'folder.npy'));
    init.U = 'folder.npy';
    rewrite(d, value);
    refused(file, message.namedNotRegularFile(file, 'init.U', 'folder.npy', 'directory'));
    expect(spawnSync('mkfifo', [join(d, 'fifo.npy')]).status).toBe(0);
    init.U = 'p.U.npy';
    value.hiddenFile = 'fifo.npy';
    rewrite(d, value);
    refused(file, message.namedNotRegularFile(file, 'hiddenFile', 'fifo.npy', 'FIFO'));
  });

  it('the file-less parser (the browser) refuses .npy names', () => {
    const { file, value } = setup();
    expect(() => parseProblem(value, file)).toThrow(message.arraysNeedFiles(file, 'init.u'));
  });

  it('imrm flow: exit 2 with the message, no trajectory (a name leading out, a symbolic link to /dev/zero, a FIFO)', () => {
    const { d, value } = setup();
    const init = value.init as Record<string, unknown>;
    symlinkSync('/dev/zero', join(d, 'zero.npy'));
    expect(spawnSync('mkfifo', [join(d, 'fifo.npy')]).status).toBe(0);
    const flow = ['flow', '--problem', 'p.json', '--model', 'im', '--times', '0,1', '--out', 't.json'];
    init.U = '../U.npy';
    rewrite(d, value);
    expectRefused(flow, d, message.outsideFolder('p.json', 'init.U', '../U.npy', '.'));
    init.U = 'zero.npy';
    rewrite(d, value);
    expectRefused(flow, d, message.outsideFolder('p.json', 'init.U', 'zero.npy', '.'));
    init.U = 'p.U.npy';
    value.hiddenFile = 'fifo.npy';
    rewrite(d, value);
    expectRefused(flow, d, message.namedNotRegularFile('p.json', 'hiddenFile', 'fifo.npy', 'FIFO'));
  });
});
