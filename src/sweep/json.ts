/**
 * JSON values as sweep parameters: their type, a canonical text (keys sorted at every depth, so equal values give
 * equal text and equal run ids), and the JSON-path notation used in error messages (`grid.lr[2]`).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `JSON.stringify` with object keys in code-point order at every depth, no whitespace. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/** A copy of `object` with its own keys in code-point order (one level), for stable output files. */
export function sortedKeys<T>(object: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(object).sort()) out[key] = object[key] as T;
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['grid', 'lr', 2]` → `grid.lr[2]`; keys that are not identifiers are quoted: `fixed["n-tokens"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += IDENTIFIER.test(name) ? (out ? `.${name}` : name) : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** The value at `path` inside `data`, or `undefined` when the path leaves the data. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = data;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/** Deepest nesting of arrays and objects accepted in sweep and result files (parameters need a few levels). */
export const MAX_NESTING = 64;

/**
 * The first structural hazard in parsed JSON, found without recursion (so a 50 000-deep array is an error, not a
 * stack overflow): nesting deeper than `MAX_NESTING`, or a key `__proto__`, which JavaScript objects would swallow
 * (a grid parameter of that name would vanish and halve the runs). Returns the JSON path and the kind, or undefined.
 */
export function jsonHazard(data: unknown): { path: PropertyKey[]; kind: 'deep' | 'proto' } | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_NESTING) return { path, kind: 'deep' };
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (v !== null && typeof v === 'object') stack.push({ value: v, path: [...path, i] });
      });
    } else {
      for (const key of Object.keys(value)) {
        if (key === '__proto__') return { path: [...path, key], kind: 'proto' };
        const v = (value as Record<string, unknown>)[key];
        if (v !== null && typeof v === 'object') stack.push({ value: v, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * The known name closest to `name` (optimal-string-alignment distance: insertions, deletions, substitutions and
 * swaps of neighbours, ignoring case) when it is at most 2 edits and fewer than half of `name`'s letters away:
 * `"rhoo"` → `"rho"`, `"horizn"` → `"horizon"`. Undefined when nothing is that close.
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= 2 && bestDistance < name.length / 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[rows - 1]![cols - 1]!;
}
