/**
 * The gallery `README.md` that `buildFigures` writes lists the figures present in the output folder — those just built
 * and those built there before — so `imrm figures --only X --out D` leaves no broken links.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFigures, cliMessages, InputError, type FigureDef } from '../../src/index.js';
import { exampleChart } from '../helpers/exampleChart.js';

/** Three cheap figures sharing one example chart. */
const defs: FigureDef[] = ['first', 'second', 'third'].map((name) => ({
  name,
  claim: `the ${name} claim`,
  build: () => {
    const { data, ...spec } = exampleChart() as { data: { values: Record<string, number | string>[] } };
    return { spec: spec as never, rows: data.values, columns: ['t', 'model', 'accuracy'] };
  },
}));
const listed = (dir: string): string[] => readFileSync(join(dir, 'README.md'), 'utf8').match(/^## .*/gm)!.map((h) => h.slice(3));
const links = (dir: string): string[] => [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);

describe('the figure gallery', { timeout: 120_000 }, () => {
  it('lists only the figures in the folder, in registry order, and every link resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-gallery-'));
    await buildFigures(defs, { outDir: dir, only: ['second'] });
    expect(listed(dir)).toEqual(['second']);
    await buildFigures(defs, { outDir: dir, only: ['third', 'first'] });
    expect(listed(dir)).toEqual(['first', 'second', 'third']); // the earlier one is still there
    for (const link of links(dir)) expect(existsSync(join(dir, link)), link).toBe(true);
  });

  it('an unknown name is an input error listing the known ones, before anything is written', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'imrm-gallery-')), 'out');
    await expect(buildFigures(defs, { outDir: dir, only: ['first', 'nope'] })).rejects.toThrow(
      new InputError(cliMessages.unknownFigures('--only', ['nope'], ['first', 'second', 'third'])),
    );
    expect(existsSync(dir)).toBe(false);
  });
});
