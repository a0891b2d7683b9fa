/**
 * RODAS4: a 6-stage, order 4(3), L-stable and stiffly accurate Rosenbrock method (Hairer & Wanner, *Solving ODEs
 * II*, §IV.7; coefficients of their code RODAS, method 1), for autonomous systems `y' = f(y)`:
 *
 *   (I/(hγ) − J) k_i = f(y + Σ_j a_ij k_j) + Σ_j (c_ij / h) k_j,   y_new = y + Σ_i b_i k_i,   error estimate k_6,
 *
 * with `J ≈ ∂f/∂y` at the start of the step. The linear solves are the caller's (`StiffJacobian`): the gradient flow's
 * function-space Jacobian `−K diag(σ'(m))/N` is `N × N` and touches only the train-margin columns, so each step
 * factors one small matrix. Steps land exactly on the requested times (no interpolation). The step-size
 * controller is RODAS's (`h_new = h · clamp(0.9 err^{−1/4}, 0.2, 6)`), which lets the step grow geometrically once
 * the solution settles: on non-separable data the margins converge while `c` grows linearly, which every step
 * integrates exactly, so the number of steps per decade of `t` stays bounded.
 */
import { InputError, message } from '../messages/index.js';
import type { Rhs } from './ode.js';

/** The linear algebra of one step: factor `I/(hγ) − J(y)`, then solve with it. */
export interface StiffJacobian {
  /** Prepares solves with `I/(hγ) − J(y)` (`hg` = hγ). */
  factor(y: Float64Array, hg: number): void;
  /** `x = (I/(hγ) − J)^{−1} b` (may overwrite `b`; `x` and `b` may be the same array). */
  solve(b: Float64Array, x: Float64Array): void;
}

export interface RosenbrockStats {
  method: 'rodas4';
  steps: number;
  rejected: number;
  evaluations: number;
  /** Matrix factorisations. */
  factorizations: number;
}

const GAMMA = 0.25;
const A21 = 1.544;
const A31 = 0.9466785280815826, A32 = 0.2557011698983284;
const A41 = 3.314825187068521, A42 = 2.896124015972201, A43 = 0.9986419139977817;
const A51 = 1.221224509226641, A52 = 6.019134481288629, A53 = 12.53708332932087, A54 = -0.687886036105895;
const C21 = -5.6688;
const C31 = -2.430093356833875, C32 = -0.2063599157091915;
const C41 = -0.1073529058151375, C42 = -9.594562251023355, C43 = -20.47028614809616;
const C51 = 7.496443313967647, C52 = -10.24680431464352, C53 = -33.99990352819905, C54 = 11.70890893206160;
const C61 = 8.083246795921522, C62 = -7.981132988064893, C63 = -31.52159432874371, C64 = 16.31930543123136, C65 = -6.058818238834054;

export interface RosenbrockOptions {
  rtol: number;
  atol: number;
  /** Steps (accepted + rejected) left before giving up. */
  maxSteps: number;
  /** First step. */
  h0: number;
  onStep?: (t: number) => void;
}

/**
 * Integrates from `(t0, y)` (`y` is advanced in place) through `times[first …]` (non-decreasing, all `> t0`),
 * calling `output(i, times[i], y)` at each.
 */
export function rodas4(f: Rhs, jac: StiffJacobian, t0: number, y: Float64Array, times: readonly number[], first: number, output: (i: number, t: number, y: Float64Array) => void, opts: RosenbrockOptions): RosenbrockStats {
  const n = y.length;
  const stats: RosenbrockStats = { method: 'rodas4', steps: 0, rejected: 0, evaluations: 0, factorizations: 0 };
  const k = Array.from({ length: 6 }, () => new Float64Array(n));
  const [k1, k2, k3, k4, k5, k6] = k as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const fy = new Float64Array(n), yt = new Float64Array(n), dy = new Float64Array(n);
  const rhs = (yy: Float64Array, out: Float64Array): void => {
    stats.evaluations++;
    f(0, yy, out);
  };
  let t = t0;
  let h = opts.h0;
  let next = first;
  rhs(y, fy);
  while (next < times.length) {
    if (stats.steps + stats.rejected >= opts.maxSteps) throw new InputError(message.maxStepsExceeded(opts.maxSteps, t));
    const target = times[next]!;
    const hTry = h;
    let hit = false;
    if (t + h >= target) (h = target - t), (hit = true);
    if (!(h > Math.abs(t) * 1e-15)) throw new InputError(message.stepTooSmall(t, h));
    jac.factor(y, h * GAMMA);
    stats.factorizations++;
    const stage = (kk: Float64Array, c: readonly number[]): void => {
      // kk = solve(dy + Σ_j c_j/h k_j)
      for (let i = 0; i < n; i++) {
        let s = dy[i]!;
        for (let j = 0; j < c.length; j++) s += (c[j]! / h) * k[j]![i]!;
        kk[i] = s;
      }
      jac.solve(kk, kk);
    };
    dy.set(fy);
    stage(k1, []);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + A21 * k1[i]!;
    rhs(yt, dy);
    stage(k2, [C21]);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + A31 * k1[i]! + A32 * k2[i]!;
    rhs(yt, dy);
    stage(k3, [C31, C32]);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!;
    rhs(yt, dy);
    stage(k4, [C41, C42, C43]);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!;
    rhs(yt, dy);
    stage(k5, [C51, C52, C53, C54]);
    for (let i = 0; i < n; i++) yt[i]! += k5[i]!;
    rhs(yt, dy);
    stage(k6, [C61, C62, C63, C64, C65]);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const ynew = yt[i]! + k6[i]!;
      const sc = opts.atol + opts.rtol * Math.max(Math.abs(y[i]!), Math.abs(ynew));
      err += (k6[i]! / sc) ** 2;
      yt[i] = ynew;
    }
    err = Math.sqrt(err / n);
    const fac = Math.min(6, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.25)));
    if (err <= 1) {
      stats.steps++;
      t = hit ? target : t + h;
      y.set(yt);
      rhs(y, fy);
      opts.onStep?.(t);
      while (next < times.length && times[next]! <= t) output(next, times[next]!, y), next++;
      h = hit ? Math.max(h * fac, hTry) : h * fac; // a step cut short to land on a time does not shrink the next
    } else {
      stats.rejected++;
      h *= Math.min(fac, 0.5);
    }
  }
  return stats;
}
