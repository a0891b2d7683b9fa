/** The Eq. 5 figure: the one-step reward change is first order in η (remainder ∝ η²) for the IM-RM, exact for the EX-RM. */
import { makeRng, normalVector } from '../random.js';
import { claim1Instances } from '../theory/claim1RewardDynamics.js';
import { EQ5_STEP_SIZES, logLogSlope, oneStepRemainders } from '../theory/eq5FirstOrder.js';
import type { FigureDef, Row } from './registry.js';
import type { FigureSpecOnly } from './specs.js';
import { logTimeAxis } from './theme.js';

export const eq5FirstOrder: FigureDef = {
  name: 'eq5-first-order',
  claim:
    'Eq. 5 is a first-order statement. After one gradient-descent step of size η, the IM-RM\'s reward changes by η times the kernel prediction (coefficients ρ_{k,l} ∈ [−2, 2] times prefix similarities) plus a remainder that falls like η² (fitted slope ≈ 2 over six decades); with the coefficients replaced by token identity the remainder falls only like η (slope 1: the prediction is wrong at first order). The EX-RM\'s reward is linear in its head, so its one-step change is exactly η times its kernel: the remainder is round-off (~1e-16) at every η.',
  build() {
    const cp = claim1Instances(0)[2]!.cp; // multi-token responses, reference π_{U₀}, random U₀
    const im = oneStepRemainders('im', cp, cp.U0);
    const wrong = oneStepRemainders('im', cp, cp.U0, EQ5_STEP_SIZES, { variant: 'identity' });
    const ex = oneStepRemainders('ex', cp, normalVector(makeRng('eq5-figure'), cp.hiddenDim));
    const slope = logLogSlope(im.map((p) => p.eta), im.map((p) => p.error));
    const wrongSlope = logLogSlope(wrong.map((p) => p.eta), wrong.map((p) => p.error));
    const series = [`IM-RM, Eq. 5 (fitted slope ${slope.toFixed(3)})`, `IM-RM, τ replaced by 1[a=b] (slope ${wrongSlope.toFixed(2)})`, 'EX-RM (exact up to round-off)', 'c·η² (slope 2)'];
    const c = im[0]!.error / im[0]!.eta ** 2;
    const rows: Row[] = [];
    im.forEach((p, k) => {
      rows.push({ x: p.eta, series: series[0]!, value: p.error }, { x: p.eta, series: series[1]!, value: wrong[k]!.error });
      // an exact zero has no place on a log axis; none occurred, but keep the figure honest if one does
      if (ex[k]!.error > 0) rows.push({ x: p.eta, series: series[2]!, value: ex[k]!.error });
      rows.push({ x: p.eta, series: series[3]!, value: c * p.eta ** 2 });
    });
    const colors = ['#D55E00', '#CC79A7', '#0072B2', '#888888'];
    const spec: FigureSpecOnly = {
      title: { text: 'Eq. 5 is first order: the one-step remainder', subtitle: ['max over all responses of |observed reward change − η × kernel prediction| after one gradient step', 'multi-token instance, π_ref = π_{U₀}, random U₀; grey dashed: c·η² through the first IM-RM point'] },
      width: 440,
      height: 300,
      encoding: {
        x: logTimeAxis('step size η', 'x'),
        y: { ...logTimeAxis('|Δr − η · kernel prediction|', 'value') },
        // color and strokeDash on one field with one title merge into one legend whose symbols are line strokes
        color: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: colors }, legend: { orient: 'bottom', direction: 'vertical', symbolType: 'stroke', symbolSize: 400 } },
        strokeDash: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: [[1, 0], [1, 0], [1, 0], [6, 4]] } },
      },
      layer: [
        { transform: [{ filter: `datum.series != '${series[3]}'` }], mark: { type: 'line', point: { size: 30 } } },
        { transform: [{ filter: `datum.series == '${series[3]}'` }], mark: { type: 'line', strokeWidth: 1.5 } },
      ],
    };
    return { spec, rows, columns: ['x', 'series', 'value'] };
  },
};
