/**
 * Vega-Lite spec builders: plain objects, no vega import, so the CLI, the notebooks and the browser explorer all
 * use the same specs. Data are given separately (`writeFigure` inlines them as
 * `data.values`); each builder documents the row fields it reads. Time axes are logarithmic (t > 0 only).
 */
import type { TopLevelSpec } from 'vega-lite';
import { isModelName, linearAxis, logTimeAxis, modelColor, modelColorScale, MODEL_NAMES, TIME_TITLE } from './theme.js';

export type FigureSpecOnly = Omit<TopLevelSpec, 'data'> & Record<string, unknown>;

/** Colours for series that are not the two models (Okabe–Ito green, reddish purple, black). */
const SERIES_COLORS = ['#009E73', '#CC79A7', '#000000', '#E69F00'];

const ACCURACY_AXIS = { ...linearAxis('accuracy', 'pair accuracy (ties count ½)'), scale: { domain: [0, 1] } };

/**
 * Rows `{t, model, set, meanMargin}`: mean margin per set (facets) against log t, one line per model. `timeTitle`
 * names the time axis (gradient-flow units by default; `STEP_TIME_TITLE` for gradient descent and Adam).
 */
export function marginsOverTimeSpec(title: string, sets: readonly string[], timeTitle: string = TIME_TITLE): FigureSpecOnly {
  return {
    title: { text: title, subtitle: 'mean margin r(x, y⁺) − r(x, y⁻) per evaluation set' },
    facet: { column: { field: 'set', type: 'nominal', title: null, sort: [...sets], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 230,
      height: 200,
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
        { mark: 'line', encoding: { x: logTimeAxis(timeTitle), y: linearAxis('meanMargin', 'mean margin'), color: modelColor() } },
      ],
    },
    resolve: { scale: { y: 'shared' } },
  };
}

/** Rows `{t, model, set, accuracy}`: accuracy per set (facets) against log t, one line per model (`timeTitle` as above). */
export function accuracyOverTimeSpec(title: string, sets: readonly string[], timeTitle: string = TIME_TITLE): FigureSpecOnly {
  return {
    title: { text: title, subtitle: 'pair accuracy per evaluation set; ties count ½' },
    facet: { column: { field: 'set', type: 'nominal', title: null, sort: [...sets], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 230,
      height: 200,
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } },
        { mark: 'line', encoding: { x: logTimeAxis(timeTitle), y: ACCURACY_AXIS, color: modelColor() } },
      ],
    },
  };
}

/**
 * Rows `{[xField], model, mean, lo, hi}`: mean accuracy with a 95% interval over seeds against a probe knob
 * (`rho`, `sharedFraction`), one colour per model; with `facetField`, one panel per value of it.
 *
 * A knob sampled on a continuum (`ρ`) is drawn as lines with markers and a band; a knob that takes a few discrete
 * values (`discrete`, e.g. fractions of a 4-token response) as markers with error bars on a categorical axis, the two
 * models side by side, so that nothing suggests values between the categories.
 */
