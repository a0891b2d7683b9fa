/**
 * Reading `.npy` files from disk without holding the file in memory: the header is read and checked first (so a
 * caller can check the shape, and the memory budget is checked, before anything large is allocated), then the data
 * go straight into one `Float64Array` — float64 little-endian data by a single read into its bytes, float32 a slice
 * at a time through a typed-array conversion. Only regular files are read (`io/files.ts`).
 */
import { closeSync } from 'node:fs';
import { InputError, message } from '../messages/index.js';
import { npyMessages as m } from '../messages/npy.js';
import { checkMemory, FLOAT_BYTES } from '../models/budget.js';
import { openRegularFile, readAt, type OpenFile } from './files.js';
import { decodeNpyData, LITTLE_ENDIAN_HOST, npyDataOffset, npyDtypes, parseNpyHeader, pyTuple, type NpyArray, type NpyHeader } from './npy.js';

/** Bytes read at a time when the data must be converted (float32, or big-endian). */
const READ_CHUNK = 1 << 24;
/** Bytes read first: the preamble and a typical header. */
const HEAD_BYTES = 4096;

/** Called with the header (and the file's name in messages) before the data are read: throw to refuse the array. */
export type NpyHeaderCheck = (header: NpyHeader, name: string) => void;

/** Reads a `.npy` file (float32/float64, C order; see `npy.ts`); every defect is an `InputError` naming the file. */
export function readNpy(file: string, check?: NpyHeaderCheck): NpyArray {
  const open = openRegularFile(
    file,
    (code) => new InputError(message.cannotRead(file, code)),
    (kind) => new InputError(message.notRegularFile(file, kind)),
  );
  return readNpyFrom(open, file, check);
}

/** Reads a `.npy` array from an open regular file, which it closes; `name` names the file in messages. */
export function readNpyFrom(open: OpenFile, name: string, check?: NpyHeaderCheck): NpyArray {
  const { fd, size } = open;
  try {
    let head = new Uint8Array(Math.min(size, HEAD_BYTES));
    head = head.subarray(0, readAt(fd, head, 0, name));
    const dataAt = npyDataOffset(head, size, name);
    if (dataAt > head.length) {
      const longer = new Uint8Array(dataAt);
      head = longer.subarray(0, readAt(fd, longer, 0, name));
    }
    const header = parseNpyHeader(head, size, name);
    check?.(header, name);
    const { dtype, count, shape } = header;
    checkMemory(count * FLOAT_BYTES, name, 'shape', `an array of shape ${pyTuple(shape)} read as float64`);
    const data = new Float64Array(count);
    const itemBytes = npyDtypes[dtype].bytes;
    const needed = count * itemBytes;
    const truncated = (got: number) => new InputError(m.truncatedData(name, pyTuple(shape), dtype, needed, got));
    if (dtype === '<f8' && LITTLE_ENDIAN_HOST) {
      const got = readAt(fd, new Uint8Array(data.buffer), header.dataAt, name);
      if (got < needed) throw truncated(got); // the file shrank after its size was taken
      return { shape, data, dtype };
    }
    const chunk = new Uint8Array(Math.min(needed, Math.floor(READ_CHUNK / itemBytes) * itemBytes));
    for (let done = 0; done < needed; ) {
      const want = Math.min(chunk.length, needed - done);
      const got = readAt(fd, chunk.subarray(0, want), header.dataAt + done, name);
      if (got < want) throw truncated(done + got);
      decodeNpyData(chunk.subarray(0, want), dtype, data, done / itemBytes);
      done += want;
    }
    return { shape, data, dtype };
  } finally {
    closeSync(fd);
  }
}
