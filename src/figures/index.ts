export * from './definitions.js';
export { buildFigures, type FigureDef, type FigureData, type BuildOptions, type Row } from './registry.js';
export * from './specs.js';
export { applyTheme, modelColor, modelColorScale, logTimeAxis, linearAxis, MODEL_COLORS, THEME, TIME_TITLE, STEP_TIME_TITLE, FONT_FAMILY, VEGA_LITE_SCHEMA_URL } from './theme.js';
export { writeFigure, toCsv } from './files.js';
export { renderSvg, renderPng } from './render.js';
export { validateVegaLiteSpec } from './schema.js';
