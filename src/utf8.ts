/**
 * Strict UTF-8: every text file the toolkit reads (problem, index, sweep, trajectory and result files) is decoded
 * here, so an invalid byte is an `InputError` naming the file, line and column — never silently replaced by U+FFFD
 * (which is what `readFileSync(file, 'utf8')` does). A leading byte-order mark is dropped, as editors write one.
 */
import { InputError, message } from './messages/index.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** Decodes `bytes` as UTF-8; `file` names them in the error. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const column = [...strict.decode(bytes.subarray(lineStart, offset))].length + 1;
    throw new InputError(message.notUtf8(file, line, column, offset));
  }
}

/**
 * Byte offset of the first ill-formed UTF-8 sequence (Unicode §3.9, table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no truncated sequence), or −1 when all of `bytes` is well-formed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  const cont = (i: number, lo = 0x80, hi = 0xbf): boolean => i < n && bytes[i]! >= lo && bytes[i]! <= hi;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) i += 1;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) i += 2;
    else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      if (!(cont(i + 1, lo, hi) && cont(i + 2))) return i;
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      if (!(cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3))) return i;
      i += 4;
    } else return i;
  }
  return -1;
}
