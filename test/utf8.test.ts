/** Strict UTF-8 decoding (`src/utf8.ts`): agrees with the WHATWG decoder, and names line, column and byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, message } from '../src/messages/index.js';
import { decodeUtf8, firstInvalidUtf8 } from '../src/utf8.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
const valid = (bytes: Uint8Array): boolean => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('strict UTF-8', { timeout: 60_000 }, () => {
  it('firstInvalidUtf8 is −1 exactly when the WHATWG decoder accepts, and everything before it decodes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new TextEncoder().encode(s)),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.nat()).map(([s, junk, at]) => {
        const b = new TextEncoder().encode(s);
        const k = b.length === 0 ? 0 : at % b.length;
        return Uint8Array.from([...b.subarray(0, k), ...junk, ...b.subarray(k)]);
      }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        return (at === -1) === valid(b) && (at === -1 || valid(b.subarray(0, at)));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('the boundary cases of Unicode table 3-7: overlong forms, surrogates, above U+10FFFF, truncated sequences', () => {
    for (const [bytes, at] of [
      [[0xc0, 0x80], 0], [[0xc1, 0xbf], 0], [[0xe0, 0x80, 0x80], 0], [[0xed, 0xa0, 0x80], 0], [[0xf0, 0x80, 0x80, 0x80], 0],
      [[0xf4, 0x90, 0x80, 0x80], 0], [[0xf5, 0x80, 0x80, 0x80], 0], [[0x61, 0xe2, 0x82], 1], [[0x80], 0], [[0x61, 0xff], 1],
      [[0xe2, 0x82, 0xac], -1], [[0xf0, 0x9f, 0x98, 0x80], -1], [[0xef, 0xbb, 0xbf, 0x7b], -1], [[0xed, 0x9f, 0xbf], -1], [[0xf4, 0x8f, 0xbf, 0xbf], -1],
    ] as [number[], number][]) expect(firstInvalidUtf8(Uint8Array.from(bytes)), bytes.join(',')).toBe(at);
  });

  it('decodeUtf8 drops a byte-order mark and names line, column (in characters) and byte of an invalid one', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'f')).toBe('{}');
    const bytes = Buffer.concat([Buffer.from('{\n  "é": "'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expect(() => decodeUtf8(bytes, 'f.json')).toThrow(new InputError(message.notUtf8('f.json', 2, 9, 11)));
  });
});
