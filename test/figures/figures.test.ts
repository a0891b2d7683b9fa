/**
 * The figure registry: every spec validates against the Vega-Lite schema; every figure's data are the committed
 * `figures/NAME.csv` byte for byte (so a figure filled from the wrong series, or changed without regenerating the
 * committed files, fails); the data of the figures below are also checked against the functions that produce them
 * and say what their claims say; the specs draw what the captions describe (line styles in the legends, axes ending
 * near the data); a second build leaves CSVs and specs byte-identical.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vegaModule from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { applyTheme, buildFigures, DASHES, directionSeries, FIGURES, MODEL_LABEL, personaExperiment, PERSONA_SET, toCsv, tokenFactorGapByVocab, validateVegaLiteSpec, type FigureData, type Row } from '../../src/index.js';
import { ROUNDOFF } from '../tolerance.js';

const FIGURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../figures');

const built = new Map<string, FigureData>();
async function data(name: string): Promise<FigureData> {
  if (!built.has(name)) built.set(name, await FIGURES.find((f) => f.name === name)!.build());
  return built.get(name)!;
}
const rowsWhere = (rows: Row[], where: Record<string, string>) => rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));

type VegaScale = { name: string; type?: string; domain?: unknown };

/** A figure's positional scale (`x` or `y`): its type and the domain Vega computes from the data (a headless View). */
async function compiledScale(spec: FigureData['spec'], rows: Row[], channel: 'x' | 'y'): Promise<{ type: string | undefined; domain: number[] }> {
  const vg = vegaLite.compile(applyTheme({ ...spec, data: { values: rows } } as never)).spec as { scales: VegaScale[] };
  const view = new vegaModule.View(vegaModule.parse(vg as never), { renderer: 'none' });
  await view.runAsync();
  const domain = view.scale(channel).domain() as number[];
  view.finalize();
  return { type: vg.scales.find((sc) => sc.name === channel)?.type, domain };
}

