/**
 * The benchmark instances (issue 11): the standard built-in problems, a multi-token problem with a random `U_0`
 * (no token classes to merge), and a GPT-2-sized one written as `.npy` arrays plus a hidden-state index, as a user
 * of `imrm import-hidden` would bring it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HIDDEN_INDEX_FORMAT, makeProblem, makeRng, normalVector, writeNpy, type Problem } from '../index.js';

/** Multi-token (`L = 8`, `|V| = 1000`, `D = 64`, `N = 32`) with `U_0` entries N(0, 1): every token row distinct. */
export function randomU0MultiToken(): Problem {
  const p = makeProblem('multi-token', { seed: 0, vocab: 1000, dim: 64, pairs: 32, length: 8 });
  return { ...p, init: { U: normalVector(makeRng('bench-random-U0'), 1000 * 64, 1) } };
}

export const GPT2 = { vocab: 50257, dim: 768, pairs: 16, length: 4 } as const;

/**
 * A GPT-2-sized instance in `dir`: `hidden.npy` (random hidden states N(0, 1/D) of every prefix and whole response,
 * float32), `U.npy` (`U_0 = 0.02·N(0, 1)`, `50257 × 768`, float32) and `index.json` (16 pairs of random 4-token
 * responses on 16 prompts, `β = 0.1`, reference `init`). Returns the index file's path.
 */
export function writeGpt2Instance(dir: string): string {
  const { vocab: V, dim: D, pairs: N, length: L } = GPT2;
  const rng = makeRng('bench-gpt2');
  const token = () => rng.int(V);
  const prefixes: { prompt: number; prefix: number[] }[] = [];
  const train: { prompt: number; chosen: number[]; rejected: number[] }[] = [];
  for (let x = 0; x < N; x++) {
    const chosen = Array.from({ length: L }, token);
    const rejected = Array.from({ length: L }, token);
    train.push({ prompt: x, chosen, rejected });
    const seen = new Set<string>();
    for (const y of [chosen, rejected]) {
      for (let k = 0; k <= L; k++) {
        const prefix = y.slice(0, k);
        if (!seen.has(prefix.join(','))) seen.add(prefix.join(',')), prefixes.push({ prompt: x, prefix });
      }
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hidden.npy'), writeNpy(normalVector(rng, prefixes.length * D, 1 / Math.sqrt(D)), [prefixes.length, D], { dtype: '<f4' }));
  writeFileSync(join(dir, 'U.npy'), writeNpy(normalVector(makeRng('bench-gpt2-U0'), V * D, 0.02), [V, D], { dtype: '<f4' }));
  const index = { format: HIDDEN_INDEX_FORMAT, vocabSize: V, beta: 0.1, reference: 'init', hiddenFile: 'hidden.npy', init: { U: 'U.npy' }, prefixes, train, eval: {} };
  const file = join(dir, 'index.json');
  writeFileSync(file, JSON.stringify(index));
  return file;
}
