/**
 * The toolkit's figures, each a seeded experiment → spec + data. Sizes are chosen so all of them together run
 * in well under a minute on a 2-core laptop.
 */
import { accuracy, marginScale } from '../models/accuracy.js';
import { MODEL_LABEL, REWARD_MODEL_LABEL, type ModelKind, type RewardModelKind, type VariantKind } from '../models/model.js';
import { compileProblem } from '../models/problem.js';
import { logspace } from '../dynamics/times.js';
import { train } from '../dynamics/flow.js';
import { makeProblem } from '../probes/standard.js';
import { runProbeCell, type ProbeCellOptions } from '../probes/probeCell.js';
import { meanInterval } from '../sweep/merge.js';
import { personaExperiment, PERSONA_SET, type PersonaMethod, type PersonaSetName } from '../probes/persona/experiment.js';
import { claim1Instances, predictedRewardVelocity, rewardsAt, allResponses } from '../theory/claim1RewardDynamics.js';
import { tokenFactorGapByVocab } from '../theory/claim2TokenFactor.js';
import { directionSeries } from '../theory/claim4MaxMargin.js';
import { eq5FirstOrder } from './firstOrder.js';
import { domainShiftAblation, domainShiftPhaseDiagram, normalizedMarginsByRegime } from './realWorldRegimes.js';
import { verificationVsGenerationRuns } from '../probes/hamiltonian-cycles/experiment.js';
import type { FigureDef, Row } from './registry.js';
import { accuracyBandSpec, DASHES, diagonalSpec, groupedAccuracyBarsSpec, marginsOverTimeSpec, seriesOverLogXSpec, seriesOverTimeSpec } from './specs.js';
import { MODEL_COLORS, logTimeAxis } from './theme.js';

const MODELS: ModelKind[] = ['ex', 'im'];

/** Margins (and accuracies) of both models on train, paraphrase and token-overlap pairs over log t. */
export const marginsOverTime: FigureDef = {
  name: 'margins-over-time',
  claim:
    'Theorem 2 and the probes (docs/theory.md, Claims 3 and 5), one-token responses: on paraphrase pairs (unseen tokens, representations at cosine 0.9 to training ones) the EX-RM margin grows while the IM-RM margin stays exactly 0; on token-overlap pairs (training tokens with the opposite meaning) the IM-RM margin goes negative, following the tokens, while the EX-RM follows the meaning. The curves still rise at t = 10⁴: on separable data margins grow like ln t without limit (Theorem 2, EX-RM), so there is no plateau to reach.',
  build() {
    const cp = compileProblem(makeProblem('single-token', { seed: 0, rho: 0.9 }));
    const times = logspace(-2, 4, 49);
    const rows: Row[] = [];
    const sets = [cp.train, ...cp.eval].map((s) => s.name);
    for (const kind of MODELS) {
      const traj = train(cp, kind, times);
      times.forEach((t, i) => {
        const all = sets.map((s) => traj.margins[s]!.map((p) => p[i]!));
        const scale = marginScale(...all);
        sets.forEach((set, k) => {
          const a = accuracy(all[k]!, scale);
          rows.push({ t, model: MODEL_LABEL[kind], set, meanMargin: a.meanMargin, accuracy: a.accuracy });
        });
      });
    }
    return { spec: marginsOverTimeSpec('EX-RM vs IM-RM margins under gradient flow (one-token responses)', sets), rows, columns: ['t', 'model', 'set', 'meanMargin', 'accuracy'] };
  },
};

/** Mean and 95% t-interval over seeds of each model's accuracy on one probe set, per value of a knob. */
function probeBands(knob: 'rho' | 'sharedFraction', values: number[], seeds: number, base: Partial<ProbeCellOptions>, sets: ('paraphrase' | 'overlap')[]): Row[] {
  const rows: Row[] = [];
  const kinds: RewardModelKind[] = [...MODELS, ...ABLATIONS];
  for (const set of sets) {
    for (const x of values) {
      const acc = new Map<RewardModelKind, number[]>(kinds.map((k) => [k, []]));
      for (let seed = 0; seed < seeds; seed++) {
        const r = runProbeCell({ ...base, [knob]: x, seed, variants: ABLATIONS } as ProbeCellOptions);
        for (const kind of kinds) acc.get(kind)!.push(r[kind]![set].accuracy);
      }
      for (const kind of kinds) {
        const m = meanInterval(acc.get(kind)!);
        rows.push({ [knob]: x, set, model: REWARD_MODEL_LABEL[kind], mean: m.mean, lo: Math.max(0, m.low), hi: Math.min(1, m.high), n: m.n });
      }
    }
  }
  return rows;
}

