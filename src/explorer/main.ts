/**
 * The explorer page: settings (in the address bar) → a run in the simulation worker → live charts, accuracies,
 * a status line, and the run's problem and trajectory files. The page's first run starts on the page's own thread
 * (its first chunks, drawn before the page has loaded) and continues in the worker.
 *
 * For tests and the console, `window.__imrm` exposes the Vega views, the rows drawn so far, the run's timings, and
 * `bench(reps)`, which times the standard benchmark (`runBenchmark`) in a fresh worker.
 */
import type { ModelKind, SolverInfo, Trajectory } from '../browser.js';
import { MODEL_LABEL, problemFileText, trajectoryFileText } from '../browser.js';
import { LiveChart } from './charts.js';
import { formatTime, invalidNumber, SettingsForm } from './form.js';
import type { Reply, Request } from './protocol.js';
import { chartTitle, FIELD_LABEL, LIMITS, parseQuery, timeAxisTitle, toQuery, type NumberField, type Settings } from './settings.js';
import { buildProblem, MODELS, Simulation, type BenchmarkTiming, type Chunk, type ChunkCursor, type Row, type RunInfo } from './simulate.js';
import InlineWorker from './worker.ts?worker&inline';

type RunStateName = 'running' | 'done' | 'error';

interface Run {
  id: number;
  settings: Settings;
  state: RunStateName;
  startedAt: number;
  sets: string[];
  times: number[];
  horizon: number;
  rows: Row[];
  /** Per model: what the chunks so far add up to (solver: the last chunk's, i.e. the whole integration so far). */
  traj: Record<ModelKind, Trajectory>;
  /** Latest training time reached per model (from chunks and progress reports). */
  reached: Record<ModelKind, number>;
  timings: { buildMs: number; chunkMs: number[]; firstChunkMs: number | null; wallMs: number | null; workerMs: number | null };
  error?: string;
}

const $ = <T extends HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`explorer: ${sel} missing from index.html`);
  return el;
};

const form = new SettingsForm($<HTMLFormElement>('#settings'));
const statusEl = $<HTMLParagraphElement>('#status');
const accuracyBody = $<HTMLTableElement>('#accuracies').tBodies[0]!;
const charts = { margins: new LiveChart($('#chart-margins'), 'margins'), accuracies: new LiveChart($('#chart-accuracies'), 'accuracies') };
const downloadButtons = { ex: $<HTMLButtonElement>('#download-trajectory-ex'), im: $<HTMLButtonElement>('#download-trajectory-im') };

let settings: Settings;
let run: Run | null = null;
let worker: Worker | null = null;
let nextId = 1;
let notes: string[] = [];

/**
 * The simulation worker: a module worker from its own file; from the bundle's inlined copy when the page was
 * opened from disk (Chromium starts no worker from a file: URL).
 */
function newWorker(): Worker {
  if (location.protocol === 'file:') return new InlineWorker();
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}

function startWorker(): Worker {
  const w = newWorker();
  w.onmessage = (e: MessageEvent<Reply>) => onReply(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    // the next run starts a fresh worker
    w.terminate();
    if (worker === w) worker = null;
    if (run && run.state === 'running') fail(run, `the simulation worker failed: ${e.message || 'could not load it'}`);
  };
  return w;
}

const emptyTrajectory = (model: ModelKind, sets: string[]): Trajectory => ({
  model,
  times: [],
  loss: [],
  margins: Object.fromEntries(sets.map((s) => [s, [] as number[][]])),
  solver: { method: '', form: 'function', steps: 0, evaluations: 0 },
});

/**
 * Starts a run of `s`, stopping the one in progress (terminating its worker: `train` cannot be interrupted).
 *
 * With `firstChunks` (the page's first run), the first chunk of each model — the first decade of training time — is
 * computed here, on the page's thread, and drawn before the worker carries on from there: the page, or a screenshot
 * taken as soon as it has loaded, shows charts rather than an empty "running…" page. Later runs leave the page's
 * thread free and compute everything in the worker.
 */
function start(s: Settings, opts: { firstChunks?: boolean } = {}): void {
  if (run?.state === 'running') {
    worker?.terminate();
    worker = null;
  }
  worker ??= startWorker();
  const r: Run = {
    id: nextId++,
    settings: s,
    state: 'running',
    startedAt: performance.now(),
    sets: [],
    times: [],
    horizon: s.horizon,
    rows: [],
    traj: { ex: emptyTrajectory('ex', []), im: emptyTrajectory('im', []) },
    reached: { ex: 0, im: 0 },
    timings: { buildMs: 0, chunkMs: [], firstChunkMs: null, wallMs: null, workerMs: null },
  };
  run = r;
  for (const b of Object.values(downloadButtons)) b.disabled = true;
  let cursors: ChunkCursor[] | undefined;
  if (opts.firstChunks) {
    try {
      const sim = new Simulation(s);
      onStart(r, sim.info);
      for (const _ of MODELS) {
        const chunk = sim.step();
        if (chunk) onChunk(r, chunk);
      }
      cursors = sim.cursors;
    } catch (err) {
      fail(r, err instanceof Error ? err.message : String(err));
      return;
    }
  }
  setStatus(r);
  const req: Request = { type: 'run', id: r.id, settings: s, ...(cursors ? { cursors } : {}) };
  worker.postMessage(req);
}

