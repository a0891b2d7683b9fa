/**
 * NumPy `.npy` files: a reader for float32/float64 arrays (how hidden states computed in Python reach this
 * toolkit) and a writer for the same (fixtures, tests, export).
 *
 * The format (numpy/lib/format.py, NEP 1): the magic bytes `\x93NUMPY`, a major and a minor version byte, the
 * header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the header: a Python
 * dictionary literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` in Latin-1 (1.0, 2.0) or UTF-8
 * (3.0), padded with spaces and a newline; then the raw array data. Only C-ordered float32/float64 arrays of
 * either byte order are read; anything else is an {@link InputError} naming the file and the field at fault.
 */
import { InputError } from '../messages/index.js';
import { npyMessages as m } from '../messages/npy.js';

/** The dtypes read, as they appear in a header's `descr`, with their size in bytes and byte order. */
export const npyDtypes = {
  '<f4': { bytes: 4, littleEndian: true },
  '<f8': { bytes: 8, littleEndian: true },
  '>f4': { bytes: 4, littleEndian: false },
  '>f8': { bytes: 8, littleEndian: false },
} as const;
export type NpyDtype = keyof typeof npyDtypes;
export const isNpyDtype = (x: unknown): x is NpyDtype => typeof x === 'string' && Object.hasOwn(npyDtypes, x);

/** The dtypes written: little-endian, as numpy.save writes on every common machine. */
export type NpyWriteDtype = '<f4' | '<f8';

/** A parsed `.npy` array: `data` in C order (last index fastest), widened to float64. */
export interface NpyArray {
  shape: number[];
  data: Float64Array;
  /** The dtype of the file (float32 values are widened exactly). */
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Header-length field size per major version. */
const LENGTH_BYTES: Readonly<Record<number, 2 | 4>> = { 1: 2, 2: 4, 3: 4 };
/** numpy aligns the start of the data to 64 bytes (numpy.lib.format.ARRAY_ALIGN). */
const ARRAY_ALIGN = 64;
/** numpy leaves room for the first axis to grow to this many digits (numpy.lib.format.GROWTH_AXIS_MAX_DIGITS). */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** Bytes before the header: magic, version, and the longest header-length field. */
export const NPY_PREAMBLE_BYTES = MAGIC.length + 2 + 4;
/**
 * Longest header read. numpy writes about 128 bytes and itself refuses headers over 10 000 bytes unless told
 * otherwise; a version 2/3 length field could claim 4 GiB.
 */
export const MAX_NPY_HEADER_BYTES = 1 << 20;
/** Whether this machine stores numbers little-endian (then '<f8' data is copied as it is, without decoding). */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What the preamble and header of a `.npy` file say. */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Number of elements (the product of the shape). */
  count: number;
  /** Byte offset of the data in the file. */
  dataAt: number;
}

/**
 * The byte offset of the data (the preamble and header length), from the file's first bytes `head` (at least
 * `NPY_PREAMBLE_BYTES`, or the whole file when shorter) and its length: checks the magic, the version, and that
 * the header fits in the file.
 */
export function npyDataOffset(head: Uint8Array, fileLength: number, name: string): number {
  if (fileLength < MAGIC.length + 2 || head.length < MAGIC.length + 2 || MAGIC.some((b, i) => head[i] !== b)) {
    throw new InputError(m.badMagic(name));
  }
  const major = head[6]!;
  const minor = head[7]!;
  const lengthBytes = minor === 0 ? LENGTH_BYTES[major] : undefined;
  if (lengthBytes === undefined) throw new InputError(m.unsupportedVersion(name, major, minor));
  const lengthAt = 8;
  if (fileLength < lengthAt + lengthBytes || head.length < lengthAt + lengthBytes) {
    throw new InputError(m.truncatedPreamble(name, lengthAt + lengthBytes, fileLength));
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLength = lengthBytes === 2 ? view.getUint16(lengthAt, true) : view.getUint32(lengthAt, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) throw new InputError(m.headerTooLong(name, headerLength, MAX_NPY_HEADER_BYTES));
  const dataAt = lengthAt + lengthBytes + headerLength;
  if (fileLength < dataAt) throw new InputError(m.truncatedPreamble(name, dataAt, fileLength));
  return dataAt;
}

/**
 * Parses the preamble and header of a `.npy` file of length `fileLength` whose first bytes are `head` (at least up
 * to the data offset, `npyDataOffset`), and checks that the file holds exactly the data the header announces.
 */
export function parseNpyHeader(head: Uint8Array, fileLength: number, name: string): NpyHeader {
  const dataAt = npyDataOffset(head, fileLength, name);
  const major = head[6]!;
  const headerBytes = head.subarray(8 + LENGTH_BYTES[major]!, dataAt);
  const text = major === 3 ? decodeUtf8(headerBytes, name) : decodeLatin1(headerBytes);
  const { dtype, shape } = interpretHeader(text, name);
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * npyDtypes[dtype].bytes;
  const available = fileLength - dataAt;
  if (available < needed) throw new InputError(m.truncatedData(name, pyTuple(shape), dtype, needed, available));
  if (available > needed) throw new InputError(m.trailingData(name, pyTuple(shape), dtype, needed, available));
  return { dtype, shape, count, dataAt };
}

/**
 * Parses a `.npy` file of format version 1.0, 2.0 or 3.0 holding a C-ordered float32 or float64 array.
 * `name` is the file name used in error messages. NaN and infinities are returned as they are.
 */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const header = parseNpyHeader(bytes, bytes.length, name);
  const data = new Float64Array(header.count);
  decodeNpyData(bytes.subarray(header.dataAt), header.dtype, data, 0);
  return { shape: header.shape, data, dtype: header.dtype };
}