/** The paper's ablations, drawn next to the two models in the probe figures. */
const ABLATION_MODELS = ['EX-RM', 'IM-RM', 'EX-RM (mean)', 'IM-RM (no ref)', 'GRM'];
const ABLATIONS: VariantKind[] = ['ex-mean', 'im-noref', 'gen'];
const ABLATION_NOTE = 'ablations (thin, dashed): EX-RM on the mean token representation, IM-RM without reference, generative RM';
/** The same for a chart of discrete markers (`accuracyBandSpec`'s `discrete`). */
const ABLATION_MARKERS_NOTE = 'ablations (small ◆ ■ ▲, no interval): EX-RM on the mean token representation, IM-RM without reference, generative RM';

/** Accuracy on the semantic-similarity probe against the representation cosine ρ (one-token responses). */
export const accuracyVsRho: FigureDef = {
  name: 'accuracy-vs-rho',
  claim:
    'Theorem 2 on the semantic-similarity probe (docs/theory.md, Claims 3 and 5): with unseen tokens whose whole-sequence representations have cosine ρ to training ones, the EX-RM\'s accuracy rises towards 1 as ρ → 1, while the IM-RM stays at exactly ½ (every pair a tie) for every ρ. The paper\'s ablations (thin dashed lines) coincide with their models here, as the theory says they must with one-token responses: the mean over the response\'s one token position is the whole sequence (EX-RM (mean) = EX-RM), with U₀ = 0 the reference is uniform and cancels inside every pair (IM-RM (no ref) = IM-RM), and the generative RM reads only h(x, y), like the EX-RM — it keeps no token-level reliance.',
  build() {
    const rhos = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99];
    const rows = probeBands('rho', rhos, 10, { kind: 'one-token', vocab: 200, dim: 32, pairs: 32, horizon: 1000 }, ['paraphrase']);
    return {
      spec: accuracyBandSpec({ title: 'Semantic-similarity probe: accuracy vs representation cosine ρ', subtitle: ['one-token responses, unseen tokens; mean and 95% interval over 10 seeds, gradient flow to t = 1000', ABLATION_NOTE], xField: 'rho', xTitle: 'cosine ρ of probe to training representations', models: ABLATION_MODELS }),
      rows,
      columns: ['rho', 'set', 'model', 'mean', 'lo', 'hi', 'n'],
    };
  },
};

/** Accuracy against the fraction of tokens shared with training responses (multi-token token-overlap probe). */
export const accuracyVsSharedFraction: FigureDef = {
  name: 'accuracy-vs-shared-fraction',
  claim:
    'The token-overlap probe with multi-token responses (docs/theory.md, Claim 5): as probe responses share more of their tokens with training responses, the IM-RM follows the shared tokens — up on paraphrases whose shared tokens keep their meaning, below chance when the shared tokens come from the opposite label — while the EX-RM, which sees whole-sequence representations, does not depend on token identity. At f = 0 (probe responses made only of tokens unseen in training) the IM-RM is below chance too, not at ½ as with one-token responses: training moves probability away from every unseen token at prefixes like the chosen training ones (towards the chosen tokens) and towards them at prefixes like the rejected ones, so an all-unseen chosen probe, whose prefixes resemble chosen ones, gets the lower reward. Of the paper\'s ablations (small markers), the EX-RM on the mean token-position representation and the generative RM stay with the EX-RM (no token-level reliance), and the IM-RM without reference stays with the IM-RM (with U₀ = 0 the reference cancels inside every pair of equal-length responses).',
  build() {
    const fractions = [0, 0.25, 0.5, 0.75, 1];
    const rows = probeBands('sharedFraction', fractions, 4, { kind: 'multi-token', length: 4, vocab: 120, dim: 16, pairs: 16, rho: 0.9, horizon: 100, rtol: 1e-6 }, ['paraphrase', 'overlap']);
    return {
      spec: accuracyBandSpec({ title: 'Token-overlap probe: accuracy vs fraction of shared tokens', subtitle: ['responses of 4 tokens (phrase + answer), ρ = 0.9; mean and 95% interval over 4 seeds, gradient flow to t = 100', ABLATION_MARKERS_NOTE], xField: 'sharedFraction', xTitle: 'fraction f of tokens shared with training', facetField: 'set', facetSort: ['paraphrase', 'overlap'], models: ABLATION_MODELS, discrete: true }),
      rows,
      columns: ['sharedFraction', 'set', 'model', 'mean', 'lo', 'hi', 'n'],
    };
  },
};

