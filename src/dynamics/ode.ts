/**
 * Dormand–Prince 5(4) with error control and dense output (Dormand & Prince 1980; the step-size controller and
 * the 4th-order continuous extension as in Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.4–II.6, code DOPRI5).
 *
 * Written here rather than taken from npm: the maintained JavaScript ODE packages either lack dense output
 * (odex is Gragg–Bulirsch–Stoer with a different interface; ode45-cash-karp is 4(5) Cash–Karp without dense
 * output) or allocate per step; this one works in place on `Float64Array`s and allocates nothing per step.
 *
 * The step size grows freely (up to 5× per accepted step, PI-controlled), so gradient flows whose dynamics slow
 * down like 1/t take a number of steps per *decade* of t that does not grow with t.
 */
import { kernelArray, releaseKernelArray } from '../linalg/kernels.js';
import { InputError, message } from '../messages/index.js';

/** Right-hand side `dy = f(t, y)`, written into `dy`. */
export type Rhs = (t: number, y: Float64Array, dy: Float64Array) => void;

export interface OdeOptions {
  /** Relative tolerance. @default 1e-8 */
  rtol?: number;
  /** Absolute tolerance. @default 1e-10 */
  atol?: number;
  /** Most steps (accepted + rejected) before giving up. @default 1_000_000 */
  maxSteps?: number;
  /** Initial step; chosen automatically (Hairer's `hinit`) when missing. */
  h0?: number;
  /** Called after every accepted step with the new time. */
  onStep?: (t: number) => void;
  /**
   * Observables `O(y)` (e.g. margins) whose local error is controlled too: each step also estimates the error of
   * `O` as `O(y_new) − O(y_new − e)`, with `e` the embedded error estimate of `y`, and the step is accepted only when
   * both norms are ≤ 1. For outputs that are sensitive functions of the state (cancellation), this keeps the
   * tolerance meaningful for what is reported.
   */
  observe?: {
    size: number;
    /** `fresh`: `f` was last evaluated at exactly this `y` (so what it computed on the way may be reused). */
    evaluate(y: Float64Array, out: Float64Array, fresh: boolean): void;
  };
  /**
   * Stiffness detection (Hairer's test in DOPRI5: `h·‖k7 − k6‖/‖y_new − y_6‖`, an estimate of `h|λ|`, above 3.25
   * on 15 accepted steps without 6 non-stiff ones in between). When given, it is called with the time, state and
   * step size at detection, and the integration stops there (`OdeStats.stiffAt`); the caller continues with a stiff
   * solver.
   */
  onStiff?: (t: number, y: Float64Array, h: number) => void;
}

export interface OdeStats {
  method: 'dopri5';
  rtol: number;
  atol: number;
  /** Accepted steps. */
  steps: number;
  rejected: number;
  /** Right-hand-side evaluations. */
  evaluations: number;
  /** Where stiffness was detected and the integration stopped (with `onStiff`). */
  stiffAt?: number;
}

