/**
 * A full disk, for real: a 64 KiB tmpfs mounted for the test (needs root; skipped with a note otherwise — then only
 * the injected failures of `atomic.test.ts` run). Writing onto it fails with ENOSPC, either part-way (a short write,
 * then ENOSPC) or at once when it is already full; every command must exit 2 naming the path, leave no output and
 * no temporary file, and the library writer must throw an `InputError` and leave the folder as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, message, writeFileAtomic, writeNpy, writeProblem, makeProblem, HIDDEN_INDEX_FORMAT } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { expectRefused, listFiles } from './hostile.js';

const root = mkdtempSync(join(tmpdir(), 'imrm-diskfull-'));
const disk = join(root, 'disk');
mkdirSync(disk);
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]).status === 0;
if (!mounted) console.warn('diskFull.test.ts: cannot mount a tmpfs here (not root?); the real full-disk tests are skipped');
afterAll(() => {
  if (mounted) spawnSync('umount', [disk]);
  rmSync(root, { recursive: true, force: true });
});

const ENOSPC = 'ENOSPC: no space left on the device';
const emptyDisk = () => {
  for (const f of listFiles(disk)) rmSync(join(disk, f), { recursive: true, force: true });
};
/** Fills the disk to the last block with a file `filler`. */
const fillDisk = () => {
  const block = Buffer.alloc(4096, 1);
  let n = 0;
  try {
    for (;;) writeFileSync(join(disk, 'filler'), block, { flag: n++ === 0 ? 'w' : 'a' });
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
};

describe.skipIf(!mounted)('a full disk (64 KiB tmpfs)', { timeout: 120_000 }, () => {
  it('the library writer: ENOSPC part-way and on a full disk is an InputError; the folder is as it was', () => {
    emptyDisk();
    const path = join(disk, 'big.txt');
    const big = 'x'.repeat(100 * 1024);
    expect(() => writeFileAtomic(path, big)).toThrow(InputError);
    expect(() => writeFileAtomic(path, big)).toThrow(message.cannotWrite(path, ENOSPC));
    expect(listFiles(disk)).toEqual([]);
    writeFileAtomic(path, 'small'); // what fits is written
    fillDisk();
    expect(() => writeFileAtomic(path, 'a little more than before')).toThrow(message.cannotWrite(path, ENOSPC));
    expect(readFileSync(path, 'utf8')).toBe('small');
    expect(listFiles(disk)).toEqual(['big.txt', 'filler']);
  });

  it('make-problem: exit 2 naming the path, nothing written (larger than the disk, and onto a full disk)', () => {
    emptyDisk();
    const args = ['make-problem', '--kind', 'single-token', '--seed', '0', '--out', 'disk/p.json'];
    expectRefused(args, root, message.cannotWrite('disk/p.json', ENOSPC));
    fillDisk();
    expectRefused([...args.slice(0, -2), '--pairs', '2', '--dim', '4', '--out', 'disk/p.json'], root, message.cannotWrite('disk/p.json', ENOSPC));
  });

  it('flow: exit 2 naming the path, no trajectory and no temporary file', () => {
    emptyDisk();
    writeProblem(join(root, 'small.json'), makeProblem('single-token', { seed: 1, vocab: 40, dim: 4, pairs: 3 }));
    const args = ['flow', '--problem', 'small.json', '--model', 'ex', '--times', 'logspace:0:2:3000', '--quiet', '--out', 'disk/t.json'];
    expectRefused(args, root, message.cannotWrite('disk/t.json', ENOSPC), { watch: disk });
    fillDisk();
    expectRefused([...args.slice(0, 6), '0,1', '--quiet', '--out', 'disk/t.json'], root, message.cannotWrite('disk/t.json', ENOSPC), { watch: disk });
  });

  it('merge: exit 2 naming the path, no <out>.<pid>.tmp left behind', () => {
    emptyDisk();
    const line = (i: number) => JSON.stringify({ runId: i.toString(16).padStart(16, '0'), index: i, params: { rho: i }, seed: 0, result: { 'x.accuracy': i / 100 }, ms: 1 }) + '\n';
    writeFileSync(join(root, 'shard.jsonl'), Array.from({ length: 800 }, (_, i) => line(i)).join(''));
    const args = ['merge', 'shard.jsonl', '--out', 'disk/m.jsonl'];
    const r = runCli(args, { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message.cannotWrite('disk/m.jsonl', ENOSPC));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(listFiles(disk)).toEqual([]);
    fillDisk();
    expect(runCli(args, { cwd: root }).code).toBe(2);
    expect(listFiles(disk)).toEqual(['filler']);
  });

  it('import-hidden writing a problem with a .npy array beside it: neither file, nor a temporary one, is left', () => {
    emptyDisk();
    const D = 4;
    const prefixes = [{ prompt: 0, prefix: [] }, { prompt: 0, prefix: [1] }, { prompt: 0, prefix: [2] }];
    writeFileSync(join(root, 'hidden.npy'), writeNpy(new Float64Array(3 * D).fill(0.5), [3, D], { dtype: '<f8' }));
    writeFileSync(join(root, 'index.json'), JSON.stringify({ format: HIDDEN_INDEX_FORMAT, vocabSize: 3, beta: 1, reference: 'init', prefixes, train: [{ prompt: 0, chosen: [1], rejected: [2] }] }));
    // a problem whose hidden vectors are too many to inline goes as problem.json + problem.hidden.npy; here: too big
    const V = 300_000; // init.U of V × D = 1.2 M numbers > 2^20: written as disk/p.U.npy (~9 MiB)
    writeFileSync(join(root, 'U.npy'), writeNpy(new Float64Array(V * D).fill(0.25), [V, D], { dtype: '<f8' }));
    writeFileSync(join(root, 'index-big.json'), JSON.stringify({ format: HIDDEN_INDEX_FORMAT, vocabSize: V, beta: 1, reference: 'init', init: { U: 'U.npy' }, prefixes, train: [{ prompt: 0, chosen: [1], rejected: [2] }] }));
    expectRefused(['import-hidden', '--index', 'index-big.json', '--out', 'disk/p.json'], root, message.cannotWrite('disk/p.U.npy', ENOSPC));
    expect(listFiles(disk)).toEqual([]);
  });

  it('sweep appending results: exit 2 naming the file; the complete lines stay, and a re-run with space resumes', () => {
    emptyDisk();
    const sweep = { format: 'imrm-sweep/1', name: 's', cell: 'probe', fixed: { kind: 'one-token', vocab: 60, dim: 8, pairs: 8, horizon: 10 }, grid: { rho: [0, 0.3, 0.6, 0.9] }, seeds: { from: 0, count: 10 } };
    writeFileSync(join(root, 'sweep.json'), JSON.stringify(sweep));
    writeFileSync(join(disk, 'filler'), Buffer.alloc(56 * 1024, 1)); // room for a few lines only
    const args = ['sweep', 'sweep.json', '--out', 'disk/r.jsonl', '--progress', 'none', '--workers', '1'];
    const r = runCli(args, { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message.cannotAppend('disk/r.jsonl', ENOSPC));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(listFiles(disk)).toEqual(['filler', 'r.jsonl']);
    rmSync(join(disk, 'filler'));
    const again = runCli(args, { cwd: root });
    expect(again.code, again.stderr).toBe(0);
    const lines = readFileSync(join(disk, 'r.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number });
    expect(lines.map((l) => l.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