/** Kernel-predicted vs observed dr/dt (Claim 1), both models. */
export const kernelDiagonal: FigureDef = {
  name: 'kernel-vs-observed',
  claim:
    'The one-step reward changes (the EX-RM\'s, and the IM-RM\'s Eq. 5) in their gradient-flow form (docs/theory.md, Claim 1): every reward moves exactly as the tangent kernel predicts, dr/dt = (1/N) Σ σ(−m_i)[Θ(·, y_i⁺) − Θ(·, y_i⁻)], with Θ_EX = <h, h> and Θ_IM = β² Σ τ <h̄_k, h_l>: the points lie on the diagonal (observed: central difference of the integrated trajectory).',
  build() {
    const cp = claim1Instances(0)[2]!.cp; // multi-token, reference init, random U_0
    const t = 1;
    const d = 1e-3;
    const ids = allResponses(cp);
    const setOf = new Map<number, string>();
    for (const s of [cp.train, ...cp.eval]) for (const r of [...s.chosen, ...s.rejected]) if (!setOf.has(r)) setOf.set(r, s.name === 'train' ? 'train responses' : 'evaluation responses');
    const rows: Row[] = [];
    for (const kind of MODELS) {
      const traj = train(cp, kind, [t - d, t, t + d], { rtol: 1e-12, atol: 1e-14, keepParams: true });
      const [before, at, after] = traj.params!;
      const predicted = predictedRewardVelocity(kind, cp, at!, ids);
      const rb = rewardsAt(kind, cp, before!, ids);
      const ra = rewardsAt(kind, cp, after!, ids);
      ids.forEach((r, j) => {
        const observed = (ra[j]! - rb[j]!) / (2 * d);
        rows.push({ model: MODEL_LABEL[kind], set: setOf.get(r) ?? 'evaluation responses', response: r, predicted: predicted[j]!, observed, residual: observed - predicted[j]! });
      });
    }
    return { spec: diagonalSpec('Reward dynamics: tangent-kernel prediction vs observed change', 'every response of a multi-token instance at t = 1; observed = central difference over t ± 0.001; below: the residual'), rows, columns: ['model', 'set', 'response', 'predicted', 'observed', 'residual'] };
  },
};

/** Angle between the trained parameter and the max-margin direction, with the fitted c / ln t (Claim 4). */
export const angleToMaxMargin: FigureDef = {
  name: 'angle-to-max-margin',
  claim:
    'Theorem 2 (EX-RM; docs/theory.md, Claim 4(b)): on separable data the EX-RM head u(t) turns towards the hard-margin SVM direction û like c/ln t (and the one-token IM-RM\'s ΔU(t) towards the minimum-Frobenius-norm solution) — slowly: the angle halves only when ln t doubles.',
  build() {
    const rows: Row[] = [];
    const series: string[] = [];
    let smallest = Infinity;
    let fitFrom = Infinity;
    for (const kind of MODELS) {
      const s = directionSeries(0, kind);
      const label = MODEL_LABEL[kind];
      const obs = `${label}: angle to max-margin direction`;
      const fit = `${label}: fit ${s.c.toFixed(2)} / ln t`;
      series.push(obs, fit);
      // the fit's window: the late half of the times (as directionSeries fits it)
      fitFrom = Math.min(fitFrom, s.times[Math.floor(s.times.length / 2)]!);
      s.times.forEach((t, k) => {
        rows.push({ t, series: obs, value: s.angle[k]! });
        rows.push({ t, series: fit, value: s.c / Math.log(t) });
        smallest = Math.min(smallest, s.angle[k]!, s.c / Math.log(t));
      });
    }
    // an angle is at most π: the axis ends there, not at the next power of ten
    const domain: [number, number] = [Math.pow(10, Math.floor(Math.log10(smallest))), Math.PI];
    const dark = { 'EX-RM': '#00466e', 'IM-RM': '#8a3c00' };
    return {
      spec: seriesOverTimeSpec({
        title: 'Implicit bias: angle to the max-margin direction',
        subtitle: `gradient flow on separable one-token data to t = 10¹²; dashed: c / ln t, least squares over t ≥ 10${superscript(Math.round(Math.log10(fitFrom)))}`,
        yTitle: 'angle (radians)',
        logY: true,
        domain,
        series,
        colors: [MODEL_COLORS['EX-RM'], dark['EX-RM'], MODEL_COLORS['IM-RM'], dark['IM-RM']],
        dashes: [DASHES.solid, DASHES.dashed, DASHES.solid, DASHES.dashed],
        widths: [3, 1.75, 3, 1.75],
        points: [],
      }),
      rows,
      columns: ['t', 'series', 'value'],
    };
  },
};