// Butcher tableau (c, a) and 5th-order weights b (= a7·); e = b − b̂ gives the embedded error estimate.
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense output (Shampine's 4th-order continuous extension, as in DOPRI5's CONTD5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

/**
 * Integrates `y' = f(t, y)` from `t0 = 0`, `y(0) = y0`, and calls `output(i, times[i], y)` at every requested
 * time (non-decreasing, ≥ 0) from the dense output; `y` is a scratch array valid only during the call.
 */
export function dopri5(f: Rhs, y0: Float64Array, times: readonly number[], output: (i: number, t: number, y: Float64Array) => void, opts: OdeOptions = {}): OdeStats {
  const n = y0.length;
  // the state vectors live where the kernels read them in place (released at the end)
  const work = Array.from({ length: 12 }, () => kernelArray(n));
  try {
    return dopri5Steps(f, y0, times, output, opts, work);
  } finally {
    work.forEach(releaseKernelArray);
  }
}

function dopri5Steps(f: Rhs, y0: Float64Array, times: readonly number[], output: (i: number, t: number, y: Float64Array) => void, opts: OdeOptions, work: Float64Array[]): OdeStats {
  const rtol = opts.rtol ?? 1e-8;
  const atol = opts.atol ?? 1e-10;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const n = y0.length;
  const stats: OdeStats = { method: 'dopri5', rtol, atol, steps: 0, rejected: 0, evaluations: 0 };
  const [y, k1, k2, k3, k4, k5, k6, k7, yt, yn, yout, ye] = work as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  y.set(y0);
  const obs = opts.observe;
  const o0 = new Float64Array(obs?.size ?? 0), o1 = new Float64Array(obs?.size ?? 0), oe = new Float64Array(obs?.size ?? 0);
  if (obs) obs.evaluate(y, o0, false);
  const rhs = (t: number, yy: Float64Array, dy: Float64Array): void => {
    stats.evaluations++;
    f(t, yy, dy);
  };

  let next = 0;
  while (next < times.length && times[next]! <= 0) output(next, times[next]!, y), next++;
  if (next === times.length) return stats;
  const tEnd = times[times.length - 1]!;

  let t = 0;
  rhs(t, y, k1);
  let h = opts.h0 ?? initialStep(rhs, y, k1, rtol, atol, tEnd, yt, k2);
  let facOld = 1e-4;
  let rejectedLast = false;
  let stiffSteps = 0;
  let nonStiffSteps = 0;

  while (next < times.length) {
    if (stats.steps + stats.rejected >= maxSteps) throw new InputError(message.maxStepsExceeded(maxSteps, t));
    // a step that ends at tEnd or within round-off of it ends at tEnd itself: t + (tEnd − t) can round 1 ulp below
    // tEnd, which would leave a 1-ulp step that underflows
    const last = tEnd - (t + h) <= 4 * Number.EPSILON * tEnd;
    if (last) h = tEnd - t;
    if (!(h > Math.abs(t) * 1e-15)) throw new InputError(message.stepTooSmall(t, h));

    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * A21 * k1[i]!;
    rhs(t + C2 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
    rhs(t + C3 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
    rhs(t + C4 * h, yt, k4);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    rhs(t + C5 * h, yt, k5);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    const tNew = last ? tEnd : t + h;
    rhs(tNew, yt, k6);
    for (let i = 0; i < n; i++) yn[i] = y[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
    rhs(tNew, yn, k7);

    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
      const sc = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(yn[i]!));
      err += (e / sc) * (e / sc);
      ye[i] = yn[i]! - e;
    }
    err = Math.sqrt(err / n);
    if (obs && obs.size > 0) {
      obs.evaluate(yn, o1, true); // right after f(t_new, y_new) (FSAL)
      obs.evaluate(ye, oe, false);
      let eo = 0;
      for (let j = 0; j < obs.size; j++) {
        const e = o1[j]! - oe[j]!;
        const sc = atol + rtol * Math.max(Math.abs(o0[j]!), Math.abs(o1[j]!));
        eo += (e / sc) * (e / sc);
      }
      err = Math.max(err, Math.sqrt(eo / obs.size));
    }

    // PI step-size control (Hairer's DOPRI5: exponent 1/5 − 0.75·β, β = 0.04, safety 0.9, factor in [0.2, 10]).
    const fac11 = Math.pow(err, 0.17);
    if (err <= 1) {
      stats.steps++;
      let fac = fac11 / Math.pow(facOld, 0.04) / 0.9;
      fac = Math.max(0.1, Math.min(5, fac));
      facOld = Math.max(err, 1e-4);
      while (next < times.length && times[next]! <= tNew) {
        const tout = times[next]!;
        if (tout === tNew) output(next, tout, yn);
        else {
          const th = (tout - t) / h;
          const th1 = 1 - th;
          for (let i = 0; i < n; i++) {
            const dy = yn[i]! - y[i]!;
            const b = h * k1[i]! - dy;
            const c = dy - h * k7[i]! - b;
            const d = h * (D1 * k1[i]! + D3 * k3[i]! + D4 * k4[i]! + D5 * k5[i]! + D6 * k6[i]! + D7 * k7[i]!);
            yout[i] = y[i]! + th * (dy + th1 * (b + th * (c + th1 * d)));
          }
          output(next, tout, yout);
        }
        next++;
      }
      if (opts.onStiff) {
        let num = 0;
        let den = 0;
        for (let i = 0; i < n; i++) (num += (k7[i]! - k6[i]!) ** 2), (den += (yn[i]! - yt[i]!) ** 2);
        if (den > 0 && h * Math.sqrt(num / den) > 3.25) (nonStiffSteps = 0), stiffSteps++;
        else if (++nonStiffSteps === 6) stiffSteps = 0;
      }
      y.set(yn);
      k1.set(k7);
      if (obs) o0.set(o1);
      t = tNew;
      opts.onStep?.(t);
      if (stiffSteps >= 15 && next < times.length) {
        stats.stiffAt = t;
        opts.onStiff!(t, y, h);
        return stats;
      }
      let hNew = h / fac;
      if (rejectedLast) hNew = Math.min(hNew, h);
      rejectedLast = false;
      h = hNew;
    } else {
      stats.rejected++;
      rejectedLast = true;
      h = h / Math.min(5, fac11 / 0.9);
    }
  }
  return stats;
}

/** Initial step guess (Hairer's `hinit`): an Euler step whose change is ~1% of the scale, then 5th-order rescale. */
function initialStep(f: Rhs, y: Float64Array, f0: Float64Array, rtol: number, atol: number, tEnd: number, y1: Float64Array, f1: Float64Array): number {
  const n = y.length;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y[i]!);
    d0 += (y[i]! / sc) ** 2;
    d1 += (f0[i]! / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  h0 = Math.min(h0, tEnd);
  for (let i = 0; i < n; i++) y1[i] = y[i]! + h0 * f0[i]!;
  f(h0, y1, f1);
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y[i]!);
    d2 += ((f1[i]! - f0[i]!) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / n) / h0;
  const dm = Math.max(d1, d2);
  const h1 = dm <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dm, 1 / 5);
  return Math.min(100 * h0, h1, tEnd);
}
