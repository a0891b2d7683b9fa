/**
 * The GPT-2-sized hidden-state instance (issue 11): |V| = 50257, D = 768, 16 train pairs of 4-token responses on
 * 16 prompts, random hidden states N(0, 1) and a random unembedding U₀ = 0.02·N(0, 1), both float32 `.npy` written
 * by the toolkit's own `writeNpy`, plus the `imrm-hidden-index/1` file naming them — what `imrm import-hidden` gets
 * from a real model dump. Seeded: the same arguments give byte-identical files.
 *
 *   npx tsx test/io/gpt2Sized.ts DIR [--vocab V] [--dim D] [--pairs N] [--length L]
 *
 * writes DIR/index.json, DIR/hidden.npy, DIR/unembedding.npy; then
 * `imrm import-hidden --index DIR/index.json --out DIR/problem.json` (how the README's figures were measured).
 * Tests call `writeGpt2SizedInstance` with small sizes.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HIDDEN_INDEX_FORMAT, makeRng, normalVector, sampleWithoutReplacement, writeFileAtomic, writeNpy } from '../../src/index.js';

export interface Gpt2SizedOptions {
  /** @default 50257 */
  vocab?: number;
  /** @default 768 */
  dim?: number;
  /** Train pairs, one prompt each. @default 16 */
  pairs?: number;
  /** Tokens per response. @default 4 */
  length?: number;
  /** @default 0 */
  seed?: number;
}

/** Writes the instance into `dir`; returns the index file's path and the numbers of rows. */
export function writeGpt2SizedInstance(dir: string, opts: Gpt2SizedOptions = {}): { index: string; rows: number } {
  const { vocab: V = 50257, dim: D = 768, pairs: N = 16, length: L = 4, seed = 0 } = opts;
  const rng = makeRng(`gpt2-sized/${seed}`);
  const prefixes: { prompt: number; prefix: number[] }[] = [];
  const train: { prompt: number; chosen: number[]; rejected: number[] }[] = [];
  for (let x = 0; x < N; x++) {
    // chosen and rejected start with different tokens, so no prefix but the prompt is shared
    const [c0, r0] = sampleWithoutReplacement(rng, V, 2) as [number, number];
    const rest = () => Array.from({ length: L - 1 }, () => rng.int(V));
    const chosen = [c0, ...rest()];
    const rejected = [r0, ...rest()];
    train.push({ prompt: x, chosen, rejected });
    prefixes.push({ prompt: x, prefix: [] });
    for (const y of [chosen, rejected]) for (let k = 1; k <= L; k++) prefixes.push({ prompt: x, prefix: y.slice(0, k) });
  }
  const hidden = normalVector(rng, prefixes.length * D);
  const U0 = normalVector(makeRng(`gpt2-sized/${seed}/U0`), V * D, 0.02);
  writeFileAtomic(join(dir, 'hidden.npy'), writeNpy(hidden, [prefixes.length, D], { dtype: '<f4' }));
  writeFileAtomic(join(dir, 'unembedding.npy'), writeNpy(U0, [V, D], { dtype: '<f4' }));
  const index = {
    format: HIDDEN_INDEX_FORMAT,
    vocabSize: V,
    beta: 0.1,
    reference: 'init',
    hiddenFile: 'hidden.npy',
    init: { U: 'unembedding.npy' },
    prefixes,
    train,
    eval: {},
  };
  writeFileAtomic(join(dir, 'index.json'), JSON.stringify(index) + '\n');
  return { index: join(dir, 'index.json'), rows: prefixes.length };
}

function main(argv: string[]): void {
  const [dir, ...rest] = argv;
  if (!dir) throw new Error('usage: npx tsx test/io/gpt2Sized.ts DIR [--vocab V] [--dim D] [--pairs N] [--length L]');
  const opts: Record<string, number> = {};
  for (let i = 0; i < rest.length; i += 2) opts[rest[i]!.replace(/^--/, '')] = Number(rest[i + 1]);
  const { index, rows } = writeGpt2SizedInstance(dir, opts);
  console.log(`wrote ${index} (${rows} prefixes), hidden.npy and unembedding.npy`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