/** A run's instance is known: its sets and recorded times; the table and the charts are set up for them. */
function onStart(r: Run, info: RunInfo): void {
  r.sets = info.sets;
  r.times = info.times;
  r.timings.buildMs = info.buildMs;
  r.traj = { ex: emptyTrajectory('ex', r.sets), im: emptyTrajectory('im', r.sets) };
  buildAccuracyTable(r.sets);
  const timeTitle = timeAxisTitle(r.settings);
  charts.margins.reset(chartTitle('margins', r.settings), r.sets, timeTitle);
  charts.accuracies.reset(chartTitle('accuracies', r.settings), r.sets, timeTitle);
}

/** A chunk of one model: added to its trajectory, the table and the charts. */
function onChunk(r: Run, chunk: Chunk): void {
  const t = r.traj[chunk.model];
  t.times.push(...chunk.times);
  t.loss.push(...chunk.loss);
  for (const [set, pairs] of Object.entries(chunk.margins)) pairs.forEach((p, i) => (t.margins[set]![i] ??= []).push(...p));
  t.solver = chunk.solver;
  r.reached[chunk.model] = chunk.times[chunk.times.length - 1] ?? r.reached[chunk.model];
  r.rows.push(...chunk.rows);
  r.timings.chunkMs.push(chunk.ms);
  r.timings.firstChunkMs ??= performance.now() - r.startedAt;
  showAccuracies(chunk.model, chunk.rows);
  charts.margins.insert(chunk.rows);
  charts.accuracies.insert(chunk.rows);
}

function onReply(reply: Reply): void {
  const r = run;
  if (!r || reply.id !== r.id || r.state !== 'running') return;
  switch (reply.type) {
    case 'start':
      // a run whose first chunks the page computed is set up already
      if (r.sets.length === 0) onStart(r, reply);
      break;
    case 'progress':
      r.reached[reply.model] = Math.max(r.reached[reply.model], reply.t);
      break;
    case 'chunk':
      onChunk(r, reply);
      break;
    case 'done':
      r.timings.workerMs = reply.ms;
      // "done" once the charts show everything, so whoever waits for it reads complete views
      void Promise.all([charts.margins.settled(), charts.accuracies.settled()]).then(() => {
        if (run !== r) return;
        r.state = 'done';
        r.timings.wallMs = performance.now() - r.startedAt;
        for (const b of Object.values(downloadButtons)) b.disabled = false;
        setStatus(r);
      });
      break;
    case 'error':
      fail(r, reply.message);
      break;
    case 'bench':
      break;
  }
  setStatus(r);
}