/** `k` in superscript digits, for axis-style powers of ten in titles. */
function superscript(k: number): string {
  return [...String(k)].map((c) => (c === '-' ? '⁻' : '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]!)).join('');
}

/** Verification accuracy vs probability of generating a correct response, Hamiltonian cycles at the paper's scale (Claim 6). */
export const verificationVsGeneration: FigureDef = {
  name: 'verification-vs-generation',
  claim:
    "Theorem 1 at the paper's scale — the Hamiltonian-cycle experiment (docs/theory.md, Claim 6; docs/hamiltonian-cycles.md): IM-RMs trained by gradient flow on one (Hamiltonian cycle, non-cycle order) pair " +
    'for each of 1000 planted 10-vertex graphs, evaluated on 200 new graphs. With graph features (left) the test-graph pair accuracy is 1 from the first ' +
    'recorded time, t = 0.001 — the first-order change of the margins already ranks every new pair, since a cycle uses 9 edges and a random order about 3 — ' +
    'while the exact probability of generating a Hamiltonian cycle, π_θ(C|x), climbs only from π_ref = 2.3e-8 to about 3e-6 by t = 100 (6e-4 expected cycles ' +
    'among 200 samples). The pairs teach "follow an edge" but not "do not revisit": both responses are permutations, so the visited-set weights stay near 0 ' +
    'and the generator is a walk along edges that rarely closes a Hamiltonian cycle. With one-hot (graph, prefix) columns (right) no test graph\'s column ever ' +
    'moves: every held-out margin is exactly 0, the test accuracy exactly ½ by ties, and π_θ(C|x) = π_ref(C|x). Dashed: the paper (1B model) — test ' +
    'accuracy 0.993, and 0 of 200 sampled cycles correct, drawn at 3/200, the 95% upper bound that 0 of 200 allows on a log scale.',
  build() {
    const runs = verificationVsGenerationRuns();
    const accuracySeries = ['train pair accuracy', 'test-graph pair accuracy', 'paper: IM-RM test accuracy 0.993'];
    const probabilitySeries = ['π_θ(C|x): exact, mean over test graphs', 'π_ref(C|x): the floor (U₀ = 0, uniform)', 'paper: 0 of 200 samples a cycle (≤ 3/200 at 95%)'];
    const rows: Row[] = [];
    for (const { label, results: r } of runs) {
      r.times.forEach((t, k) => {
        const row = (panel: string, series: string, value: number) => rows.push({ representation: label, panel, t, series, value });
        row('accuracy', accuracySeries[0]!, r.trainAccuracy[k]!);
        row('accuracy', accuracySeries[1]!, r.testAccuracy[k]!);
        row('accuracy', accuracySeries[2]!, 0.993);
        row('probability', probabilitySeries[0]!, r.generationProbability[k]!);
        row('probability', probabilitySeries[1]!, r.referenceGenerationProbability);
        row('probability', probabilitySeries[2]!, 3 / 200);
      });
    }
    const columns = { field: 'representation', type: 'nominal', title: null, sort: runs.map((r) => r.label), header: { labelFontSize: 13, labelFontWeight: 'bold' } };
    const panel = (name: string, series: string[], y: Record<string, unknown>, colors: string[]) => ({
      transform: [{ filter: { field: 'panel', equal: name } }],
      facet: { column: columns },
      spec: {
        width: 260,
        height: 180,
        mark: { type: 'line', point: { size: 20 } },
        encoding: {
          x: logTimeAxis(),
          y: { field: 'value', type: 'quantitative', ...y },
          color: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: colors }, legend: { orient: 'right', labelLimit: 360, symbolType: 'stroke', symbolSize: 400 } },
          strokeDash: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: [[1, 0], [1, 0], [5, 4]] } },
        },
      },
    });
    return {
      spec: {
        title: { text: "Verification without generation at the paper's scale: Hamiltonian cycles", subtitle: 'IM-RM (β = 1, π_ref = π_{U₀}), 10-vertex graphs, 1000 train / 200 test; gradient flow; π_θ(C|x) exact (prefix tree of each test graph\'s cycles)' },
        vconcat: [
          panel('accuracy', accuracySeries, { title: 'pair accuracy (ties count ½)', scale: { domain: [0.4, 1] } }, ['#009E73', '#0072B2', '#555555']),
          panel('probability', probabilitySeries, { ...logTimeAxis('probability of generating a cycle', 'value'), scale: { type: 'log', nice: false, domain: [1e-8, 0.1] } }, ['#D55E00', '#CC79A7', '#555555']),
        ],
        resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
      },
      rows,
      columns: ['representation', 'panel', 't', 'series', 'value'],
    };
  },
};

