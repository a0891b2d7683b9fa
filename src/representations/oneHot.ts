import { InputError, message, prefixKey } from '../messages/index.js';
import { prefixId, type Representation } from './representation.js';

/**
 * One-hot tabular representations: every distinct prefix `(prompt, y_<k)` of the given list is its own basis
 * vector `e_i ∈ R^D`, `D` = number of prefixes, in the order given. With them an autoregressive `π_U` can
 * represent any distribution over responses (docs/theory.md Claim 6).
 */
export class OneHotRepresentation implements Representation {
  readonly dim: number;
  private readonly index = new Map<string, number>();

  constructor(prefixes: Iterable<{ prompt: number; prefix: readonly number[] }>) {
    for (const p of prefixes) {
      const id = prefixId(p.prompt, p.prefix);
      if (!this.index.has(id)) this.index.set(id, this.index.size);
    }
    this.dim = this.index.size;
  }

  /** Index of the basis vector of a prefix, or −1. */
  indexOf(prompt: number, prefix: readonly number[]): number {
    return this.index.get(prefixId(prompt, prefix)) ?? -1;
  }

  hidden(prompt: number, prefix: readonly number[]): Float64Array {
    const i = this.indexOf(prompt, prefix);
    if (i < 0) throw new InputError(message.missingRepresentation(prefixKey(prompt, prefix)));
    const h = new Float64Array(this.dim);
    h[i] = 1;
    return h;
  }
}

/** Every prefix `k = 1 … L+1` of the given responses, in order of first appearance. */
export function prefixesOf(responses: Iterable<{ prompt: number; tokens: readonly number[] }>): { prompt: number; prefix: number[] }[] {
  const out: { prompt: number; prefix: number[] }[] = [];
  for (const r of responses) for (let k = 0; k <= r.tokens.length; k++) out.push({ prompt: r.prompt, prefix: r.tokens.slice(0, k) });
  return out;
}