function fail(r: Run, message: string): void {
  r.state = 'error';
  r.error = message;
  setStatus(r);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const timeText = (t: number): string => (t > 0 && Number.isInteger(Math.log10(t)) ? formatTime(t) : t.toPrecision(3));

function solverText(s: SolverInfo): string {
  return s.method === 'dopri5' ? `${s.steps} steps, ${s.evaluations} gradients (dopri5, ${s.form} space)` : `${s.steps} steps (${s.method}, η = ${s.lr})`;
}

function setStatus(r: Run): void {
  statusEl.dataset.state = r.state;
  statusEl.dataset.runId = String(r.id);
  if (r.state === 'error') {
    statusEl.textContent = `error: ${r.error}`;
    return;
  }
  const reached = MODELS.map((m) => `${MODEL_LABEL[m]} t = ${r.reached[m] > 0 ? timeText(r.reached[m]) : '0'}`).join(', ');
  const solver = MODELS.filter((m) => r.traj[m].solver.method).map((m) => `${MODEL_LABEL[m]} ${solverText(r.traj[m].solver)}`).join('; ');
  const wall = r.timings.wallMs ?? performance.now() - r.startedAt;
  const parts = [`${r.state}: ${reached} of ${timeText(r.horizon)}`, solver, `wall ${seconds(wall)}`];
  statusEl.textContent = [...parts.filter(Boolean), ...notes].join(' · ');
}

function buildAccuracyTable(sets: string[]): void {
  accuracyBody.replaceChildren(
    ...sets.map((set) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = set;
      tr.append(th);
      for (const m of MODELS) {
        const td = document.createElement('td');
        td.id = `acc-${set}-${m}`;
        td.dataset.testid = `acc-${set}-${m}`;
        td.className = m;
        td.textContent = '–';
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** The accuracies of `model` at the last time of its newest rows. */
function showAccuracies(model: ModelKind, rows: readonly Row[]): void {
  const last = rows[rows.length - 1]?.t;
  for (const row of rows) {
    if (row.t !== last) continue;
    const td = document.getElementById(`acc-${row.set}-${model}`);
    if (!td) continue;
    td.dataset.value = String(row.accuracy);
    td.dataset.t = String(row.t);
    td.textContent = row.accuracy.toFixed(3) + (row.ties > 0 ? ` (${Math.round(row.ties * 100)}% ties)` : '');
  }
}

// --- settings ↔ address bar ------------------------------------------------------------------------

/** Number controls holding a value that was not taken (field → why), shown next to each. */
let invalidFields = new Map<NumberField, string>();

function apply(next: Settings, opts: { force?: boolean; firstChunks?: boolean } = {}): void {
  const changed = JSON.stringify(next) !== JSON.stringify(settings);
  settings = next;
  // a control with a value that was not taken keeps it (with the reason beside it) for the user to correct
  form.show(settings, new Set(invalidFields.keys()));
  form.showInvalid(invalidFields);
  const query = toQuery(settings);
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
  if (changed || opts.force || !run) start(settings, { firstChunks: opts.firstChunks ?? false });
}

let sliderTimer: ReturnType<typeof setTimeout> | undefined;

function onFormChange(): void {
  clearTimeout(sliderTimer);
  const { settings: next, invalid } = form.read(settings);
  invalidFields = invalid;
  notes = invalid.size ? [`not taken: ${[...invalid.keys()].map((f) => FIELD_LABEL[f]).join(', ')} (see the form)`] : [];
  apply(next);
  if (run) setStatus(run);
}

const settingsForm = $<HTMLFormElement>('#settings');
settingsForm.addEventListener('change', onFormChange);
settingsForm.addEventListener('input', (e) => {
  const target = e.target as HTMLInputElement;
  if (target.type !== 'range') return;
  form.showRange(target.name, Number(target.value));
  // a slider being dragged: run once it rests (a "change" event runs at once)
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(onFormChange, 300);
});
settingsForm.addEventListener('submit', (e) => e.preventDefault());

// --- files ----------------------------------------------------------------------------------------------

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fileStem = (s: Settings): string => `imrm-${s.kind}-rho${s.rho}${s.kind === 'multi-token-probe' ? `-shared${s.shared}` : ''}-seed${s.seed}`;

$('#download-problem').addEventListener('click', () => {
  const { problem, cp } = buildProblem(settings);
  download(`${fileStem(settings)}.problem.json`, problemFileText(problem, cp));
});
for (const m of MODELS) {
  downloadButtons[m].addEventListener('click', () => {
    if (run?.state !== 'done') return;
    download(`${fileStem(run.settings)}.${m}-${run.settings.method}.trajectory.json`, trajectoryFileText(run.traj[m]));
  });
}

// --- test and console hook ------------------------------------------------------------------------------

/** Times the standard benchmark `reps` times in a fresh worker (its own thread, like a run's). */
function bench(reps = 5): Promise<BenchmarkTiming[]> {
  return new Promise((resolve, reject) => {
    const w = newWorker();
    w.onmessage = (e: MessageEvent<Reply>) => {
      w.terminate();
      if (e.data.type === 'bench') resolve(e.data.timings);
      else reject(new Error(e.data.type === 'error' ? e.data.message : `unexpected reply ${e.data.type}`));
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    const req: Request = { type: 'bench', id: 0, reps };
    w.postMessage(req);
  });
}

const hook = {
  get views() {
    return { margins: charts.margins.view, accuracies: charts.accuracies.view };
  },
  get lastRows(): Row[] {
    return run?.rows ?? [];
  },
  get timings() {
    return run && { ...run.timings, drawMs: { margins: charts.margins.drawMs, accuracies: charts.accuracies.drawMs } };
  },
  get settings(): Settings {
    return settings;
  },
  get run() {
    return run && { id: run.id, state: run.state, error: run.error, times: run.times, sets: run.sets };
  },
  bench,
};
declare global {
  interface Window {
    __imrm: typeof hook;
  }
}
window.__imrm = hook;

// --- start ----------------------------------------------------------------------------------------------

/**
 * The page's first run, from the settings in the address: its first chunks are computed and drawn right away (see
 * `start`), before anything is awaited, so they are on the page when it has loaded. Values in the address that are
 * not taken are said so next to their controls (and the defaults used).
 */
function main(): void {
  const { settings: initial, rejected } = parseQuery(location.search);
  settings = initial;
  const query = new URLSearchParams(location.search);
  const isNumberField = (f: string): f is NumberField => Object.hasOwn(LIMITS, f);
  if (rejected.length) notes = [`ignored invalid ${rejected.map((f) => (isNumberField(f) ? FIELD_LABEL[f] : f)).join(', ')} in the address`];
  apply(settings, { force: true, firstChunks: true });
  // the controls show the defaults used instead; the reasons go beside them
  form.showInvalid(new Map(rejected.filter(isNumberField).map((f) => [f, `${invalidNumber(f, query.get(f) ?? '')} in the address; using ${initial[f]}`])));
  // the charts measure text when they lay out: once the figures' font has loaded, lay them out again
  void Promise.all(['normal 12px "DejaVu Sans"', 'bold 15px "DejaVu Sans"'].map((f) => document.fonts.load(f)))
    .then(() => Promise.all([charts.margins.relayout(), charts.accuracies.relayout()]))
    .catch(() => undefined);
}

main();
