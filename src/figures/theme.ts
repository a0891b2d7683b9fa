/**
 * The one Vega-Lite theme every figure uses: DejaVu Sans throughout (the same font files `render.ts` hands to
 * the PNG rasteriser, so SVG and PNG agree), sizes legible at 100% zoom, white background, and exactly two
 * model colours (Okabe–Ito blue and vermillion: distinguishable under the common colour-vision deficiencies
 * and in greyscale). Specs are built bare and passed through `applyTheme` once, at the boundary.
 */
import type { Config, TopLevelSpec } from 'vega-lite';

/** The Vega-Lite JSON schema version the specs declare (matches the installed vega-lite 6). */
export const VEGA_LITE_SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The only font family in a figure; `render.ts` embeds exactly this family for the PNG. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The colour of each reward model, used by every figure (Okabe–Ito palette). */
export const MODEL_COLORS = { 'EX-RM': '#0072B2', 'IM-RM': '#D55E00' } as const;

/** `'EX-RM' | 'IM-RM'`. */
export type ModelName = keyof typeof MODEL_COLORS;

/** The model names in legend order. */
export const MODEL_NAMES = Object.keys(MODEL_COLORS) as ModelName[];

export function isModelName(x: unknown): x is ModelName {
  return typeof x === 'string' && Object.hasOwn(MODEL_COLORS, x);
}

/** Default title of a gradient-flow time axis. */
export const TIME_TITLE = 'training time t (gradient-flow units)';

/** Title of the time axis of gradient descent and Adam, whose time is the number of steps times the step size η. */
export const STEP_TIME_TITLE = 'training time t = steps × η';

/** Neutral colours for guides (near-black text, light grid). */
const INK = '#222222';
const GUIDE = '#555555';
const GRID = '#e4e4e4';

/** Remaining Okabe–Ito colours, for categorical encodings that are not the two models. */
const OKABE_ITO_REST = ['#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/** The theme (a Vega-Lite `config`). Sizes in px at 100% zoom; `render.ts` rasterises at 2x. */
export const THEME: Config = {
  font: FONT_FAMILY,
  background: 'white',
  // autosize 'pad' grows the canvas to fit every axis label, title and legend (nothing cut at the edge);
  // 12 px of white padding around it all.
  padding: 12,
  autosize: { type: 'pad', contains: 'padding' },
  // No frame: the axis domains (left, bottom) and the grid delimit the plot.
  view: { continuousWidth: 400, continuousHeight: 260, stroke: null },
  // Room between panels so the last tick label of one does not meet the first of the next.
  facet: { spacing: 28 },
  concat: { spacing: 28 },
  title: {
    font: FONT_FAMILY,
    fontSize: 15,
    fontWeight: 'bold',
    color: INK,
    anchor: 'start',
    offset: 12,
    subtitleFont: FONT_FAMILY,
    subtitleFontSize: 12,
    subtitleColor: GUIDE,
  },
  axis: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    labelColor: INK,
    titleColor: INK,
    domainColor: GUIDE,
    tickColor: GUIDE,
    gridColor: GRID,
    titlePadding: 10,
    labelPadding: 4,
    labelLimit: 0,
    labelFlush: false,
  },
  legend: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'bold',
    labelColor: INK,
    titleColor: INK,
    labelLimit: 0,
    titleLimit: 0,
    symbolStrokeWidth: 2.5,
    symbolSize: 160,
    rowPadding: 6,
    padding: 4,
    offset: 16,
  },
  header: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 13,
    titleFontSize: 13,
    labelColor: INK,
    titleColor: INK,
  },
  mark: { font: FONT_FAMILY, color: MODEL_COLORS['EX-RM'] },
  text: { font: FONT_FAMILY, fontSize: 12, color: INK },
  line: { strokeWidth: 2.25 },
  point: { size: 36, filled: true },
  rule: { color: GUIDE, strokeWidth: 1 },
  range: { category: [MODEL_COLORS['EX-RM'], MODEL_COLORS['IM-RM'], ...OKABE_ITO_REST] },
};

