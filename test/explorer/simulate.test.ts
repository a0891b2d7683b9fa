/**
 * The explorer's chunked runs (`src/explorer/simulate.ts`) report what one `train` call over the whole time grid
 * reports: exactly for gradient descent and Adam (the same steps), and within the integrator's tolerance for the
 * flow (each chunk integrates again from 0; only the first step depends on the chunk's horizon). The last chunk
 * integrates [0, horizon] exactly as the single call does, so its solver report and its margins are the same.
 */
import { describe, expect, it } from 'vitest';
import { defaultsFor, timeGrid, type Settings } from '../../src/explorer/settings.js';
import { buildProblem, MODELS, rowsOf, simulate, Simulation, type Chunk, type RunInfo } from '../../src/explorer/simulate.js';
import { train, type ModelKind, type Trajectory } from '../../src/index.js';

/**
 * Two integrations of the same flow at the default tolerances (rtol 1e-8, atol 1e-10) that differ only in their
 * first step agree to this, relative to the largest margin magnitude at that time (seen: ≤ 1e-8).
 */
const RESTARTED_FLOW_REL = 1e-7;

function run(s: Settings): { info: RunInfo; chunks: Chunk[] } {
  let info: RunInfo | undefined;
  const chunks: Chunk[] = [];
  simulate(s, { onStart: (i) => (info = i), onChunk: (c) => chunks.push(c) });
  return { info: info!, chunks };
}

function joined(chunks: Chunk[], model: ModelKind): { times: number[]; margins: Record<string, number[][]> } {
  const mine = chunks.filter((c) => c.model === model);
  const margins: Record<string, number[][]> = {};
  for (const c of mine) for (const [set, pairs] of Object.entries(c.margins)) pairs.forEach((p, i) => ((margins[set] ??= [])[i] ??= []).push(...p));
  return { times: mine.flatMap((c) => c.times), margins };
}

function maxRelDiff(a: Record<string, number[][]>, b: Trajectory['margins'], times: number): number {
  let worst = 0;
  for (let k = 0; k < times; k++) {
    const scale = Math.max(...Object.values(b).flatMap((pairs) => pairs.map((p) => Math.abs(p[k]!))), 1e-300);
    for (const [set, pairs] of Object.entries(b)) pairs.forEach((p, i) => (worst = Math.max(worst, Math.abs(a[set]![i]![k]! - p[k]!) / scale)));
  }
  return worst;
}

const small = (s: Settings): Settings => ({ ...s, vocab: 200, dim: 16, pairs: 12, length: 4 });

describe('explorer runs', () => {
  it('gradient descent and Adam: chunks add up to one train call, exactly', () => {
    for (const method of ['gd', 'adam'] as const) {
      const s = { ...small(defaultsFor('single-token', method)), horizon: 100, lr: 0.5 };
      const { info, chunks } = run(s);
      const { cp } = buildProblem(s);
      expect(info.times).toEqual(timeGrid(s));
      expect(new Set(chunks.map((c) => c.times[c.times.length - 1]))).toContain(100);
      for (const model of MODELS) {
        const whole = train(cp, model, info.times, { method, lr: s.lr });
        const got = joined(chunks, model);
        expect(got.times).toEqual(whole.times);
        expect(got.margins).toEqual(whole.margins);
        expect(chunks.filter((c) => c.model === model).at(-1)!.solver).toEqual(whole.solver);
      }
    }
  });

  for (const kind of ['single-token', 'multi-token', 'multi-token-probe'] as const) {
    it(`gradient flow, ${kind}: chunks agree with one train call; the last chunk is that call`, () => {
      const s = { ...small(defaultsFor(kind, 'flow')), horizon: 1e3 };
      const { info, chunks } = run(s);
      const { cp } = buildProblem(s);
      for (const model of MODELS) {
        const whole = train(cp, model, info.times);
        const got = joined(chunks, model);
        expect(got.times).toEqual(whole.times);
        expect(maxRelDiff(got.margins, whole.margins, info.times.length)).toBeLessThan(RESTARTED_FLOW_REL);
        const last = chunks.filter((c) => c.model === model).at(-1)!;
        expect(last.solver).toEqual(whole.solver);
        const k0 = info.times.length - last.times.length;
        for (const [set, pairs] of Object.entries(last.margins)) pairs.forEach((p, i) => expect(p).toEqual(whole.margins[set]![i]!.slice(k0)));
      }
      // the models take turns, so both curves grow together
      expect(chunks.slice(0, 2).map((c) => c.model).sort()).toEqual(['ex', 'im']);
    });
  }

  it('a run resumed from the cursors after its first chunks (the page computes those at load) reports exactly the rest', () => {
    for (const [kind, method] of [['single-token', 'flow'], ['multi-token', 'flow'], ['multi-token-probe', 'adam']] as const) {
      const s = { ...small(defaultsFor(kind, method)), horizon: method === 'flow' ? 1e3 : 10 };
      const whole = run(s).chunks;
      const page = new Simulation(s);
      const first = MODELS.map(() => page.step()!);
      expect(first.map((c) => c.model).sort()).toEqual(['ex', 'im']);
      let info: RunInfo | undefined;
      const rest: Chunk[] = [];
      simulate(s, { onStart: (i) => (info = i), onChunk: (c) => rest.push(c) }, page.cursors);
      expect(info!.times).toEqual(timeGrid(s));
      const strip = (c: Chunk) => ({ ...c, ms: 0 });
      expect([...first, ...rest].map(strip)).toEqual(whole.map(strip));
    }
  });

  it('one-token IM-RM paraphrase pairs are ties at every time (docs/theory.md Claim 3), as the page shows', () => {
    const s = { ...small(defaultsFor('single-token', 'flow')), horizon: 100, rho: 0.95 };
    const { chunks } = run(s);
    const rows = chunks.flatMap((c) => c.rows);
    const im = rows.filter((r) => r.model === 'IM-RM' && r.set === 'paraphrase');
    expect(im.length).toBe(timeGrid(s).length);
    for (const r of im) expect([r.accuracy, r.ties, r.meanMargin]).toEqual([0.5, 1, 0]);
  });

  it('rows: one per (time, set), ties judged against the largest margin over all sets', () => {
    const rows = rowsOf('ex', [1, 2], { train: [[1, 3], [-1, 1e-13]], paraphrase: [[0, 2]] }, ['train', 'paraphrase']);
    expect(rows).toEqual([
      { t: 1, model: 'EX-RM', set: 'train', meanMargin: 0, accuracy: 0.5, ties: 0 },
      { t: 1, model: 'EX-RM', set: 'paraphrase', meanMargin: 0, accuracy: 0.5, ties: 1 },
      { t: 2, model: 'EX-RM', set: 'train', meanMargin: (3 + 1e-13) / 2, accuracy: 0.75, ties: 0.5 },
      { t: 2, model: 'EX-RM', set: 'paraphrase', meanMargin: 2, accuracy: 1, ties: 0 },
    ]);
  });
});
