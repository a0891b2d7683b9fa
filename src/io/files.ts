/**
 * Reading input files safely: only regular files (a FIFO, `/dev/zero` or a folder is refused, never read from or
 * waited on), size-checked against the memory budget before anything is read, and files named *inside* other
 * files (the `.npy` arrays of a problem or hidden-state index) only from inside the naming file's folder, after
 * resolving symbolic links. Every refusal is an `InputError` naming the file, and for a named file the naming file
 * and its field.
 */
import { decodeUtf8 } from '../utf8.js';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatBytes } from '../messages/core.js';
import { InputError, message } from '../messages/index.js';
import { checkMemory } from '../models/budget.js';
import './memory.js';

/** Largest JSON file read: the longest string V8 can hold (its text is parsed from one string). */
export const MAX_JSON_BYTES: number = bufferConstants.MAX_STRING_LENGTH;
/** Heap bytes per byte of a JSON file while it is parsed: its text and the values it becomes (a generous estimate). */
export const JSON_HEAP_FACTOR = 4;

/** An open regular file. */
export interface OpenFile {
  fd: number;
  size: number;
}

/** The kind of a non-regular file, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * Opens `path` for reading if it is a regular file. Opening never blocks (`O_NONBLOCK`, which a FIFO would
 * otherwise do until a writer comes); what is opened is then checked with `fstat`, so no other file can be swapped in
 * between. `unreadable(code)` and `notRegular(kind)` build the errors.
 */
export function openRegularFile(path: string, unreadable: (code: string) => InputError, notRegular: (kind: string) => InputError): OpenFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw unreadable(errorCode(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(kindOf(st));
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/**
 * Reads up to `target.length` bytes at `position` (looping over short reads); returns how many were read (fewer
 * only at the end of the file). `file` names the file in the error for a failed read.
 */
export function readAt(fd: number, target: Uint8Array, position: number, file: string): number {
  let done = 0;
  while (done < target.length) {
    let n: number;
    try {
      n = readSync(fd, target, done, target.length - done, position + done);
    } catch (e) {
      throw new InputError(message.cannotRead(file, errorCode(e)));
    }
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Reads a whole regular file of at most `maxBytes` bytes (see `readInputFile`). */
function readWhole(file: string, open: OpenFile, maxBytes: number, tooLarge: string): Buffer {
  const { fd, size } = open;
  try {
    if (size > maxBytes) throw new InputError(message.fileTooLarge(file, size, maxBytes, tooLarge));
    const buffer = Buffer.allocUnsafe(size);
    const n = readAt(fd, buffer, 0, file);
    return n === size ? buffer : buffer.subarray(0, n); // the file shrank while being read: what is there
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a JSON input file (problem, index, trajectory, sweep file) as text: a regular file, at most
 * `MAX_JSON_BYTES`, whose parse fits the heap budget (`JSON_HEAP_FACTOR` × its size), decoded as strict UTF-8
 * (`decodeUtf8`: an invalid byte is an error naming its line and column).
 */
export function readJsonText(file: string): string {
  const open = openRegularFile(
    file,
    (code) => new InputError(message.cannotRead(file, code)),
    (kind) => new InputError(message.notRegularFile(file, kind)),
  );
  try {
    checkMemory(JSON_HEAP_FACTOR * open.size, file, '', `parsing this JSON file of ${formatBytes(open.size)}`, { heap: true });
  } catch (e) {
    closeSync(open.fd);
    throw e;
  }
  const tooLarge = 'the longest text JavaScript can hold; keep large arrays in .npy files beside the file (docs/formats.md)';
  return decodeUtf8(readWhole(file, open, MAX_JSON_BYTES, tooLarge), file);
}

/**
 * Resolves a file name found in `file` at `entry` (e.g. `hiddenFile`, `init.U`): a relative path that must resolve,
 * after symbolic links, to a file inside `file`'s folder. Returns the resolved path; throws an `InputError` naming
 * `file` and `entry` for an absolute path, a name leading outside, or a file that does not exist.
 */
export function resolveNamedFile(file: string, entry: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InputError(message.badFileName(file, entry, name, 'expected a non-empty relative path'));
  if (name.includes('\0')) throw new InputError(message.badFileName(file, entry, name, 'it contains a NUL character'));
  if (isAbsolute(name)) throw new InputError(message.badFileName(file, entry, name, `absolute paths are not read; give a path relative to the folder of ${file}`));
  const folder = dirname(file);
  const outside = (from: string, to: string): boolean => {
    const rel = relative(from, to);
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  // as written (nothing outside is even looked at), then after resolving symbolic links
  if (outside(resolve(folder), resolve(folder, name))) throw new InputError(message.outsideFolder(file, entry, name, folder));
  let realFolder: string;
  let real: string;
  try {
    realFolder = realpathSync(folder);
  } catch (e) {
    throw new InputError(message.namedFileUnreadable(file, entry, name, errorCode(e)));
  }
  try {
    real = realpathSync(join(realFolder, name));
  } catch (e) {
    throw new InputError(message.namedFileUnreadable(file, entry, name, errorCode(e)));
  }
  if (outside(realFolder, real)) throw new InputError(message.outsideFolder(file, entry, name, folder));
  return real;
}

/**
 * Opens a file named in `file` at `entry` (see `resolveNamedFile`) if it is a regular file. `shown` is the path it is
 * called by in later messages (`join(dirname(file), name)`).
 */
export function openNamedFile(file: string, entry: string, name: unknown): OpenFile & { shown: string } {
  const real = resolveNamedFile(file, entry, name);
  const open = openRegularFile(
    real,
    (code) => new InputError(message.namedFileUnreadable(file, entry, name as string, code)),
    (kind) => new InputError(message.namedNotRegularFile(file, entry, name as string, kind)),
  );
  return { ...open, shown: join(dirname(file), name as string) };
}
