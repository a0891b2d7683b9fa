/**
 * The atomic writer: every byte written (short writes continued), flushed, renamed; any file-system failure an
 * `InputError` naming the destination, with the destination untouched and no temporary file left. Failures are
 * injected through the writer's `fs` parameter here; `diskFull.test.ts` fills a real file system.
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, message, writeFileAtomic, writeFilesAtomic } from '../../src/index.js';
import type { WriterFs } from '../../src/io/atomic.js';

const NODE: WriterFs = { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync };
const fresh = () => mkdtempSync(join(tmpdir(), 'imrm-atomic-'));
/** An errno-style error, as node:fs throws them. */
const fsError = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

describe('writeFileAtomic', () => {
  it('creates parent directories, overwrites, and leaves no temp file behind', () => {
    const dir = fresh();
    const path = join(dir, 'a', 'b', 'out.txt');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, new TextEncoder().encode('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.txt']);
  });

  it('removes the temp file and leaves the destination alone when the rename fails (an input error naming it)', () => {
    const dir = fresh();
    const path = join(dir, 'target');
    mkdirSync(path);
    writeFileSync(join(path, 'keep.txt'), 'old'); // renaming a file over a non-empty directory fails
    expect(() => writeFileAtomic(path, 'new')).toThrow(InputError);
    expect(() => writeFileAtomic(path, 'new')).toThrow(`${path}: cannot write the file (EISDIR`);
    expect(readdirSync(dir)).toEqual(['target']);
    expect(readFileSync(join(path, 'keep.txt'), 'utf8')).toBe('old');
  });

  it('keeps the old file and removes the temp file when the data cannot be written (not an input error: a bug)', () => {
    const dir = fresh();
    const path = join(dir, 'out.txt');
    writeFileSync(path, 'old');
    const run = () => writeFileAtomic(path, { length: 3 } as unknown as string);
    expect(run).toThrow(TypeError);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('continues short writes until every byte is written', () => {
    const dir = fresh();
    const path = join(dir, 'out.txt');
    let calls = 0;
    const stingy: WriterFs = { ...NODE, writeSync: (fd, buf, off, len) => (calls++, writeSync(fd, buf, off, Math.min(len, 7))) };
    const text = 'x'.repeat(1000) + 'é✓\u{1F600}';
    writeFileAtomic(path, text, stingy);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(calls).toBe(Math.ceil(Buffer.byteLength(text) / 7));
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('a write that makes no progress is an error, not an endless loop', () => {
    const dir = fresh();
    const path = join(dir, 'out.txt');
    const stuck: WriterFs = { ...NODE, writeSync: () => 0 };
    expect(() => writeFileAtomic(path, 'data', stuck)).toThrow(message.cannotWrite(path, 'EIO: input/output error'));
    expect(readdirSync(dir)).toEqual([]);
  });

  // each failure point: the destination keeps its old bytes, no temporary file survives, the error names the path
  const failures: [string, (fs: WriterFs) => WriterFs, string][] = [
    ['ENOSPC on the first write', (fs) => ({ ...fs, writeSync: () => { throw fsError('ENOSPC'); } }), 'ENOSPC: no space left on the device'],
    ['ENOSPC after a short write', (fs) => {
      let n = 0;
      return { ...fs, writeSync: (fd, buf, off, len) => { if (n++ > 0) throw fsError('ENOSPC'); return writeSync(fd, buf, off, Math.min(len, 5)); } };
    }, 'ENOSPC: no space left on the device'],
    ['EDQUOT', (fs) => ({ ...fs, writeSync: () => { throw fsError('EDQUOT'); } }), 'EDQUOT: disk quota exceeded'],
    ['fsync failing (EIO)', (fs) => ({ ...fs, fsyncSync: () => { throw fsError('EIO'); } }), 'EIO: input/output error'],
    ['close reporting a deferred error', (fs) => ({ ...fs, closeSync: (fd) => { closeSync(fd); throw fsError('ENOSPC'); } }), 'ENOSPC: no space left on the device'],
    ['a read-only folder (open fails)', (fs) => ({ ...fs, openSync: () => { throw fsError('EROFS'); } }), 'EROFS: read-only file system'],
    ['an unknown errno', (fs) => ({ ...fs, renameSync: () => { throw fsError('EXDEV'); } }), 'EXDEV'],
  ];
  for (const [name, inject, reason] of failures) {
    it(`${name}: InputError naming the path, old file kept, no temporary file`, () => {
      const dir = fresh();
      const path = join(dir, 'out.json');
      writeFileSync(path, 'old');
      const run = () => writeFileAtomic(path, 'new contents '.repeat(100), inject(NODE));
      expect(run).toThrow(InputError);
      expect(run).toThrow(message.cannotWrite(path, reason));
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['out.json']);
    });
  }

  it('writes a sequence of pieces (text and bytes) without splitting a character', () => {
    const dir = fresh();
    const path = join(dir, 'out.txt');
    // a surrogate pair straddling the 2^20-character boundary at which text is encoded
    const long = 'a'.repeat((1 << 20) - 1) + '\u{1F600}' + 'b';
    writeFileAtomic(path, ['{', long, new TextEncoder().encode('|bytes|'), 'é}']);
    expect(readFileSync(path, 'utf8')).toBe('{' + long + '|bytes|é}');
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file, or none: a failure on the second leaves both destinations as they were', () => {
    const dir = fresh();
    const a = join(dir, 'a.npy');
    const b = join(dir, 'b.json');
    writeFileSync(a, 'old a');
    writeFileSync(b, 'old b');
    let opened = 0;
    const failSecond: WriterFs = { ...NODE, writeSync: (fd, buf, off, len) => { if (opened === 2) throw fsError('ENOSPC'); return writeSync(fd, buf, off, len); }, openSync: (p, f, m) => (opened++, openSync(p, f, m)) };
    expect(() => writeFilesAtomic([{ path: a, data: 'new a' }, { path: b, data: 'new b' }], failSecond)).toThrow(message.cannotWrite(b, 'ENOSPC: no space left on the device'));
    expect(readFileSync(a, 'utf8')).toBe('old a');
    expect(readFileSync(b, 'utf8')).toBe('old b');
    expect(readdirSync(dir).sort()).toEqual(['a.npy', 'b.json']);
    writeFilesAtomic([{ path: a, data: 'new a' }, { path: b, data: 'new b' }]);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['new a', 'new b']);
    expect(readdirSync(dir).sort()).toEqual(['a.npy', 'b.json']);
  });

  it('renames in the order given, so the last file (the one naming the others) appears last', () => {
    const dir = fresh();
    const order: string[] = [];
    const spy: WriterFs = { ...NODE, renameSync: (from, to) => (order.push(to), renameSync(from, to)) };
    writeFilesAtomic([{ path: join(dir, 'p.U.npy'), data: 'U' }, { path: join(dir, 'p.hidden.npy'), data: 'H' }, { path: join(dir, 'p.json'), data: '{}' }], spy);
    expect(order).toEqual([join(dir, 'p.U.npy'), join(dir, 'p.hidden.npy'), join(dir, 'p.json')]);
  });
});
