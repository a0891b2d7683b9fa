/**
 * What the notebooks show, on Deno's Jupyter kernel: a figure as one Jupyter MIME bundle — its Vega-Lite spec
 * (interactive where the front end renders Vega-Lite), the same figure as SVG (for viewers that do not, e.g. a code
 * host showing the committed notebook) and a line of text — and tables of results as Markdown.
 *
 * Imported by the cells as `./display.ts`; it imports the toolkit's TypeScript source like the cells do (`imrm-theory`
 * is mapped to `src/index.ts` in the project's `deno.json`).
 */
import { applyTheme, FIGURES, passes, renderSvg, VEGA_LITE_SCHEMA_URL, type FigureData, type Measurement } from 'imrm-theory';

/** The Jupyter MIME type of a Vega-Lite spec with this `$schema` (`…/vega-lite/v6.json` → `application/vnd.vegalite.v6+json`). */
export function vegaLiteMimeType(schemaUrl: string): string {
  const major = /\/vega-lite\/v(\d+)(?:\.[\d.]+)?\.json$/.exec(schemaUrl)?.[1];
  if (major === undefined) throw new Error(`not a Vega-Lite schema URL: ${schemaUrl}`);
  return `application/vnd.vegalite.v${major}+json`;
}

/** The MIME type the notebooks send their specs under: the version the toolkit's specs declare. */
export const VEGA_LITE_MIME_TYPE = vegaLiteMimeType(VEGA_LITE_SCHEMA_URL);

/** Shows a figure's spec with its rows inlined, themed as the committed figures are. */
export async function show(figure: FigureData): Promise<void> {
  const spec = applyTheme({ ...figure.spec, data: { values: figure.rows } } as Parameters<typeof applyTheme>[0]);
  const svg = await renderSvg(spec);
  const title = typeof spec.title === 'object' && spec.title !== null && 'text' in spec.title ? String(spec.title.text) : String(spec.title ?? 'figure');
  await Deno.jupyter.display({ [vegaLiteMimeType(String(spec.$schema))]: spec, 'image/svg+xml': svg, 'text/plain': `[figure] ${title}` }, { raw: true });
}

/** Builds and shows a figure of the registry by its name (the name `imrm figures --only` takes). */
export async function showFigure(name: string): Promise<void> {
  const def = FIGURES.find((f) => f.name === name);
  if (!def) throw new Error(`no figure named ${name}; known: ${FIGURES.map((f) => f.name).join(', ')}`);
  await show(await def.build());
}

type Cell = string | number | boolean;

/** A number as the tables print it: integers in full, others to 4 significant digits, tiny and huge ones as 1.23e-8. */
export function formatCell(x: Cell): string {
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** A table (Markdown, and the same text for plain viewers) of `rows`, columns in first-row order unless given. */
export async function table<R extends Record<string, Cell>>(rows: readonly R[], columns: readonly (keyof R & string)[] = Object.keys(rows[0] ?? {})): Promise<void> {
  const lines = (escape: (s: string) => string) => {
    const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
    return [line([...columns]), line(columns.map(() => '---')), ...rows.map((r) => line(columns.map((c) => formatCell(r[c]!))))].join('\n');
  };
  // a "|" inside a Markdown table cell would end the cell
  await Deno.jupyter.display({ 'text/markdown': lines((s) => s.replaceAll('|', '\\|')), 'text/plain': lines((s) => s) }, { raw: true });
}

/** A claim check's measurements as a table: what was measured, the value, the bound, and whether it passes. */
export async function measurementTable(measurements: readonly Measurement[]): Promise<void> {
  await table(measurements.map((m) => ({ measurement: m.name, value: m.value, bound: `${m.bound === 'upper' ? '≤' : '≥'} ${formatCell(m.tolerance)}`, pass: passes(m) })));
}