export function accuracyBandSpec(opts: { title: string; subtitle: string | string[]; xField: string; xTitle: string; facetField?: string; facetSort?: string[]; models?: string[]; discrete?: boolean }): FigureSpecOnly {
  const chance = { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } };
  const mean = { ...ACCURACY_AXIS, field: 'mean' };
  const band = { ...ACCURACY_AXIS, field: 'lo', title: 'pair accuracy (ties count ½)' };
  // the paper's two models with their 95% intervals; any further models (the ablations) thinner, without intervals
  const models = opts.models ?? [...MODEL_NAMES];
  const main = "datum.model == 'EX-RM' || datum.model == 'IM-RM'";
  const ablation = `!(${main})`;
  const color = opts.models ? { ...modelColor(), scale: modelColorScale(opts.models) } : modelColor();
  // by model, in the one legend with the colours: the two models solid / round, the ablations dashed / angular
  const byModel = (range: (m: string) => unknown) => ({ field: 'model', type: 'nominal', title: 'reward model', sort: models, scale: { domain: models, range: models.map(range) } });
  const ABLATION_SHAPES = ['diamond', 'square', 'triangle-up', 'triangle-down'];
  let layer: Record<string, unknown>[];
  if (opts.discrete) {
    const category = { x: { field: opts.xField, type: 'ordinal', title: opts.xTitle, axis: { labelAngle: 0 } }, xOffset: { field: 'model', type: 'nominal', sort: models, scale: { paddingOuter: 0.5 } } };
    const shape = byModel((m) => (isModelName(m) ? 'circle' : ABLATION_SHAPES[(models.filter((x) => !isModelName(x)).indexOf(m)) % ABLATION_SHAPES.length]));
    layer = [
      chance,
      { transform: [{ filter: main }], mark: { type: 'rule', strokeWidth: 2 }, encoding: { ...category, y: band, y2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true, opacity: 1 }, encoding: { ...category, y: mean, color, shape, size: byModel((m) => (isModelName(m) ? 64 : 30)) } },
    ];
  } else {
    const x = linearAxis(opts.xField, opts.xTitle);
    const strokeDash = lineLegend(byModel((m) => (isModelName(m) ? [...DASHES.solid] : [5, 3])));
    layer = [
      chance,
      { transform: [{ filter: main }], mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: band, y2: { field: 'hi' }, color: lineLegend(color) } },
      { transform: [{ filter: main }], mark: { type: 'line', point: true }, encoding: { x, y: mean, color: lineLegend(color), strokeDash } },
      ...(opts.models ? [{ transform: [{ filter: ablation }], mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 }, encoding: { x, y: mean, color: lineLegend(color), strokeDash } }] : []),
    ];
  }
  const inner = { width: 300, height: 220, layer };
  return opts.facetField
    ? { title: { text: opts.title, subtitle: opts.subtitle }, facet: { column: { field: opts.facetField, type: 'nominal', title: null, sort: opts.facetSort, header: { labelFontSize: 13, labelFontWeight: 'bold' } } }, spec: inner }
    : { title: { text: opts.title, subtitle: opts.subtitle }, ...inner };
}

/**
 * Rows `{predicted, observed, residual, model, set}`: kernel-predicted vs observed reward change on the diagonal, one
 * panel per model, and under each the residual `observed − predicted` against the prediction, on its own scale (an
 * agreement of 1e-7 is invisible on the diagonal).
 */
