/**
 * Deterministic JSON text: objects indented two spaces, arrays of numbers/strings on one line (so a 1000 × 128
 * matrix is 1000 lines, not 128 000), numbers as JavaScript prints them (shortest round-trip form), key order as
 * given. The same value always gives the same bytes.
 */
export function stringifyCompact(value: unknown, indent = ''): string {
  let s = '';
  for (const piece of compactJsonChunks(value, indent)) s += piece;
  return s;
}

/**
 * `stringifyCompact`'s text in pieces (about a line each), for writing a file far longer than the longest string
 * JavaScript can hold (`writeFileAtomic` takes them as they come).
 */
export function* compactJsonChunks(value: unknown, indent = ''): Generator<string> {
  if (value instanceof Float64Array || value instanceof Float32Array || value instanceof Int32Array) {
    yield* compactJsonChunks(Array.from(value), indent);
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      yield `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      return;
    }
    const inner = indent + '  ';
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* compactJsonChunks(value[i], inner);
      yield i < value.length - 1 ? ',\n' : `\n${indent}]`;
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    const inner = indent + '  ';
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      yield `${inner}${JSON.stringify(k)}: `;
      yield* compactJsonChunks(v, inner);
      yield i < entries.length - 1 ? ',\n' : `\n${indent}}`;
    }
    return;
  }
  // JSON.stringify gives undefined for undefined/functions/symbols; the original concatenation wrote "undefined"
  yield String(JSON.stringify(value));
}

/** The pieces of a file holding `value`: `compactJsonChunks`, then a newline. */
export function* compactJsonFile(value: unknown): Generator<string> {
  yield* compactJsonChunks(value);
  yield '\n';
}
