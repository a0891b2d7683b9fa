/** The explorer's settings: address-bar round trip, defaults that follow the kind and method, the time grid. */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, defaultsFor, limitText, parseQuery, POINTS_PER_DECADE, switchDefaults, timeAxisTitle, timeGrid, toQuery, type Settings } from '../../src/explorer/settings.js';
import { invalidNumber } from '../../src/explorer/form.js';
import { makeProblem, message, resolveProbeOptions, STEP_TIME_TITLE, TIME_TITLE } from '../../src/index.js';
import { problemOptions } from '../../src/explorer/settings.js';

describe('explorer settings', () => {
  it('an empty query is the defaults, and the defaults are an empty query', () => {
    expect(parseQuery('')).toEqual({ settings: DEFAULTS, rejected: [] });
    expect(toQuery(DEFAULTS)).toBe('');
  });

  it('round-trips through the query string', () => {
    const s: Settings = { ...defaultsFor('multi-token', 'adam'), rho: 0.35, vocab: 500, dim: 32, pairs: 10, length: 4, beta: 0.5, lr: 0.01, horizon: 100, seed: 7 };
    const q = toQuery(s);
    expect(q).toBe('kind=multi-token&method=adam&rho=0.35&vocab=500&dim=32&pairs=10&length=4&beta=0.5&lr=0.01&horizon=100&seed=7');
    expect(parseQuery(q)).toEqual({ settings: s, rejected: [] });
  });

  it('leaves out fields that do not apply', () => {
    expect(toQuery({ ...DEFAULTS, length: 3, lr: 0.5, shared: 0.5 })).toBe('');
  });

  it('the probe kind: its builder’s defaults and the shared-token fraction', () => {
    const d = defaultsFor('multi-token-probe', 'flow');
    const o = resolveProbeOptions({ kind: 'multi-token', seed: 0 });
    expect([d.vocab, d.dim, d.pairs, d.length, d.rho, d.shared, d.beta]).toEqual([o.vocab, o.dim, o.pairs, o.length, o.rho, o.sharedFraction, o.beta]);
    const s = { ...d, shared: 0.25 };
    expect(toQuery(s)).toBe('kind=multi-token-probe&shared=0.25');
    expect(parseQuery(toQuery(s)).settings).toEqual(s);
    expect(parseQuery('kind=multi-token-probe&shared=1.5').rejected).toEqual(['shared']);
  });

  it('drops invalid values, keeping the defaults, and says which', () => {
    const { settings, rejected } = parseQuery('kind=tabular&rho=2&vocab=12.5&dim=abc&pairs=&seed=3');
    expect(rejected.sort()).toEqual(['dim', 'kind', 'pairs', 'rho', 'vocab']);
    expect(settings).toEqual({ ...DEFAULTS, seed: 3 });
  });

  it('a switch of kind or method moves only the fields still at their defaults', () => {
    const s = switchDefaults({ ...DEFAULTS, pairs: 10 }, 'multi-token', 'gd');
    expect(s).toEqual({ ...defaultsFor('multi-token', 'gd'), pairs: 10 });
  });

  it('the defaults are makeProblem’s', () => {
    for (const kind of ['single-token', 'multi-token'] as const) {
      const a = makeProblem(kind, { seed: 0 });
      const b = makeProblem(kind, problemOptions(defaultsFor(kind, 'flow')));
      expect([b.vocabSize, b.hiddenDim, b.train.length, b.beta]).toEqual([a.vocabSize, a.hiddenDim, a.train.length, a.beta]);
    }
  });

  it('the time grid: log-spaced from 10⁻² (flow) or η (gd, adam) to the horizon; whole steps for gd and adam', () => {
    const flow = timeGrid(DEFAULTS);
    expect(flow).toHaveLength(6 * POINTS_PER_DECADE + 1);
    expect(flow[0]).toBe(1e-2);
    expect(flow[flow.length - 1]).toBe(1e4);
    const gd = timeGrid({ ...DEFAULTS, method: 'gd', lr: 0.3, horizon: 100 });
    expect(gd[0]).toBeCloseTo(0.3, 12);
    for (const t of gd) expect(Math.abs(t / 0.3 - Math.round(t / 0.3))).toBeLessThan(1e-9);
    expect(new Set(gd.map((t) => Math.round(t / 0.3))).size).toBe(gd.length);
  });

  it('an invalid number says what the field accepts and what it got, from the message catalogue', () => {
    expect(limitText('vocab')).toBe('a whole number from 16 to 20000');
    expect(limitText('beta')).toBe('a number from 0.001 to 1000');
    expect(invalidNumber('vocab', '12.5')).toBe(message.badOption('|V|', '12.5', 'a whole number from 16 to 20000'));
  });

  it('the time axis: gradient-flow time for the flow, steps × η for gradient descent and Adam', () => {
    expect(timeAxisTitle(DEFAULTS)).toBe(TIME_TITLE);
    expect(timeAxisTitle(defaultsFor('multi-token', 'adam'))).toBe(STEP_TIME_TITLE);
    expect(timeAxisTitle(defaultsFor('single-token', 'gd'))).toBe(STEP_TIME_TITLE);
  });
});
