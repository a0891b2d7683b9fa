/**
 * The figure registry: every spec validates against the Vega-Lite schema, each figure's data say what its claim
 * says, and a second build leaves CSVs and specs byte-identical.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTheme, buildFigures, FIGURES, validateVegaLiteSpec, type FigureData, type Row } from '../../src/index.js';

const built = new Map<string, FigureData>();
async function data(name: string): Promise<FigureData> {
  if (!built.has(name)) built.set(name, await FIGURES.find((f) => f.name === name)!.build());
  return built.get(name)!;
}
const rowsWhere = (rows: Row[], where: Record<string, string>) => rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));

describe('figures', { timeout: 180_000 }, () => {
  it('every figure has a schema-valid Vega-Lite spec whose data carry the columns it names', async () => {
    for (const f of FIGURES) {
      const { spec, rows, columns } = await data(f.name);
      const full = applyTheme({ ...spec, data: { values: rows } } as never);
      const v = validateVegaLiteSpec(full);
      expect(v.errors, f.name).toEqual([]);
      expect(rows.length, f.name).toBeGreaterThan(0);
      for (const c of columns) expect(rows.every((r) => c in r), `${f.name}: ${c}`).toBe(true);
    }
  });

  it('margins over time: the IM-RM paraphrase margin is exactly 0 at every time; its overlap margin is the negated train margin', async () => {
    const { rows } = await data('margins-over-time');
    const para = rowsWhere(rows, { model: 'IM-RM', set: 'paraphrase' });
    expect(para.length).toBeGreaterThan(10);
    for (const r of para) expect(r.meanMargin).toBe(0);
    const ex = rowsWhere(rows, { model: 'EX-RM', set: 'paraphrase' });
    expect(Number(ex[ex.length - 1]!.meanMargin)).toBeGreaterThan(1);
  });

  it('accuracy vs ρ: the IM-RM is flat at exactly ½; the EX-RM rises from about ½ to about 1', async () => {
    const { rows } = await data('accuracy-vs-rho');
    for (const r of rowsWhere(rows, { model: 'IM-RM' })) {
      expect(r.mean).toBe(0.5);
      expect(r.lo).toBe(0.5);
      expect(r.hi).toBe(0.5);
    }
    const ex = rowsWhere(rows, { model: 'EX-RM' });
    expect(Number(ex[0]!.mean)).toBeLessThan(0.65);
    expect(Number(ex[ex.length - 1]!.mean)).toBeGreaterThan(0.95);
  });

  it('the diagonal: kernel predictions equal the observed reward changes', async () => {
    const { rows } = await data('kernel-vs-observed');
    const scale = Math.max(...rows.map((r) => Math.abs(Number(r.observed))));
    for (const r of rows) expect(Math.abs(Number(r.predicted) - Number(r.observed))).toBeLessThan(1e-5 * scale);
  });

  it('token factor: the mean gap to token identity shrinks like 1/|V|', async () => {
    const { rows } = await data('token-factor-vs-vocab');
    for (const r of rowsWhere(rows, { series: 'mean |τ − 1[a=b]|' })) expect(Number(r.value) * Number(r.x)).toBeGreaterThan(0.5), expect(Number(r.value) * Number(r.x)).toBeLessThan(1.5);
  });

  it('verification vs generation: graph features ≥ 0.95 on test graphs while π_θ(C|x) ≤ 0.05; one-hot exactly ½ and π_θ = π_ref at every time', async () => {
    const { rows } = await data('verification-vs-generation');
    const values = (representation: string, series: string) => rowsWhere(rows, { representation, series }).map((r) => r.value as number);
    const [features, oneHot] = ['graph features', 'one-hot (graph, prefix)'];
    const test = 'test-graph pair accuracy';
    const [pi, ref] = ['π_θ(C|x): exact, mean over test graphs', 'π_ref(C|x): the floor (U₀ = 0, uniform)'];
    expect(values(features, test).length).toBeGreaterThan(5);
    expect(values(features, test).every((a, k) => a >= 0.95 && values(features, pi)[k]! <= 0.05)).toBe(true);
    expect(values(features, pi).at(-1)!).toBeGreaterThan(values(features, ref).at(-1)!);
    expect(values(oneHot, test).every((a) => a === 0.5)).toBe(true);
    expect(values(oneHot, pi)).toEqual(values(oneHot, ref));
  });

  it('a second build leaves every CSV and spec byte-identical', async () => {
    const a = mkdtempSync(join(tmpdir(), 'imrm-fig-a-'));
    const b = mkdtempSync(join(tmpdir(), 'imrm-fig-b-'));
    const only = ['margins-over-time', 'token-factor-vs-vocab'];
    await buildFigures(FIGURES, { outDir: a, only });
    await buildFigures(FIGURES, { outDir: b, only });
    for (const name of only) {
      for (const ext of ['csv', 'vl.json', 'svg']) expect(readFileSync(join(b, `${name}.${ext}`), 'utf8'), `${name}.${ext}`).toBe(readFileSync(join(a, `${name}.${ext}`), 'utf8'));
    }
    expect(readFileSync(join(a, 'README.md'), 'utf8').match(/^## .*/gm)).toEqual(only.map((n) => `## ${n}`)); // only what is there
  });
});
