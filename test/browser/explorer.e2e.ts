/**
 * The built explorer (`dist/explorer`, from `npm run explorer:build`) in headless Debian Chromium: served by a
 * static server on 127.0.0.1, and opened from disk.
 *
 * - One-token setting at ρ = 0.05, then the ρ slider moved to 0.95: the chart's data change, the IM-RM paraphrase
 *   accuracy stays ½ (ties, docs/theory.md Claim 3) while the EX-RM's rises with ρ (Claim 5); the URL follows.
 * - The downloaded problem file is byte for byte what the library's writer makes of the page's instance, which is
 *   Node.js's instance for the same settings; the downloaded trajectory matches `train`.
 * - A URL restores its settings, the probe kind's shared-token fraction among them.
 * - Timing: the standard one-token instance in the page's worker vs the same code in Node.js.
 * - At load (the `load` event, when a headless screenshot is taken) the page already shows charts: the first decade
 *   of training time is computed on the page's thread before the worker takes over.
 * - A value that is not taken (|V| = 12.5, or 12 in the address) is said so next to its control, with what the field
 *   accepts; the time axis names its units (gradient-flow time, or steps × η for Adam and gradient descent).
 *
 * Needs /usr/bin/chromium (Debian's `chromium` package). Writes test-artifacts/explorer.png and explorer-at-load.png.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProblem, makeProblem, parseProblem, problemToJson, STEP_TIME_TITLE, stringifyCompact, TIME_TITLE, train } from '../../src/index.js';
import { invalidNumber } from '../../src/explorer/form.js';
import type { BenchmarkTiming, Row } from '../../src/explorer/simulate.js';
import { serveStatic, type StaticServer } from './staticServer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist/explorer');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
/** A run of the default one-token instance takes ~1 s of computation; a loaded machine and a cold browser, far more. */
const RUN_TIMEOUT_MS = 120_000;
/** Two integrations of the same flow at the default tolerances (rtol 1e-8) agree to this, relative. */
const FLOW_REL = 1e-7;
/**
 * The same seeded instance built in Chromium and in Node.js: its (unit-vector) representations agree to this. Not
 * bit for bit: the engines' `Math.sin` (in the Box–Muller normals) differs in the last bit for about 1 argument in
 * 20 000 (Node 20's V8 11.3 vs Chromium 156).
 */
const ENGINE_REL = 1e-12;

let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