/**
 * Decodes whole elements of `dtype` from `bytes` into `out` starting at element `at` (float32 widened exactly).
 * Little-endian data on a little-endian machine is copied as it is (float64) or through one typed-array conversion
 * (float32), which is an order of magnitude faster than decoding element by element.
 */
export function decodeNpyData(bytes: Uint8Array, dtype: NpyDtype, out: Float64Array, at: number): void {
  const { bytes: size, littleEndian } = npyDtypes[dtype];
  const n = Math.floor(bytes.length / size);
  if (littleEndian && LITTLE_ENDIAN_HOST) {
    // typed-array views need aligned offsets: copy the bytes into an aligned buffer when they are not
    const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice(0, n * size);
    if (size === 8) out.set(new Float64Array(aligned.buffer, aligned.byteOffset, n), at);
    else out.set(new Float32Array(aligned.buffer, aligned.byteOffset, n), at);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 8) for (let i = 0; i < n; i++) out[at + i] = view.getFloat64(8 * i, littleEndian);
  else for (let i = 0; i < n; i++) out[at + i] = view.getFloat32(4 * i, littleEndian);
}

/** Options of {@link writeNpy}. */
export interface WriteNpyOptions {
  /** Element type written: float32 (values rounded as by `Math.fround`) or float64. */
  dtype: NpyWriteDtype;
  /** Format version: 1 (2-byte header length), 2 (4-byte) or 3 (4-byte, UTF-8 header). @default 1 */
  version?: 1 | 2 | 3;
}

/**
 * Writes `data` (C order) with the given `shape` as a `.npy` file, laid out byte for byte as NumPy 2's
 * `numpy.lib.format.write_array` lays it out (header padded so the data starts on a 64-byte boundary).
 */
