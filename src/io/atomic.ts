/**
 * Atomic file output: nothing half-written is ever left at the destination, and no temporary file survives a failure.
 *
 * Each file is written to a temporary file beside it (same folder, so the rename cannot cross file systems): every
 * byte (a short write is continued until all is written), then `fsync`, then `rename` over the destination, then
 * an `fsync` of the folder. A full disk (`ENOSPC`), a quota, a read-only or missing folder — any error of the
 * file system — removes the temporary file, leaves the destination as it was, and is an `InputError` naming the
 * destination (the CLI's exit 2).
 */
import { closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, message } from '../messages/index.js';

/** What a file holds: text (written as UTF-8), bytes, or a sequence of either written one after the other. */
export type FileData = string | Uint8Array | Iterable<string | Uint8Array>;

/** One file of a group written together by {@link writeFilesAtomic}. */
export interface FileToWrite {
  path: string;
  data: FileData;
}

/** The file-system calls the writer makes; tests replace some of them to simulate short writes and failures. */
export interface WriterFs {
  mkdirSync(path: string, opts: { recursive: true }): unknown;
  openSync(path: string, flags: number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, opts: { force: true }): void;
}

const NODE_FS: WriterFs = { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync };

/** Characters of text encoded per `write` call, so a long text is never copied whole into one buffer. */
const STRING_CHUNK = 1 << 20;

/** Writes `data` to `path` atomically (see the file comment). */
export function writeFileAtomic(path: string, data: FileData, fs: WriterFs = NODE_FS): void {
  writeFilesAtomic([{ path, data }], fs);
}

/**
 * Writes several files as one: every temporary file is written and flushed first, and only then are they renamed,
 * in the order given — so list last the file that refers to the others (a problem file after its `.npy` arrays): a
 * reader that sees it sees them too. Any failure before the renames removes every temporary file and leaves
 * every destination as it was. (A rename failing after an earlier one succeeded, which takes a destination that
 * turned into a directory under our feet, leaves the earlier files renamed — each complete — and no temporary file.)
 */
export function writeFilesAtomic(files: readonly FileToWrite[], fs: WriterFs = NODE_FS): void {
  const temps: string[] = [];
  const removeTemps = (from = 0): void => {
    for (const t of temps.slice(from)) {
      try {
        fs.rmSync(t, { force: true });
      } catch {
        // nothing more can be done; the error being reported is the one that matters
      }
    }
  };
  for (const f of files) {
    try {
      fs.mkdirSync(dirname(f.path), { recursive: true });
      const tmp = temporaryName(f.path);
      temps.push(tmp);
      writeAll(tmp, f.data, fs);
    } catch (e) {
      removeTemps();
      throw writeError(f.path, e);
    }
  }
  files.forEach((f, i) => {
    try {
      fs.renameSync(temps[i]!, f.path);
    } catch (e) {
      removeTemps(i);
      throw writeError(f.path, e);
    }
  });
  for (const dir of new Set(files.map((f) => dirname(f.path)))) syncFolder(dir, fs);
}

let counter = 0;
/** A hidden file beside `path`, unique to this process and call. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${(counter++).toString(36)}.tmp`);
}

/** Creates `tmp` (it must not exist), writes every byte of `data`, flushes it to the disk and closes it. */
function writeAll(tmp: string, data: FileData, fs: WriterFs): void {
  const fd = fs.openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  let closed = false;
  try {
    for (const chunk of chunks(data)) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = fs.writeSync(fd, chunk, offset, chunk.length - offset);
        // write(2) returns 0 only when it cannot make progress; report it rather than loop forever
        if (!(n > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        offset += n;
      }
    }
    fs.fsyncSync(fd);
    closed = true;
    fs.closeSync(fd); // close can report a deferred write error (NFS, quotas): it counts as a failure
  } finally {
    if (!closed) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing
      }
    }
  }
}

/**
 * The bytes of `data`, in pieces: strings are gathered into runs of about `STRING_CHUNK` characters (one write
 * each, not one per tiny piece) and encoded as UTF-8 a run at a time, never splitting a surrogate pair.
 */
function* chunks(data: FileData): Generator<Uint8Array> {
  const pieces: Iterable<string | Uint8Array> = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
  let pending = '';
  const flush = function* (all: boolean): Generator<Uint8Array> {
    while (pending.length >= STRING_CHUNK || (all && pending.length > 0)) {
      let end = Math.min(pending.length, STRING_CHUNK);
      const last = pending.charCodeAt(end - 1);
      if (end < pending.length && last >= 0xd800 && last <= 0xdbff) end--; // keep a high surrogate with its pair
      yield Buffer.from(pending.slice(0, end), 'utf8');
      pending = pending.slice(end);
    }
  };
  for (const piece of pieces) {
    if (piece instanceof Uint8Array) {
      yield* flush(true);
      yield piece;
    } else if (typeof piece === 'string') {
      pending += piece;
      yield* flush(false);
    } else throw new TypeError(`writeFileAtomic: data must be text or bytes, got ${typeof piece}`);
  }
  yield* flush(true);
}

/** Flushes a folder's entries (the rename) to the disk; file systems that cannot are left as they are. */
function syncFolder(dir: string, fs: WriterFs): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, constants.O_RDONLY);
    fs.fsyncSync(fd);
  } catch {
    // not every file system can fsync a folder; the data itself is already flushed
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // nothing to do
      }
    }
  }
}

/** What the common errno codes mean, for messages. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a folder on the path is a file',
  ENOENT: 'a folder on the path does not exist',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
  EEXIST: 'a temporary file of that name exists',
};

/** A file-system error as an `InputError` naming `path`; any other error (a bug) is passed on as it is. */
function writeError(path: string, e: unknown): unknown {
  return fileSystemError(path, e, message.cannotWrite);
}

/**
 * A file-system error (one with an errno `code`) met while writing `path`, as an `InputError` whose text is
 * `describe(path, reason)` (the CLI's exit 2); an `InputError` or any other error (a bug) is returned as it is.
 */
export function fileSystemError(path: string, e: unknown, describe: (path: string, reason: string) => string): unknown {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  return new InputError(describe(path, ERRNO_TEXT[code] ? `${code}: ${ERRNO_TEXT[code]}` : code));
}