/** A page that records its uncaught errors and console errors in `problems`. */
async function openPage(url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${url}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${url}: console error: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Waits until a run newer than `afterRunId` has finished (status `done`); fails on `error`. Returns its id. */
async function waitForRun(page: Page, afterRunId = 0): Promise<number> {
  const handle = await page.waitForFunction(
    (after) => {
      const el = document.querySelector<HTMLElement>('[data-testid=status]');
      const id = Number(el?.dataset.runId ?? 0);
      if (!el || id <= after) return false;
      if (el.dataset.state === 'error') return { error: el.textContent };
      return el.dataset.state === 'done' ? { id } : false;
    },
    afterRunId,
    { timeout: RUN_TIMEOUT_MS, polling: 100 },
  );
  const result = (await handle.jsonValue()) as { id?: number; error?: string };
  if (result.error) throw new Error(`explorer run failed: ${result.error}`);
  return result.id!;
}

const accuracyOf = async (page: Page, set: string, model: 'ex' | 'im'): Promise<number> => Number(await page.getAttribute(`[data-testid=acc-${set}-${model}]`, 'data-value'));

/** The rows the margins chart holds (read from its Vega view), sorted for comparison. */
async function chartRows(page: Page): Promise<Row[]> {
  const rows = await page.evaluate(() => window.__imrm.views.margins!.data('rows').map((r) => ({ t: r.t, model: r.model, set: r.set, meanMargin: r.meanMargin, accuracy: r.accuracy, ties: r.ties })));
  return (rows as Row[]).sort((a, b) => a.model.localeCompare(b.model) || a.set.localeCompare(b.set) || a.t - b.t);
}

/** The texts of the margins chart's time-axis titles. */
const timeAxisTitles = (page: Page): Promise<string[]> =>
  page.evaluate(() => Array.from(document.querySelectorAll('#chart-margins svg .role-axis-title text')).map((t) => t.textContent ?? '').filter((t) => t.startsWith('training time')));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html missing: run \`npm run explorer:build\` first (npm run test:browser does)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: install Debian's chromium package (apt-get install -y chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serveStatic(DIST);
  // playwright starts Chromium with a fresh temporary --user-data-dir
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1400, height: 1150 }, acceptDownloads: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('explorer (built, in Chromium)', () => {
  let page: Page;
  // on the default instance the EX-RM's paraphrase accuracy is ≈ 0.7 at ρ = 0.05 and 1 from ρ ≈ 0.2 on
  const rho = { low: 0.05, high: 0.95 };

  it('one-token setting: moving ρ re-runs; IM-RM paraphrase accuracy stays ½, the EX-RM’s rises with ρ', async () => {
    page = await openPage(`${server.url}?rho=${rho.low}`);
    const first = await waitForRun(page);
    expect(new Set(await timeAxisTitles(page))).toEqual(new Set([TIME_TITLE]));
    const settings = await page.evaluate(() => window.__imrm.settings);
    expect(settings).toMatchObject({ kind: 'single-token', rho: rho.low, vocab: 1000, dim: 128, pairs: 64, method: 'flow', horizon: 1e4 });
    const low = { ex: await accuracyOf(page, 'paraphrase', 'ex'), im: await accuracyOf(page, 'paraphrase', 'im'), rows: await chartRows(page) };
    const info = await page.evaluate(() => window.__imrm.run!);
    // every (time, set, model) drawn, and the chart holds exactly what the worker sent
    expect(low.rows).toHaveLength(info.times.length * info.sets.length * 2);
    expect(low.rows).toEqual(
      (await page.evaluate(() => window.__imrm.lastRows)).sort((a, b) => a.model.localeCompare(b.model) || a.set.localeCompare(b.set) || a.t - b.t),
    );

    // move the slider as a user would: value, then input and change events
    await page.locator('[data-testid=rho]').evaluate((el, value) => {
      const input = el as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, rho.high);
    await waitForRun(page, first);
    const high = { ex: await accuracyOf(page, 'paraphrase', 'ex'), im: await accuracyOf(page, 'paraphrase', 'im'), rows: await chartRows(page) };

    expect(new URL(page.url()).searchParams.get('rho')).toBe(String(rho.high));
    expect(high.rows).toHaveLength(low.rows.length);
    expect(high.rows).not.toEqual(low.rows);
    const paraphraseEx = (rows: Row[]) => rows.filter((r) => r.model === 'EX-RM' && r.set === 'paraphrase').map((r) => r.meanMargin);
    expect(paraphraseEx(high.rows)).not.toEqual(paraphraseEx(low.rows));
    // train pairs do not depend on ρ: the same rows, up to the integrator's tolerance (its step control also
    // watches the evaluation margins, which do depend on ρ)
    const train = (rows: Row[]) => rows.filter((r) => r.set === 'train');
    train(high.rows).forEach((r, i) => {
      const before = train(low.rows)[i]!;
      expect([r.t, r.model, r.accuracy]).toEqual([before.t, before.model, before.accuracy]);
      expect(Math.abs(r.meanMargin - before.meanMargin)).toBeLessThanOrEqual(FLOW_REL * Math.max(1, Math.abs(before.meanMargin)));
    });

    expect(low.im).toBe(0.5);
    expect(high.im).toBe(0.5);
    for (const r of [...low.rows, ...high.rows].filter((r) => r.model === 'IM-RM' && r.set === 'paraphrase')) expect([r.accuracy, r.ties]).toEqual([0.5, 1]);
    expect(high.ex).toBeGreaterThan(low.ex);
    expect(high.ex).toBe(1);
    expect(paraphraseEx(high.rows).at(-1)!).toBeGreaterThan(paraphraseEx(low.rows).at(-1)!);

    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png'), fullPage: true });
  });

  it('downloads the problem file as problemToJson writes it, and the trajectory as train computes it', async () => {
    const [problemDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-problem]')]);
    const problemText = readFileSync((await problemDownload.path())!, 'utf8');
    // exactly the bytes the library's writer gives for the problem the page built
    const downloaded = parseProblem(JSON.parse(problemText), 'download');
    expect(problemText).toBe(stringifyCompact(problemToJson(downloaded)) + '\n');
    // and that problem is the instance Node.js builds from the same settings (to the engines' last bits)
    const problem = makeProblem('single-token', { seed: 0, rho: rho.high });
    const [a, b] = [compileProblem(downloaded), compileProblem(problem)];
    expect([a.vocabSize, a.hiddenDim, a.beta, a.reference, a.rowKeys]).toEqual([b.vocabSize, b.hiddenDim, b.beta, b.reference, b.rowKeys]);
    expect([downloaded.train, downloaded.eval]).toEqual([problem.train, problem.eval]);
    let worst = 0;
    a.H.forEach((h, i) => (worst = Math.max(worst, Math.abs(h - b.H[i]!))));
    expect(worst).toBeLessThanOrEqual(ENGINE_REL);

    const [trajectoryDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-trajectory-im]')]);
    const traj = JSON.parse(readFileSync((await trajectoryDownload.path())!, 'utf8')) as { format: string; model: string; times: number[]; margins: Record<string, number[][]>; solver: Record<string, unknown> };
    expect(traj.format).toBe('imrm-trajectory/1');
    expect(traj.model).toBe('im');
    const info = await page.evaluate(() => window.__imrm.run!);
    expect(traj.times).toEqual(info.times);
    const whole = train(compileProblem(problem), 'im', info.times);
    expect(traj.solver).toMatchObject({ method: whole.solver.method, form: whole.solver.form, rtol: whole.solver.rtol });
    for (const [set, pairs] of Object.entries(whole.margins)) {
      pairs.forEach((p, i) => p.forEach((m, k) => expect(Math.abs(traj.margins[set]![i]![k]! - m)).toBeLessThanOrEqual(FLOW_REL * Math.max(1, Math.abs(m)))));
    }
  });

  it('restores the settings from the address', async () => {
    const query = 'kind=multi-token&method=adam&rho=0.5&pairs=8&length=4&lr=0.05&horizon=10&seed=2';
    const p = await openPage(`${server.url}?${query}`);
    await waitForRun(p);
    expect(await p.evaluate(() => window.__imrm.settings)).toMatchObject({ kind: 'multi-token', method: 'adam', rho: 0.5, pairs: 8, length: 4, lr: 0.05, horizon: 10, seed: 2, dim: 64 });
    expect(await p.inputValue('[data-testid=kind]')).toBe('multi-token');
    expect(await p.inputValue('[data-testid=method]')).toBe('adam');
    expect(await p.inputValue('[data-testid=rho]')).toBe('0.5');
    expect(await p.isVisible('#lr')).toBe(true);
    expect(await p.isVisible('#length')).toBe(true);
    expect(await p.isVisible('#shared')).toBe(false);
    expect(new URL(p.url()).search).toBe(`?${query}`);
    expect(new Set(await timeAxisTitles(p))).toEqual(new Set([STEP_TIME_TITLE]));
    await p.close();
  });

  it('the probe kind: the shared-token fraction f is a setting, in the address and the form', async () => {
    const p = await openPage(`${server.url}?kind=multi-token-probe&shared=0.5&horizon=10`);
    await waitForRun(p);
    expect(await p.evaluate(() => window.__imrm.settings)).toMatchObject({ kind: 'multi-token-probe', shared: 0.5, horizon: 10 });
    expect(await p.isVisible('[data-testid=shared]')).toBe(true);
    expect(await p.inputValue('[data-testid=shared]')).toBe('0.5');
    expect(await p.getAttribute('[data-testid=acc-paraphrase-ex]', 'data-value')).not.toBeNull();
    await p.close();
  });

  it('runs opened from disk (file://), with no server', async () => {
    const p = await openPage(pathToFileURL(join(DIST, 'index.html')).href + '?horizon=100');
    await waitForRun(p);
    expect(await accuracyOf(p, 'paraphrase', 'im')).toBe(0.5);
    expect(await p.evaluate(() => document.fonts.check('12px "DejaVu Sans"'))).toBe(true);
    await p.close();
  });

  it('the standard one-token instance gives the same results in the page’s worker as in Node.js; both timings are reported', async () => {
    const reps = 5;
    const rounds = 3;
    const pageRuns: BenchmarkTiming[][] = [];
    const nodeRuns: BenchmarkTiming[][] = [];
    // alternate, each round a fresh worker and a fresh Node.js process, so both start cold and share the machine's noise
    for (let r = 0; r < rounds; r++) {
      const node = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/browser/benchNode.ts'), String(reps)], { cwd: ROOT, encoding: 'utf8' });
      if (node.status !== 0) throw new Error(`benchNode failed: ${node.stderr}`);
      nodeRuns.push(JSON.parse(node.stdout) as BenchmarkTiming[]);
      pageRuns.push(await page.evaluate((n) => window.__imrm.bench(n), reps));
    }
    const summary = (runs: BenchmarkTiming[][]) => ({
      cold: median(runs.map((r) => r[0]!.totalMs)),
      warm: median(runs.flatMap((r) => r.slice(1).map((t) => t.totalMs))),
      warmEx: median(runs.flatMap((r) => r.slice(1).map((t) => t.exMs))),
      warmIm: median(runs.flatMap((r) => r.slice(1).map((t) => t.imMs))),
    });
    const inPage = summary(pageRuns);
    const inNode = summary(nodeRuns);
    console.log(`standard one-token instance (|V|=1000, D=128, N=64; flow to t = 0, 1, 10, 100, 1000; build + EX-RM + IM-RM), median ms:\n  page worker: cold ${inPage.cold.toFixed(1)}, warm ${inPage.warm.toFixed(1)} (EX ${inPage.warmEx.toFixed(1)}, IM ${inPage.warmIm.toFixed(1)})\n  Node.js:     cold ${inNode.cold.toFixed(1)}, warm ${inNode.warm.toFixed(1)} (EX ${inNode.warmEx.toFixed(1)}, IM ${inNode.warmIm.toFixed(1)})`);
    // same code, same results (to the integrator's tolerance: the instance differs in last bits between engines)
    const checksum = nodeRuns[0]![0]!.checksum;
    for (const t of pageRuns.flat()) expect(Math.abs(t.checksum - checksum)).toBeLessThanOrEqual(FLOW_REL * Math.abs(checksum));
    // timings are reported, not asserted (benchmarks are scripts, not timed tests): kept beside the screenshot
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'explorer-timing.json'), JSON.stringify({ page: inPage, node: inNode }, null, 2) + '\n');
  });

  it('shows charts as soon as the page has loaded (the first decade computed on the page, the rest in the worker)', async () => {
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`at load: page error: ${e.message}`));
    // goto resolves at the load event, which is when a headless screenshot (chromium --screenshot) is taken
    await p.goto(server.url, { waitUntil: 'load' });
    const atLoad = await p.evaluate(() => ({
      rows: window.__imrm.views.margins?.data('rows').length ?? 0,
      paths: document.querySelectorAll('#chart-margins svg .mark-line path').length,
      accuracy: document.querySelector<HTMLElement>('[data-testid=acc-paraphrase-im]')?.dataset.value ?? null,
      run: window.__imrm.run,
    }));
    await p.screenshot({ path: join(ARTIFACTS, 'explorer-at-load.png'), fullPage: true });
    expect(atLoad.rows).toBeGreaterThan(0);
    expect(atLoad.paths).toBeGreaterThan(0);
    expect(atLoad.accuracy).toBe('0.5');
    expect(atLoad.run!.state === 'running' || atLoad.run!.state === 'done').toBe(true);
    // and the run completes from there, every time once
    await waitForRun(p);
    const rows = await chartRows(p);
    const info = await p.evaluate(() => window.__imrm.run!);
    expect(rows).toHaveLength(info.times.length * info.sets.length * 2);
    expect(new Set(rows.map((r) => `${r.model} ${r.set} ${r.t}`)).size).toBe(rows.length);
    await p.close();
  });

  it('says next to the control why a |V| is not taken, keeps it there to correct, and runs nothing until it is valid', async () => {
    const p = await openPage(`${server.url}?vocab=12&horizon=10`);
    const first = await waitForRun(p);
    expect(await p.textContent('[data-testid=error-vocab]')).toBe(`${invalidNumber('vocab', '12')} in the address; using 1000`);
    expect(await p.inputValue('#vocab')).toBe('1000');

    await p.fill('#vocab', '12.5');
    await p.dispatchEvent('#vocab', 'change');
    expect(await p.isVisible('[data-testid=error-vocab]')).toBe(true);
    expect(await p.textContent('[data-testid=error-vocab]')).toBe(invalidNumber('vocab', '12.5'));
    expect(await p.inputValue('#vocab')).toBe('12.5');
    expect(await p.getAttribute('#vocab', 'aria-invalid')).toBe('true');
    expect(await p.evaluate(() => (document.querySelector('#vocab') as HTMLInputElement).validationMessage)).toBe(invalidNumber('vocab', '12.5'));
    expect(await p.evaluate(() => [window.__imrm.settings.vocab, window.__imrm.run!.id])).toEqual([1000, first]);

    await p.fill('#vocab', '500');
    await p.dispatchEvent('#vocab', 'change');
    await waitForRun(p, first);
    expect(await p.isVisible('[data-testid=error-vocab]')).toBe(false);
    expect(await p.getAttribute('#vocab', 'aria-invalid')).toBeNull();
    expect(await p.evaluate(() => window.__imrm.settings.vocab)).toBe(500);
    await p.close();
  });

  it('logged no page or console errors', () => {
    expect(problems).toEqual([]);
  });
});