export function writeNpy(data: ArrayLike<number>, shape: readonly number[], opts: WriteNpyOptions): Uint8Array {
  const header = npyHeaderBytes(data.length, shape, opts);
  const itemBytes = opts.dtype === '<f8' ? 8 : 4;
  const out = new Uint8Array(header.length + data.length * itemBytes);
  out.set(header, 0);
  let at = header.length;
  for (const chunk of npyDataChunks(data, opts.dtype)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * The pieces of a `.npy` file for {@link writeFileAtomic}, without building the whole file in memory: the header,
 * then the data a slice at a time (float64 data of a `Float64Array` on a little-endian machine is not even copied).
 * Each slice is valid until the next one is asked for.
 */
export function* npyFileChunks(data: ArrayLike<number>, shape: readonly number[], opts: WriteNpyOptions): Generator<Uint8Array> {
  yield npyHeaderBytes(data.length, shape, opts);
  yield* npyDataChunks(data, opts.dtype);
}

/**
 * Index of the first number of `data` that is NaN or infinite, or −1. (One multiply-add per number finds out whether
 * there is any — `x · 0` is 0 for every finite `x` and NaN otherwise —, which is several times faster on large arrays
 * than testing each one.)
 */
export function firstNonFinite(data: ArrayLike<number>): number {
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i]! * 0;
  if (probe === 0) return -1;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Whether every number of `data` is exactly a float32 (so writing it as `'<f4'` loses nothing). */
export function isFloat32Exact(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) if (Math.fround(data[i]!) !== data[i]) return false;
  return true;
}

/** Elements converted per slice by {@link npyDataChunks}. */
const WRITE_CHUNK = 1 << 20;

function* npyDataChunks(data: ArrayLike<number>, dtype: NpyWriteDtype): Generator<Uint8Array> {
  const size = dtype === '<f8' ? 8 : 4;
  if (size === 8 && LITTLE_ENDIAN_HOST && data instanceof Float64Array) {
    yield new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return;
  }
  const n0 = Math.min(WRITE_CHUNK, data.length);
  if (LITTLE_ENDIAN_HOST) {
    // a typed array's `set` converts (float64 → float32 rounds to nearest, as Math.fround) far faster than a loop
    const slice = size === 8 ? new Float64Array(n0) : new Float32Array(n0);
    const bytes = new Uint8Array(slice.buffer);
    for (let start = 0; start < data.length; start += WRITE_CHUNK) {
      const n = Math.min(WRITE_CHUNK, data.length - start);
      if (ArrayBuffer.isView(data)) slice.set((data as unknown as Float64Array).subarray(start, start + n));
      else for (let i = 0; i < n; i++) slice[i] = data[start + i]!;
      yield bytes.subarray(0, n * size);
    }
    return;
  }
  const slice = new Uint8Array(n0 * size);
  const view = new DataView(slice.buffer);
  for (let start = 0; start < data.length; start += WRITE_CHUNK) {
    const n = Math.min(WRITE_CHUNK, data.length - start);
    if (size === 8) for (let i = 0; i < n; i++) view.setFloat64(8 * i, data[start + i]!, true);
    else for (let i = 0; i < n; i++) view.setFloat32(4 * i, data[start + i]!, true);
    yield slice.subarray(0, n * size);
  }
}

/** The preamble and header of a `.npy` file (padded as numpy pads it), after checking the arguments. */
function npyHeaderBytes(length: number, shape: readonly number[], opts: WriteNpyOptions): Uint8Array {
  const { dtype, version = 1 } = opts;
  if (dtype !== '<f4' && dtype !== '<f8') throw new RangeError(m.writeBadOption('dtype', dtype, `'<f4' or '<f8'`));
  if (version !== 1 && version !== 2 && version !== 3) throw new RangeError(m.writeBadOption('version', version, '1, 2 or 3'));
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new RangeError(m.writeBadShape(shape));
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== length) throw new RangeError(m.writeLengthMismatch(shape, count, length));

  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${pyTuple(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const lengthBytes = LENGTH_BYTES[version]!;
  const unpadded = header.length + 1; // + the final newline; the header is ASCII, so characters = bytes
  // numpy's rule, kept for byte-identical files: pad by 1..64 spaces (never 0) to the next 64-byte boundary.
  const pad = ARRAY_ALIGN - ((MAGIC.length + 2 + lengthBytes + unpadded) % ARRAY_ALIGN);
  const headerLength = unpadded + pad;
  if (lengthBytes === 2 && headerLength > 0xffff) throw new RangeError(m.writeHeaderTooLong(headerLength, version));
  header += ' '.repeat(pad) + '\n';

  const out = new Uint8Array(MAGIC.length + 2 + lengthBytes + headerLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[8 + lengthBytes + i] = header.charCodeAt(i);
  return out;
}

// --- header ---------------------------------------------------------------------------------------

/** Checks the header dictionary as numpy does: exactly the keys descr, fortran_order, shape. */
function interpretHeader(text: string, name: string): { dtype: NpyDtype; shape: number[] } {
  let header: PyValue;
  try {
    header = parsePythonLiteral(text);
  } catch (e) {
    throw new InputError(m.headerNotParseable(name, (e as Error).message));
  }
  if (header.kind !== 'dict') throw new InputError(m.headerNotDict(name, pyRepr(header)));
  const fields = new Map<string, PyValue>();
  for (const [key, value] of header.entries) {
    if (key.kind !== 'str' || !['descr', 'fortran_order', 'shape'].includes(key.value)) {
      throw new InputError(m.headerUnknownKey(name, key.kind === 'str' ? key.value : pyRepr(key)));
    }
    fields.set(key.value, value);
  }
  const field = (key: string): PyValue => {
    const value = fields.get(key);
    if (value === undefined) throw new InputError(m.headerMissingKey(name, key));
    return value;
  };

  const descr = field('descr');
  if (descr.kind !== 'str' || !isNpyDtype(descr.value)) throw new InputError(m.unsupportedDtype(name, pyRepr(descr)));
  const order = field('fortran_order');
  if (order.kind !== 'bool') throw new InputError(m.badFortranOrder(name, pyRepr(order)));
  if (order.value) throw new InputError(m.fortranOrder(name));
  const shape = field('shape');
  if (shape.kind !== 'tuple' || !shape.items.every((d) => d.kind === 'int' && d.value >= 0 && Number.isSafeInteger(d.value))) {
    throw new InputError(m.badShape(name, pyRepr(shape)));
  }
  return { dtype: descr.value, shape: shape.items.map((d) => (d as { value: number }).value) };
}

function decodeLatin1(bytes: Uint8Array): string {
  // Not TextDecoder('latin1'): the WHATWG decoder maps that label to windows-1252, which differs on 0x80–0x9f.
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(m.headerNotUtf8(name));
  }
}

/** Python's repr of a tuple of integers: `()`, `(5,)`, `(3, 4)`. */
export function pyTuple(items: readonly number[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

// --- a parser for the Python literals a header can hold ------------------------------------------

type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'tuple' | 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: [PyValue, PyValue][] };

/** Python's repr of a parsed literal, for error messages. */
function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'str':
      return `'${v.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'int':
    case 'float':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'list':
      return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'dict':
      return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}

/** Parses one Python literal (dict, tuple, list, str, int, float, True, False, None) filling all of `text`. */
function parsePythonLiteral(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${pos + 1} of the header`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string): void => {
    skipSpace();
    if (text[pos] !== ch) fail(pos < text.length ? `expected '${ch}', found '${text[pos]}'` : `expected '${ch}', found the end`);
    pos++;
  };

  /** Comma-separated values up to `close`, a trailing comma allowed; `pair` parses `key: value`. */
  const sequence = <T>(close: string, item: () => T): { items: T[]; comma: boolean } => {
    const items: T[] = [];
    let comma = false;
    for (;;) {
      skipSpace();
      if (text[pos] === close) break;
      items.push(item());
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        comma = true;
      } else break;
    }
    expect(close);
    return { items, comma };
  };

  const value = (): PyValue => {
    skipSpace();
    const ch = text[pos];
    if (ch === undefined) return fail('unexpected end of the header');
    if (ch === '{') {
      pos++;
      return { kind: 'dict', entries: sequence('}', (): [PyValue, PyValue] => {
        const key = value();
        expect(':');
        return [key, value()];
      }).items };
    }
    if (ch === '[') {
      pos++;
      return { kind: 'list', items: sequence(']', value).items };
    }
    if (ch === '(') {
      pos++;
      const { items, comma } = sequence(')', value);
      return items.length === 1 && !comma ? items[0]! : { kind: 'tuple', items }; // (x) is x, not a tuple
    }
    if (ch === "'" || ch === '"' || ((ch === 'u' || ch === 'b') && /['"]/.test(text[pos + 1] ?? ''))) {
      if (ch === 'u' || ch === 'b') pos++;
      return { kind: 'str', value: str() };
    }
    const num = /^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?L?/.exec(text.slice(pos, pos + 64));
    if (num) {
      pos += num[0].length;
      const token = num[0].replace(/L$/, '');
      return /[.eE]/.test(token) ? { kind: 'float', value: Number(token) } : { kind: 'int', value: Number(token) };
    }
    const word = /^[A-Za-z_]\w*/.exec(text.slice(pos, pos + 64))?.[0];
    if (word === 'True' || word === 'False') {
      pos += word.length;
      return { kind: 'bool', value: word === 'True' };
    }
    if (word === 'None') {
      pos += word.length;
      return { kind: 'none' };
    }
    return fail(`unexpected ${word ? `name '${word}'` : `character '${ch}'`}`);
  };

  const str = (): string => {
    const quote = text[pos++]!;
    let s = '';
    for (;;) {
      const ch = text[pos++];
      if (ch === undefined || ch === '\n') return fail('unterminated string');
      if (ch === quote) return s;
      if (ch !== '\\') {
        s += ch;
        continue;
      }
      const esc = text[pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
      if (esc !== undefined && simple[esc] !== undefined) s += simple[esc];
      else if (esc === 'x' || esc === 'u') {
        const n = esc === 'x' ? 2 : 4;
        const hex = text.slice(pos, pos + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail(`bad \\${esc} escape`);
        s += String.fromCharCode(parseInt(hex, 16));
        pos += n;
      } else fail(`unsupported escape '\\${esc ?? ''}'`);
    }
  };

  const result = value();
  skipSpace();
  if (pos < text.length) fail(`unexpected '${text[pos]}' after the dictionary`);
  return result;
}
