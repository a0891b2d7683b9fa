/**
 * Vega-Lite spec builders: plain objects, no vega import, so the CLI, the notebooks (CommonJS under tslab) and
 * the browser explorer all use the same specs. Data are given separately (`writeFigure` inlines them as
 * `data.values`); each builder documents the row fields it reads. Time axes are logarithmic (t > 0 only).
 */
import type { TopLevelSpec } from 'vega-lite';
import { linearAxis, logTimeAxis, modelColor, modelColorScale } from './theme.js';

export type FigureSpecOnly = Omit<TopLevelSpec, 'data'> & Record<string, unknown>;

/** Colours for series that are not the two models (Okabe–Ito green, reddish purple, black). */
const SERIES_COLORS = ['#009E73', '#CC79A7', '#000000', '#E69F00'];

const ACCURACY_AXIS = { ...linearAxis('accuracy', 'pair accuracy (ties count ½)'), scale: { domain: [0, 1] } };

/** Rows `{t, model, set, meanMargin}`: mean margin per set (facets) against log t, one line per model. */
export function marginsOverTimeSpec(title: string, sets: readonly string[]): FigureSpecOnly {
  return {
    title: { text: title, subtitle: 'mean margin r(x, y⁺) − r(x, y⁻) per evaluation set' },
    facet: { column: { field: 'set', type: 'nominal', title: null, sort: [...sets], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 230,
      height: 200,
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
        { mark: 'line', encoding: { x: logTimeAxis(), y: linearAxis('meanMargin', 'mean margin'), color: modelColor() } },
      ],
    },
    resolve: { scale: { y: 'shared' } },
  };
}

/** Rows `{t, model, set, accuracy}`: accuracy per set (facets) against log t, one line per model. */
export function accuracyOverTimeSpec(title: string, sets: readonly string[]): FigureSpecOnly {
  return {
    title: { text: title, subtitle: 'pair accuracy per evaluation set; ties count ½' },
    facet: { column: { field: 'set', type: 'nominal', title: null, sort: [...sets], header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 230,
      height: 200,
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } },
        { mark: 'line', encoding: { x: logTimeAxis(), y: ACCURACY_AXIS, color: modelColor() } },
      ],
    },
  };
}

/**
 * Rows `{[xField], model, mean, lo, hi}`: mean accuracy with a 95% band over seeds against a probe knob
 * (`rho`, `sharedFraction`), one colour per model; with `facetField`, one panel per value of it.
 */
export function accuracyBandSpec(opts: { title: string; subtitle: string | string[]; xField: string; xTitle: string; facetField?: string; facetSort?: string[]; models?: string[] }): FigureSpecOnly {
  // the paper's two models with their 95% bands; any further models (the ablations) as thin dashed lines
  const main = "datum.model == 'EX-RM' || datum.model == 'IM-RM'";
  const color = opts.models ? { ...modelColor(), scale: modelColorScale(opts.models) } : modelColor();
  const layer = [
    { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } },
    { transform: [{ filter: main }], mark: { type: 'area', opacity: 0.2 }, encoding: { x: linearAxis(opts.xField, opts.xTitle), y: { ...ACCURACY_AXIS, field: 'lo', title: 'pair accuracy (ties count ½)' }, y2: { field: 'hi' }, color } },
    { transform: [{ filter: main }], mark: { type: 'line', point: true }, encoding: { x: linearAxis(opts.xField, opts.xTitle), y: { ...ACCURACY_AXIS, field: 'mean' }, color } },
    ...(opts.models ? [{ transform: [{ filter: `!(${main})` }], mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5, strokeDash: [5, 3] }, encoding: { x: linearAxis(opts.xField, opts.xTitle), y: { ...ACCURACY_AXIS, field: 'mean' }, color } }] : []),
  ];
  const inner = { width: 300, height: 220, layer };
  return opts.facetField
    ? { title: { text: opts.title, subtitle: opts.subtitle }, facet: { column: { field: opts.facetField, type: 'nominal', title: null, sort: opts.facetSort, header: { labelFontSize: 13, labelFontWeight: 'bold' } } }, spec: inner }
    : { title: { text: opts.title, subtitle: opts.subtitle }, ...inner };
}

/** Rows `{predicted, observed, model, set}`: kernel-predicted vs observed reward change on the diagonal. */
export function diagonalSpec(title: string, subtitle: string): FigureSpecOnly {
  return {
    title: { text: title, subtitle },
    facet: { column: { field: 'model', type: 'nominal', title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 260,
      height: 260,
      layer: [
        { mark: { type: 'line', color: '#999999', strokeDash: [4, 3] }, encoding: { x: linearAxis('predicted', 'kernel prediction of dr/dt'), y: { field: 'predicted', type: 'quantitative' } } },
        { mark: { type: 'point', filled: true, opacity: 0.75 }, encoding: { x: linearAxis('predicted', 'kernel prediction of dr/dt'), y: linearAxis('observed', 'observed dr/dt (along the flow)'), color: modelColor(), shape: { field: 'set', type: 'nominal', title: 'pair set' } } },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}

/** Rows `{t, series, value}`: several non-model series against log t (`yTitle`, optional log y). */
export function seriesOverTimeSpec(opts: { title: string; subtitle: string; yTitle: string; logY?: boolean; domain?: [number, number]; series: string[]; colors?: string[] }): FigureSpecOnly {
  return {
    title: { text: opts.title, subtitle: opts.subtitle },
    width: 420,
    height: 260,
    mark: { type: 'line', point: { size: 20 } },
    encoding: {
      x: logTimeAxis(),
      y: { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { ...(opts.logY ? { type: 'log' } : { zero: false }), ...(opts.domain ? { domain: opts.domain } : {}) } },
      color: { field: 'series', type: 'nominal', title: null, sort: opts.series, scale: { domain: opts.series, range: opts.colors ?? SERIES_COLORS.slice(0, opts.series.length) }, legend: { orient: 'bottom', direction: 'vertical' } },
      strokeDash: { field: 'series', type: 'nominal', sort: opts.series, legend: null },
    },
  };
}

/** Rows `{x, series, value}`: series against a log-scaled `x` (e.g. vocabulary size). */
export function seriesOverLogXSpec(opts: { title: string; subtitle: string; xTitle: string; yTitle: string; series: string[] }): FigureSpecOnly {
  return {
    title: { text: opts.title, subtitle: opts.subtitle },
    width: 420,
    height: 260,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle, scale: { type: 'log' } },
      y: { field: 'value', type: 'quantitative', title: opts.yTitle, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null, sort: opts.series, scale: { domain: opts.series, range: SERIES_COLORS.slice(0, opts.series.length) }, legend: { orient: 'bottom', direction: 'vertical' } },
      strokeDash: { field: 'series', type: 'nominal', sort: opts.series, legend: null },
    },
  };
}

/** Rows `{set, model, method, accuracy}`: grouped bars per evaluation set, one panel per method. */
export function groupedAccuracyBarsSpec(title: string, subtitle: string, sets: string[]): FigureSpecOnly {
  return {
    title: { text: title, subtitle },
    facet: { column: { field: 'method', type: 'nominal', title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        { mark: 'bar', encoding: { x: { field: 'set', type: 'nominal', title: null, sort: sets, axis: { labelAngle: -20 } }, xOffset: { field: 'model', type: 'nominal' }, y: ACCURACY_AXIS, color: modelColor() } },
        { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.5 } } },
      ],
    },
  };
}
