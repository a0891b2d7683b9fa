/**
 * The committed notebooks (notebooks/*.ipynb, Deno's Jupyter kernel): their cells type-check (the kernel itself does
 * not check types), hold no `any`-typed handle, and the notebooks are committed with their outputs — no errors, every
 * figure one bundle of Vega-Lite (MIME type of the spec's own version), SVG and text. Executing them is
 * `npm run notebooks` (CI runs it and requires the committed files unchanged).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NOTEBOOKS = join(ROOT, 'notebooks');
const DENO = join(ROOT, 'node_modules', '.bin', 'deno');
const KERNEL_DIR = join(NOTEBOOKS, '.jupyter', 'kernels', 'deno');
/** A cold `deno check` of the cells and the whole toolkit source behind them takes ~20 s; a loaded machine, more. */
const CHECK_TIMEOUT_MS = 240_000;

interface Output {
  output_type: string;
  name?: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  metadata: Record<string, unknown>;
}
interface Notebook {
  metadata: { kernelspec: { name: string }; language_info?: { name: string } };
  cells: Cell[];
}

const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));
// (`jupyter nbconvert --execute --to notebook` leaves NAME.nbconvert.ipynb beside a notebook: not one of ours)
const books = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb') && !f.endsWith('.nbconvert.ipynb')).sort();
const notebook = (name: string): Notebook => JSON.parse(readFileSync(join(NOTEBOOKS, name), 'utf8')) as Notebook;
const codeCells = (nb: Notebook): Cell[] => nb.cells.filter((c) => c.cell_type === 'code');

/** `deno check` with the project's deno.json (found from notebooks/) and Deno's cache in notebooks/.deno. */
function denoCheck(files: string[]): { status: number | null; output: string } {
  const r = spawnSync(DENO, ['check', ...files], { cwd: NOTEBOOKS, encoding: 'utf8', env: { ...process.env, DENO_DIR: join(NOTEBOOKS, '.deno'), NO_COLOR: '1' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ?? ''}` };
}

const written: string[] = [];
/** Writes a module next to the notebooks (so `./display.ts` resolves as it does for the cells) and returns its path. */
function writeCheckModule(name: string, code: string): string {
  const path = join(NOTEBOOKS, `.check-${name}.ts`);
  writeFileSync(path, code);
  written.push(path);
  return path;
}
afterAll(() => {
  for (const p of written) rmSync(p, { force: true });
});

describe('notebooks', () => {
  it('there are the four notebooks, each on the committed Deno kernelspec', () => {
    expect(books).toEqual(['01-dynamics-and-kernels.ipynb', '02-unseen-tokens-and-max-margin.ipynb', '03-probes-and-persona.ipynb', '04-verification-vs-generation.ipynb']);
    const spec = JSON.parse(readFileSync(join(KERNEL_DIR, 'kernel.json'), 'utf8')) as { argv: string[]; language: string };
    expect(spec.argv).toContain('{resource_dir}/kernel.sh');
    expect(spec.language).toBe('typescript');
    expect(readFileSync(join(KERNEL_DIR, 'kernel.sh'), 'utf8')).toMatch(/exec "\$root\/node_modules\/\.bin\/deno" jupyter --kernel/);
    for (const b of books) expect(notebook(b).metadata.kernelspec.name, b).toBe('deno');
  });

  it('the cells import the toolkit with its types: no `any`, no require, no deep paths into src/', () => {
    for (const b of books) {
      for (const cell of codeCells(notebook(b))) {
        const src = text(cell.source);
        expect(src, b).not.toMatch(/:\s*any\b|\bas\s+any\b|<any>|\bany\[\]/);
        expect(src, b).not.toMatch(/\brequire\s*\(/);
        expect(src, b).not.toMatch(/from\s+['"][^'"]*src\//);
      }
      expect(text(codeCells(notebook(b))[0]!.source), b).toMatch(/from 'imrm-theory'/);
    }
  });

  it('the cells type-check (each notebook’s code cells joined into one module, checked by deno check), and a wrong cell would not', { timeout: CHECK_TIMEOUT_MS }, () => {
    const files = books.map((b) => writeCheckModule(b.replace(/\.ipynb$/, ''), codeCells(notebook(b)).map((c) => text(c.source)).join('\n\n') + '\n\nexport {};\n'));
    // checked in the same run (one type-check of the toolkit behind them): a cell passing a string for a number
    const wrong = writeCheckModule('wrong', "import { logspace } from 'imrm-theory';\nlogspace('0', 1, 2);\nexport {};\n");
    const r = denoCheck([join(NOTEBOOKS, 'display.ts'), ...files, wrong]);
    expect(r.status).not.toBe(0);
    const errors = [...r.output.matchAll(/^(TS\d+) .*\n(?:.*\n)*?\s+at (file:\/\/\S+?):\d+:\d+$/gm)].map((m) => `${m[1]} ${m[2]!.slice(m[2]!.lastIndexOf('/') + 1)}`);
    expect(errors, r.output).toEqual(['TS2345 .check-wrong.ts']);
  });

  it('are committed with their outputs: no errors, no stderr, no timing metadata, no absolute paths', () => {
    for (const b of books) {
      const cells = codeCells(notebook(b));
      expect(cells.map((c) => c.execution_count), b).toEqual(cells.map((_, i) => i + 1));
      for (const cell of cells) {
        expect(cell.metadata, b).not.toHaveProperty('execution');
        for (const o of cell.outputs ?? []) {
          expect(o.output_type, b).not.toBe('error');
          expect(o.name, b).not.toBe('stderr');
        }
      }
      // every cell after the imports shows something
      for (const cell of cells.slice(1)) expect((cell.outputs ?? []).length, `${b}: ${text(cell.source)}`).toBeGreaterThan(0);
      expect(readFileSync(join(NOTEBOOKS, b), 'utf8')).not.toContain(ROOT);
    }
  });

  it('show each figure as one bundle: Vega-Lite under the MIME type of its $schema version, SVG and text', () => {
    let figures = 0;
    for (const b of books) {
      for (const o of codeCells(notebook(b)).flatMap((c) => c.outputs ?? [])) {
        const vegaLite = Object.keys(o.data ?? {}).filter((k) => k.includes('vegalite'));
        if (vegaLite.length === 0) continue;
        figures++;
        expect(vegaLite, b).toHaveLength(1);
        const spec = o.data![vegaLite[0]!] as { $schema: string; data: { values: unknown[] } };
        const version = /\/vega-lite\/(v\d+)\.json$/.exec(spec.$schema)?.[1];
        expect(version, b).toBe('v6');
        expect(vegaLite[0], b).toBe(`application/vnd.vegalite.${version}+json`);
        expect(spec.data.values.length, b).toBeGreaterThan(0);
        expect(text(o.data!['image/svg+xml'] as string | string[]), b).toMatch(/^<svg/);
        expect(text(o.data!['text/plain'] as string | string[]), b).toMatch(/^\[figure\] /);
      }
    }
    expect(figures).toBe(8);
  });
});
