/**
 * Fixed hidden representations `h(x, y_<k) ∈ R^D` (docs/theory.md §1): the representation of the prefix
 * `(x, y_1 … y_{k−1})`, `k = 1 … L+1`. The empty prefix is the prompt alone, the full response the whole sequence.
 * They never change during training.
 */
export interface Representation {
  /** Hidden dimension `D`. */
  readonly dim: number;
  /** `h(prompt, prefix)`; a fresh array the caller may keep. Throws `InputError` when it has no vector for the key. */
  hidden(prompt: number, prefix: readonly number[]): Float64Array;
}

/** The map key of a prefix: prompt id, then the tokens so far. */
export function prefixId(prompt: number, prefix: readonly number[]): string {
  return prefix.length === 0 ? `${prompt}|` : `${prompt}|${prefix.join(',')}`;
}