/** Per series of a multi-series line chart: its dash pattern and whether it is drawn with markers. */
function seriesStyles(spec: FigureData['spec']): Record<string, { dash: number[]; marked: boolean }> {
  type Enc = { strokeDash?: { scale: { domain: string[]; range: number[][] } } };
  const layers = (spec as { layer: { mark: { type: string }; transform?: { filter: { oneOf: string[] } }[]; encoding: Enc }[] }).layer;
  const line = layers.find((l) => l.mark.type === 'line')!;
  const marked = new Set(layers.filter((l) => l.mark.type === 'point').flatMap((l) => l.transform?.[0]?.filter.oneOf ?? line.encoding.strokeDash!.scale.domain));
  const { domain, range } = line.encoding.strokeDash!.scale;
  return Object.fromEntries(domain.map((name, i) => [name, { dash: range[i]!, marked: marked.has(name) }]));
}

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

  it('every figure’s data are its committed CSV, byte for byte', async () => {
    for (const f of FIGURES) {
      const { rows, columns } = await data(f.name);
      expect(toCsv(rows, columns), `${f.name}: regenerate with npm run figures`).toBe(readFileSync(join(FIGURES_DIR, `${f.name}.csv`), 'utf8'));
    }
  });

  it('margins over time: the IM-RM paraphrase margin is exactly 0 at every time; its overlap margin is the negated train margin', async () => {
    const { rows } = await data('margins-over-time');
    const para = rowsWhere(rows, { model: 'IM-RM', set: 'paraphrase' });
    expect(para.length).toBeGreaterThan(10);
    for (const r of para) expect(r.meanMargin).toBe(0);
    // one-token responses on the same prompt vectors, tokens swapped: the overlap pairs are the train pairs reversed
    const train = rowsWhere(rows, { model: 'IM-RM', set: 'train' });
    const overlap = rowsWhere(rows, { model: 'IM-RM', set: 'overlap' });
    expect(overlap.map((r) => r.t)).toEqual(train.map((r) => r.t));
    expect(Number(train[train.length - 1]!.meanMargin)).toBeGreaterThan(1);
    overlap.forEach((r, i) => {
      const m = Number(train[i]!.meanMargin);
      expect(Math.abs(Number(r.meanMargin) + m)).toBeLessThanOrEqual(ROUNDOFF * Math.abs(m));
    });
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

  it('the diagonal: kernel predictions equal the observed reward changes; the residual panel plots observed − predicted', async () => {
    const { rows, spec } = await data('kernel-vs-observed');
    const scale = Math.max(...rows.map((r) => Math.abs(Number(r.observed))));
    for (const r of rows) {
      expect(Math.abs(Number(r.predicted) - Number(r.observed))).toBeLessThan(1e-5 * scale);
      expect(r.residual).toBe(Number(r.observed) - Number(r.predicted));
    }
    // the residuals are not all 0 (the central difference has an O(δt²) error): the panel shows something
    expect(rows.some((r) => r.residual !== 0)).toBe(true);
    const panels = (spec as { vconcat: { spec: { layer: { encoding: { y?: { field?: string } } }[] } }[] }).vconcat;
    expect(panels.map((p) => p.spec.layer.map((l) => l.encoding.y?.field).filter(Boolean))).toEqual([['predicted', 'observed'], ['residual']]);
  });

  it('token factor: the mean gap to token identity shrinks like 1/|V|; the rows are tokenFactorGapByVocab’s; the x axis ends at the data', async () => {
    const { rows, spec } = await data('token-factor-vs-vocab');
    for (const r of rowsWhere(rows, { series: 'mean |τ − 1[a=b]|' })) expect(Number(r.value) * Number(r.x)).toBeGreaterThan(0.5), expect(Number(r.value) * Number(r.x)).toBeLessThan(1.5);
    const vocabs = [...new Set(rows.map((r) => Number(r.x)))];
    const points = tokenFactorGapByVocab({ vocabs, seed: 0 });
    expect(rowsWhere(rows, { series: 'mean |τ − 1[a=b]|' }).map((r) => r.value)).toEqual(points.map((p) => p.meanGap));
    expect(rowsWhere(rows, { series: 'max |τ − 1[a=b]|' }).map((r) => r.value)).toEqual(points.map((p) => p.maxGap));
    expect(rowsWhere(rows, { series: '1/|V|' }).map((r) => r.value)).toEqual(vocabs.map((v) => 1 / v));
    const x = await compiledScale(spec, rows, 'x');
    expect(x.type).toBe('log');
    expect(x.domain).toEqual([Math.min(...vocabs), Math.max(...vocabs)]);
  });

  it('angle to the max-margin direction: directionSeries’ angles and fits, an axis ending at π, dashes as the subtitle says, the fits without markers', async () => {
    const { rows, spec } = await data('angle-to-max-margin');
    for (const kind of ['ex', 'im'] as const) {
      const s = directionSeries(0, kind);
      const label = MODEL_LABEL[kind];
      const observed = rowsWhere(rows, { series: `${label}: angle to max-margin direction` });
      const fit = rowsWhere(rows, { series: `${label}: fit ${s.c.toFixed(2)} / ln t` });
      expect(observed.map((r) => [r.t, r.value])).toEqual(s.times.map((t, k) => [t, s.angle[k]]));
      expect(fit.map((r) => [r.t, r.value])).toEqual(s.times.map((t) => [t, s.c / Math.log(t)]));
    }
    for (const r of rows) expect(Number(r.value)).toBeLessThanOrEqual(Math.PI);
    const y = await compiledScale(spec, rows, 'y');
    expect(y.domain[1]).toBe(Math.PI);
    const series = seriesStyles(spec);
    for (const [name, style] of Object.entries(series)) {
      expect(style.dash, name).toEqual(name.includes(': fit ') ? [...DASHES.dashed] : [...DASHES.solid]);
      expect(style.marked, name).toBe(false);
    }
    const subtitle = (spec.title as { subtitle: string }).subtitle;
    expect(subtitle).toMatch(/dashed: c \/ ln t/);
    expect(subtitle).not.toMatch(/dotted|dash-dot/);
  });

  it('the legends of line charts show each series’ line style (stroke symbols, dash patterns)', async () => {
    for (const name of ['angle-to-max-margin', 'token-factor-vs-vocab', 'accuracy-vs-rho', 'margins-over-time']) {
      const { spec, rows } = await data(name);
      const vg = vegaLite.compile(applyTheme({ ...spec, data: { values: rows } } as never)).spec as { legends?: Record<string, unknown>[]; marks?: { legends?: Record<string, unknown>[] }[] };
      const legends = [...(vg.legends ?? []), ...(vg.marks ?? []).flatMap((m) => m.legends ?? [])];
      expect(legends.length, name).toBeGreaterThan(0);
      for (const legend of legends) {
        expect(legend.symbolType ?? 'stroke', name).toBe('stroke');
        if (JSON.stringify(spec).includes('"strokeDash":{"field"')) expect(legend.strokeDash, name).toBe('strokeDash');
      }
    }
  });

  it('accuracy vs shared fraction: the fractions as discrete categories (markers and error bars, no lines); the IM-RM below chance at f = 0, as the caption explains', async () => {
    const { rows, spec } = await data('accuracy-vs-shared-fraction');
    const layers = (spec as { spec: { layer: { mark: { type: string }; encoding: { x?: { type: string } } }[] } }).spec.layer;
    expect(layers.map((l) => l.mark.type)).not.toContain('line');
    expect(layers.map((l) => l.mark.type)).not.toContain('area');
    for (const l of layers) if (l.encoding.x) expect(l.encoding.x.type).toBe('ordinal');
    const f0 = rows.find((r) => r.model === 'IM-RM' && r.set === 'paraphrase' && r.sharedFraction === 0)!;
    expect(Number(f0.mean)).toBeLessThan(0.5);
    expect(FIGURES.find((f) => f.name === 'accuracy-vs-shared-fraction')!.claim).toMatch(/f = 0/);
  });

  it('persona accuracy: the rows are personaExperiment’s; every bar labelled with its value; panels in the order of the runs (flow, then Adam)', async () => {
    const { rows, spec } = await data('persona-accuracy');
    const results = personaExperiment();
    const sets = Object.keys(PERSONA_SET) as (keyof typeof PERSONA_SET)[];
    expect(rows.map((r) => r.accuracy)).toEqual(results.runs.flatMap((run) => sets.map((set) => run.sets[set].accuracy)));
    expect(rows.some((r) => r.accuracy === 0)).toBe(true);
    const s = spec as { facet: { column: { sort: string[] } }; spec: { layer: { mark: string | { type: string }; encoding: { text?: { field: string } } }[] } };
    expect(s.facet.column.sort).toEqual(['gradient flow', 'Adam']);
    expect(results.runs.map((r) => r.method)).toEqual(['flow', 'flow', 'adam', 'adam']);
    const text = s.spec.layer.find((l) => typeof l.mark === 'object' && l.mark.type === 'text');
    expect(text?.encoding.text?.field).toBe('accuracy');
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
