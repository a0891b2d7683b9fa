/**
 * The two live charts: the committed figures' spec builders (`marginsOverTimeSpec`, `accuracyOverTimeSpec`) and
 * theme, rendered by vega-embed with the rows in a named data set `rows` that grows as chunks arrive.
 *
 * The only additions to the figures' specs are in `config`: invisible points on the lines, so a tooltip shows the
 * row under the pointer (t, model, set, mean margin, accuracy, ties), and a layout recomputed on every update
 * (the axes' labels widen as the data grow).
 */
import embed, { vega, type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import { accuracyOverTimeSpec, applyTheme, marginsOverTimeSpec, type FigureSpecOnly } from '../browser.js';
import type { Row } from './simulate.js';

export const DATA_NAME = 'rows';

const RENDERER = 'svg';

const INTERACTION = {
  line: { point: { opacity: 0, size: 80, tooltip: { content: 'data' } } },
  autosize: { type: 'pad', contains: 'padding', resize: true },
  // the point overlay would turn the legend's line symbols into dots
  legend: { symbolType: 'stroke' },
};

export type ChartKind = 'margins' | 'accuracies';

const BUILDERS: Record<ChartKind, (title: string, sets: readonly string[], timeTitle: string) => FigureSpecOnly> = {
  margins: marginsOverTimeSpec,
  accuracies: accuracyOverTimeSpec,
};

/** The figure spec of a chart with its data left to the page (`rows`) and the interaction config. */
export function chartSpec(kind: ChartKind, title: string, sets: readonly string[], timeTitle: string): TopLevelSpec {
  const spec = BUILDERS[kind](title, sets, timeTitle);
  return applyTheme({ ...spec, data: { name: DATA_NAME }, config: INTERACTION } as unknown as TopLevelSpec);
}

/**
 * A chart on the page. A run starts with `reset` (the previous run's chart stays, greyed, until new rows arrive);
 * its first rows replace the old ones in one changeset; later rows are appended. Rows that arrive while the chart
 * is drawing wait and go in together with the next draw, so a slow main thread draws less often instead of falling
 * behind the worker.
 */
export class LiveChart {
  private result: Result | null = null;
  private key = '';
  /** Whether the next draw is the run's first (it replaces the previous run's rows). */
  private pending = false;
  /** Rows not drawn yet, and whether a draw for them is queued. */
  private buffer: Row[] = [];
  private queued = false;
  /** Draws are applied in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Main-thread time of each draw (embed or changeset), ms. */
  readonly drawMs: number[] = [];

  constructor(
    private readonly el: HTMLElement,
    readonly kind: ChartKind,
  ) {}

  get view(): Result['view'] | null {
    return this.result?.view ?? null;
  }

  /**
   * Starts a run with this title, these sets and this time-axis title. A change of any re-embeds the chart at once,
   * empty, so compiling it overlaps the first chunk's computation.
   */
  reset(title: string, sets: readonly string[], timeTitle: string): void {
    this.pending = true;
    this.buffer = [];
    this.el.classList.add('stale');
    const key = JSON.stringify([title, sets, timeTitle]);
    if (key === this.key) return;
    this.key = key;
    this.enqueue(async () => {
      this.result?.finalize();
      this.result = await embed(this.el, chartSpec(this.kind, title, sets, timeTitle) as never, {
        renderer: RENDERER,
        tooltip: true,
        actions: { export: true, source: false, compiled: false, editor: false },
        downloadFileName: `imrm-${this.kind}`,
        // an empty chart warns that its scales have no extent: expected until the first rows arrive
        logLevel: vega.Error,
      });
    });
  }

  /** Adds rows of the current run. */
  insert(rows: readonly Row[]): void {
    for (const r of rows) this.buffer.push({ ...r });
    if (this.queued) return;
    this.queued = true;
    this.enqueue(() => this.draw());
  }

  private async draw(): Promise<void> {
    this.queued = false;
    const rows = this.buffer;
    const first = this.pending;
    this.buffer = [];
    this.pending = false;
    if (!this.result) return;
    const change = vega.changeset().insert(rows);
    if (first) {
      this.el.classList.remove('stale');
      this.result.view.logLevel(vega.Warn);
      change.remove(() => true);
    }
    await this.result.view.change(DATA_NAME, change).runAsync();
  }

  /** Lays the chart out again (after the page's fonts have loaded: text is measured for the layout). */
  relayout(): Promise<unknown> {
    return this.enqueue(async () => {
      if (this.result) await this.result.view.resize().runAsync();
    });
  }

  /** Resolves when every update so far has been drawn. */
  settled(): Promise<unknown> {
    return this.queue;
  }

  private enqueue(job: () => Promise<void>): Promise<unknown> {
    const timed = async (): Promise<void> => {
      const t0 = performance.now();
      await job();
      this.drawMs.push(performance.now() - t0);
    };
    this.queue = this.queue.then(timed, timed);
    return this.queue;
  }
}