/** The token factor against token identity as |V| grows (Claim 2). */
export const tokenFactorVsVocab: FigureDef = {
  name: 'token-factor-vs-vocab',
  claim:
    'The coefficients of Eq. 5 (docs/theory.md, Claim 2): while next-token distributions are spread (small random U₀), the IM-RM\'s token factor τ = <e_a − p̄, e_b − p> differs from token identity 1[a = b] by about 1/|V| on average: the larger the vocabulary, the more the IM-RM\'s kernel is token identity.',
  build() {
    const vocabs = [10, 30, 100, 300, 1000, 3000];
    const points = tokenFactorGapByVocab({ vocabs, seed: 0 });
    const series = ['mean |τ − 1[a=b]|', 'max |τ − 1[a=b]|', '1/|V|'];
    const rows: Row[] = [];
    for (const p of points) rows.push({ x: p.vocab, series: series[0]!, value: p.meanGap }, { x: p.vocab, series: series[1]!, value: p.maxGap }, { x: p.vocab, series: series[2]!, value: 1 / p.vocab });
    return {
      spec: seriesOverLogXSpec({
        title: 'Token factor vs token identity as the vocabulary grows',
        subtitle: 'τ over all token pairs and two prompts, U₀ with N(0, 0.1²) entries, D = 16; dotted: 1/|V| for reference',
        xTitle: 'vocabulary size |V|',
        yTitle: 'gap to token identity',
        series,
        colors: ['#009E73', '#CC79A7', '#000000'],
        dashes: [DASHES.solid, DASHES.dashed, DASHES.dotted],
        widths: [2.75, 2.25, 1.5],
        points: [series[0]!, series[1]!],
      }),
      rows,
      columns: ['x', 'series', 'value'],
    };
  },
};

/** The Persona-style experiment on real word vectors: accuracy per set, EX-RM vs IM-RM. */
export const personaAccuracy: FigureDef = {
  name: 'persona-accuracy',
  claim:
    'The paper\'s Persona table, as a controlled experiment on GloVe word vectors (after the paper\'s official configuration): both models fit the training pairs, but on paraphrased responses the IM-RM ranks by the tokens it saw — here below chance, because the paraphrased "yes" prefix starts with a word of the training "no" prefix — while the EX-RM generalizes through the representations.',
  build() {
    const results = personaExperiment();
    const sets = Object.keys(PERSONA_SET) as PersonaSetName[];
    const rows: Row[] = [];
    const methodLabel = (m: PersonaMethod): string => (m === 'flow' ? 'gradient flow' : 'Adam');
    for (const run of results.runs) for (const set of sets) rows.push({ method: methodLabel(run.method), set, model: MODEL_LABEL[run.model], accuracy: run.sets[set].accuracy, ties: run.sets[set].ties });
    // panels in the order the runs come (and `imrm persona` prints them): flow, then Adam
    const methods = [...new Set(results.runs.map((r) => methodLabel(r.method)))];
    return {
      spec: groupedAccuracyBarsSpec('Persona-style experiment on real word vectors', '80 train / 40 test agreeableness statements; GloVe 6B-100d representations; accuracy per evaluation set', sets, methods),
      rows,
      columns: ['method', 'set', 'model', 'accuracy', 'ties'],
    };
  },
};

/** Every figure, in gallery order. */
export const FIGURES: FigureDef[] = [
  marginsOverTime,
  accuracyVsRho,
  accuracyVsSharedFraction,
  kernelDiagonal,
  eq5FirstOrder,
  angleToMaxMargin,
  verificationVsGeneration,
  tokenFactorVsVocab,
  personaAccuracy,
  domainShiftPhaseDiagram,
  domainShiftAblation,
  normalizedMarginsByRegime,
];