/** Colours of the paper's ablations (model variants), next to their model's hue. */
export const VARIANT_COLORS: Record<string, string> = { 'EX-RM (mean)': '#56B4E9', 'IM-RM (no ref)': '#E69F00', GRM: '#009E73' };

/** A Vega-Lite scale mapping each model name to its colour (the two models, or the names given, variants included). */
export function modelColorScale(names: readonly string[] = MODEL_NAMES): { domain: string[]; range: string[] } {
  return { domain: [...names], range: names.map((m) => (isModelName(m) ? MODEL_COLORS[m] : VARIANT_COLORS[m] ?? '#000000')) };
}

/** Colour encoding by reward model (nominal `field`, default `'model'`), with the fixed model colours. */
export function modelColor(field = 'model', title = 'reward model') {
  return { field, type: 'nominal' as const, title, scale: modelColorScale(), legend: { orient: 'right' as const } };
}

/** Vega expressions on an axis tick `datum.value`: its decade k, whether it is 10^k (to rounding), |k|. */
const DECADE = 'round(log(datum.value) / LN10)';
const IS_DECADE = `abs(log(datum.value) / LN10 - ${DECADE}) < 1e-6`;
const ABS_DECADE = `abs(${DECADE})`;
/** |k| in superscript digits (up to three, enough for any double). */
const SUPERSCRIPT = "'⁰¹²³⁴⁵⁶⁷⁸⁹'";
const SUPERSCRIPT_K =
  `(${ABS_DECADE} >= 100 ? ${SUPERSCRIPT}[floor(${ABS_DECADE} / 100)] : '') + ` +
  `(${ABS_DECADE} >= 10 ? ${SUPERSCRIPT}[floor(${ABS_DECADE} / 10) % 10] : '') + ${SUPERSCRIPT}[${ABS_DECADE} % 10]`;
/** Decade label: plain for 0.01 … 100, else 10ᵏ (short, so many decades fit without labels colliding). */
const DECADE_LABEL =
  `${ABS_DECADE} <= 2 ? format(datum.value, '~g') : '10' + (${DECADE} < 0 ? '⁻' : '') + ${SUPERSCRIPT_K}`;

/**
 * Positional encoding for gradient-flow time on a log scale (quantitative `field`, default `'t'`), in the
 * usual log-axis style: labels (0.01 … 100, then 10³, 10⁻³), grid lines and full-length ticks at powers of
 * ten; short unlabelled ticks between. The field must be > 0; the domain should contain a power of ten.
 */
export function logTimeAxis(title: string = TIME_TITLE, field = 't') {
  return {
    field,
    type: 'quantitative' as const,
    title,
    scale: { type: 'log' as const, nice: false },
    axis: {
      labelExpr: `${IS_DECADE} ? ${DECADE_LABEL} : ''`,
      gridOpacity: { condition: { test: IS_DECADE, value: 1 }, value: 0 },
      tickSize: { condition: { test: IS_DECADE, value: 6 }, value: 3 },
    },
  };
}

/** Positional encoding for a linear quantitative `field`. */
export function linearAxis(field: string, title: string, opts: { zero?: boolean } = {}) {
  return { field, type: 'quantitative' as const, title, scale: { zero: opts.zero ?? false } };
}

type Json = Record<string, unknown>;

const isPlainObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Deep merge of plain objects; `over` wins, arrays are replaced whole. Neither input is mutated. */
function mergeDeep(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? mergeDeep(prior, value) : value;
  }
  return out;
}

/**
 * The spec with the theme applied: `$schema` set (first key), `background: 'white'`, and `config` = THEME
 * deep-merged with the spec's own `config` (the spec's entries win, for per-figure adjustments).
 */
export function applyTheme(spec: TopLevelSpec): TopLevelSpec {
  const { $schema: _replaced, config, ...rest } = spec;
  const merged = mergeDeep(THEME as Json, (config ?? {}) as Json) as Config;
  return { $schema: VEGA_LITE_SCHEMA_URL, ...rest, background: 'white', config: merged };
}