export function diagonalSpec(title: string, subtitle: string): FigureSpecOnly {
  const x = linearAxis('predicted', 'kernel prediction of dr/dt');
  const byModel = (header: boolean) => ({ column: { field: 'model', type: 'nominal', title: null, header: header ? { labelFontSize: 13, labelFontWeight: 'bold' } : { labels: false } } });
  const points = { type: 'point', filled: true, opacity: 0.75 };
  const shape = { field: 'set', type: 'nominal', title: 'response set' };
  return {
    title: { text: title, subtitle },
    vconcat: [
      {
        facet: byModel(true),
        spec: {
          width: 260,
          height: 260,
          layer: [
            { mark: { type: 'line', color: '#999999', strokeDash: [4, 3] }, encoding: { x, y: { field: 'predicted', type: 'quantitative' } } },
            { mark: points, encoding: { x, y: linearAxis('observed', 'observed dr/dt (along the flow)'), color: modelColor(), shape } },
          ],
        },
        resolve: { scale: { x: 'independent', y: 'independent' } },
      },
      {
        facet: byModel(false),
        spec: {
          width: 260,
          height: 110,
          layer: [
            { mark: { type: 'rule', color: '#999999', strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
            { mark: points, encoding: { x, y: { ...linearAxis('residual', 'observed − predicted'), axis: { labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.0e')", tickCount: 5 } }, color: modelColor(), shape } },
          ],
        },
        resolve: { scale: { x: 'independent', y: 'independent' } },
      },
    ],
  };
}

/** Stroke dash patterns: solid, dashed, dotted, dash-dot (distinct in greyscale and when lines overlap). */
export const DASHES = { solid: [1, 0], dashed: [7, 4], dotted: [1.5, 3], dashDot: [7, 3, 1.5, 3] } as const;

/**
 * How the series of a multi-series line chart are drawn: a colour and a dash pattern each (defaults: the non-model
 * colours and the patterns of `DASHES` in order), optionally a stroke width each, and markers on the data points of
 * the series listed in `points` (all by default; none on a fitted curve, whose dashes markers would hide).
 */
export interface SeriesStyle {
  series: string[];
  colors?: string[];
  dashes?: readonly (readonly number[])[];
  widths?: number[];
  /** Series drawn with markers. @default all */
  points?: string[];
}

/** Legend of a line encoding: each entry a short stroke in the series' colour, width and dash pattern. */
function lineLegend<T extends object>(encoding: T): T & { legend: object } {
  const legend = 'legend' in encoding ? (encoding.legend as object) : {};
  return { ...encoding, legend: { ...legend, symbolType: 'stroke', symbolSize: 400, symbolOpacity: 1 } };
}

/**
 * The layers of a multi-series line chart over rows `{[x.field], series, value}`: one line per series (colour, dash
 * pattern and width by series, all in one legend that shows them), then markers on the series in `style.points`.
 */
function seriesLayers(x: Record<string, unknown>, y: Record<string, unknown>, style: SeriesStyle): Record<string, unknown>[] {
  const { series } = style;
  const legend = { orient: 'bottom', direction: 'vertical' };
  const color = { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: style.colors ?? SERIES_COLORS.slice(0, series.length) }, legend };
  const dashes = style.dashes ?? Object.values(DASHES);
  const strokeDash = { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: series.map((_, i) => [...dashes[i % dashes.length]!]) }, legend };
  const line: Record<string, unknown> = { x, y, color: lineLegend(color), strokeDash: lineLegend(strokeDash) };
  if (style.widths) line.strokeWidth = lineLegend({ field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: style.widths }, legend });
  const marked = style.points ?? series;
  const layers: Record<string, unknown>[] = [{ mark: { type: 'line' }, encoding: line }];
  if (marked.length > 0) {
    layers.push({
      transform: [{ filter: { field: 'series', oneOf: marked } }],
      mark: { type: 'point', filled: true, size: 28, opacity: 1 },
      // the same legend as the lines' (one legend; its symbols stay strokes)
      encoding: { x, y, color: lineLegend(color) },
    });
  }
  return layers;
}

/** Rows `{t, series, value}`: several non-model series against log t (`yTitle`, optional log y, optional y `domain`). */
export function seriesOverTimeSpec(opts: { title: string; subtitle: string; yTitle: string; logY?: boolean; domain?: [number, number] } & SeriesStyle): FigureSpecOnly {
  const y = { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { ...(opts.logY ? { type: 'log' } : { zero: false }), ...(opts.domain ? { domain: opts.domain, nice: false } : {}) } };
  return {
    title: { text: opts.title, subtitle: opts.subtitle },
    width: 420,
    height: 260,
    layer: seriesLayers(logTimeAxis(), y, opts),
  };
}

/** Rows `{x, series, value}`: series against a log-scaled `x` (e.g. vocabulary size), both axes ending at the data. */
export function seriesOverLogXSpec(opts: { title: string; subtitle: string; xTitle: string; yTitle: string } & SeriesStyle): FigureSpecOnly {
  return {
    title: { text: opts.title, subtitle: opts.subtitle },
    width: 420,
    height: 260,
    layer: seriesLayers(
      { field: 'x', type: 'quantitative', title: opts.xTitle, scale: { type: 'log', nice: false }, axis: { labelExpr: "indexof(['1', '3'], slice(format(datum.value, '.0e'), 0, 1)) >= 0 ? format(datum.value, ',') : ''" } },
      { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { type: 'log' } },
      opts,
    ),
  };
}

/**
 * Rows `{set, model, method, accuracy}`: grouped bars per evaluation set, one panel per method (in `methods` order),
 * each bar labelled with its value (so that an accuracy of 0 is seen, not just a missing bar).
 */
export function groupedAccuracyBarsSpec(title: string, subtitle: string, sets: string[], methods?: string[]): FigureSpecOnly {
  const x = { field: 'set', type: 'nominal', title: null, sort: sets, axis: { labelAngle: -20 } };
  // room above the bars for the labels of accuracies near 1; ticks only on [0, 1]
  const y = { ...ACCURACY_AXIS, scale: { domain: [0, 1.1] }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } };
  // the same explicit order in both layers (bars and their labels), else their offset scales do not merge cleanly
  const xOffset = { field: 'model', type: 'nominal', sort: [...MODEL_NAMES] };
  return {
    title: { text: title, subtitle },
    facet: { column: { field: 'method', type: 'nominal', title: null, ...(methods ? { sort: methods } : {}), header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        { mark: 'bar', encoding: { x, xOffset, y, color: modelColor() } },
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } },
        { mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 10 }, encoding: { x, xOffset, y, text: { field: 'accuracy', type: 'quantitative', format: '.2f' } } },
      ],
    },
  };
}
