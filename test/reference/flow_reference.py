#!/usr/bin/env python3
"""Independent NumPy/SciPy reference for gradient flow of EX-RM / IM-RM (docs/theory.md sections 1-2).

Oracle for tests and benchmarks of the TypeScript toolkit; written without reading its source.
Reads an `imrm-problem/1` file, integrates d(theta)/dt = -grad L in parameter space with
scipy.integrate.solve_ivp, and writes an `imrm-trajectory/1` file (see docs/formats.md).

  python3 test/reference/flow_reference.py --problem P.json --model ex|im --times 0,1,10,100 \
      [--rtol 1e-10] [--atol 1e-12] [--method DOP853] --out T.json [--timing]
  python3 test/reference/flow_reference.py --self-test
"""
import argparse
import json
import sys
import time

try:
    import numpy as np
    from scipy.integrate import solve_ivp
    from scipy.special import expit
except ImportError as exc:  # /usr/bin/python3 may lack them
    sys.exit(f"flow_reference.py needs numpy and scipy ({exc}); run it with a python3 that has them.")


class PairSet:
    """The pairs of one set, compiled to flat index arrays.

    Responses are numbered 0..n-1 (chosen) and n..2n-1 (rejected). Every prefix occurrence
    (response j, position k) contributes token occ_tok into the prefix row occ_row of Hp.
    """

    def __init__(self, pairs, hidden_index, H, name):
        responses = [(p["prompt"], p["chosen"]) for p in pairs] + [(p["prompt"], p["rejected"]) for p in pairs]
        self.n = len(pairs)

        def row(prompt, prefix, j):
            key = (prompt, tuple(prefix))
            if key not in hidden_index:
                raise SystemExit(f"{name}: response {j}: no hidden entry for prompt {prompt}, prefix {list(prefix)}")
            return hidden_index[key]

        full, occ_row, occ_tok, occ_resp = [], [], [], []
        for j, (prompt, y) in enumerate(responses):
            full.append(row(prompt, y, j))                      # h(x, y): the whole sequence
            for k, tok in enumerate(y):                         # h(x, y_<k) predicts y_k
                occ_row.append(row(prompt, y[:k], j))
                occ_tok.append(tok)
                occ_resp.append(j)
        Hf = H[np.array(full, dtype=np.intp)].reshape(2 * self.n, H.shape[1])
        self.Z = Hf[: self.n] - Hf[self.n:]                     # z_i = h(x, y+) - h(x, y-)
        rows, local = np.unique(np.array(occ_row, dtype=np.intp), return_inverse=True)
        self.Hp = H[rows]                                       # distinct prefix representations
        self.occ_row = local.ravel()
        self.occ_tok = np.array(occ_tok, dtype=np.intp)
        self.occ_resp = np.array(occ_resp, dtype=np.intp)
        self._buf = None

    def log_softmax(self, U):
        """(ln p, p) with p = softmax(U h) for every distinct prefix: one matmul, log-sum-exp per row.

        Hand-written: scipy.special.logsumexp was ~10x slower here. Returns two work buffers that the
        next call overwrites (a fresh multi-MB array per call cost more in page faults than the maths).
        """
        if self._buf is None or self._buf[0].shape[1] != U.shape[0]:
            self._buf = (np.empty((len(self.Hp), U.shape[0])), np.empty((len(self.Hp), U.shape[0])))
        logp, p = self._buf
        np.matmul(self.Hp, U.T, out=logp)
        logp -= logp.max(axis=1, keepdims=True)                 # largest logit 0: exp cannot overflow
        np.exp(logp, out=p)
        total = p.sum(axis=1, keepdims=True)
        p /= total
        logp -= np.log(total)
        return logp, p

    def log_pi(self, U, logp=None):
        """ln pi_U(y|x) for all 2n responses."""
        if logp is None:
            logp = self.log_softmax(U)[0]
        return np.bincount(self.occ_resp, weights=logp[self.occ_row, self.occ_tok], minlength=2 * self.n)


class Model:
    """EX-RM (theta = u) or IM-RM (theta = U flattened row-major) on a problem."""

    def __init__(self, problem, kind):
        self.kind = kind
        self.V, self.D = int(problem["vocabSize"]), int(problem["hiddenDim"])
        self.beta = float(problem["beta"])
        hidden = problem["hidden"]
        self.H = np.array([e["h"] for e in hidden], dtype=float).reshape(len(hidden), self.D)
        index = {}
        for i, e in enumerate(hidden):
            key = (e["prompt"], tuple(e["prefix"]))
            if key in index:
                raise SystemExit(f"hidden[{i}]: duplicate entry for prompt {key[0]}, prefix {list(key[1])}")
            index[key] = i
        self.sets = {"train": PairSet(problem["train"], index, self.H, "train")}
        for name, pairs in (problem.get("eval") or {}).items():
            if name == "train":
                raise SystemExit("eval: a set may not be named 'train'")
            self.sets[name] = PairSet(pairs, index, self.H, f"eval.{name}")
        init = problem.get("init") or {}
        if kind == "ex":
            self.theta0 = np.array(init.get("u", np.zeros(self.D)), dtype=float).reshape(self.D)
        else:
            self.theta0 = np.array(init.get("U", np.zeros((self.V, self.D))), dtype=float).reshape(self.V * self.D)
            U0 = self.theta0.reshape(self.V, self.D)
            use_ref = problem["reference"] == "init"
            self.log_ref = {name: (s.log_pi(U0) if use_ref else np.zeros(2 * s.n)) for name, s in self.sets.items()}
        self.nfev = 0

    def margins(self, theta, name):
        s = self.sets[name]
        if self.kind == "ex":
            return s.Z @ theta
        r = self.beta * (s.log_pi(theta.reshape(self.V, self.D)) - self.log_ref[name])
        return r[: s.n] - r[s.n:]

    def loss(self, theta):
        return float(np.mean(np.logaddexp(0.0, -self.margins(theta, "train"))))

    def rhs(self, t, theta):
        """-grad L(theta). With dL/dm_i = -sigma(-m_i)/N (sigma(-m) via expit, stable)."""
        self.nfev += 1
        s = self.sets["train"]
        if self.kind == "ex":
            return s.Z.T @ (expit(-(s.Z @ theta)) / s.n)
        U = theta.reshape(self.V, self.D)
        logp, p = s.log_softmax(U)
        r = self.beta * (s.log_pi(U, logp) - self.log_ref["train"])
        c = self.beta * expit(-(r[: s.n] - r[s.n:])) / s.n
        w = np.concatenate([c, -c])[s.occ_resp]                 # -dL/d ln pi per prefix occurrence
        # sum over occurrences of w (e_token - p) h^T, grouped by prefix row into G (|prefixes| x V):
        # G = -(sum of w at the row) p, plus w at (row, token); p's buffer is reused for G.
        G = p
        G *= -np.bincount(s.occ_row, weights=w, minlength=len(s.Hp))[:, None]
        np.add.at(G, (s.occ_row, s.occ_tok), w)
        return (G.T @ s.Hp).ravel()


def run_flow(problem, kind, times, rtol, atol, method):
    """Integrate the flow; return (trajectory dict, seconds inside solve_ivp)."""
    model = Model(problem, kind)
    times = [float(t) for t in times]
    if any(not np.isfinite(t) or t < 0 for t in times):
        raise SystemExit("--times: every time must be finite and >= 0")
    grid = np.unique(times)                                     # sorted, distinct; mapped back below
    solve_seconds = 0.0
    if grid[-1] > 0:
        t0 = time.perf_counter()
        sol = solve_ivp(model.rhs, (0.0, grid[-1]), model.theta0, method=method, t_eval=grid, rtol=rtol, atol=atol)
        solve_seconds = time.perf_counter() - t0
        if not sol.success:
            raise SystemExit(f"solve_ivp failed: {sol.message}")
        thetas = sol.y.T
    else:
        thetas = model.theta0[None, :]
    at = np.searchsorted(grid, times)
    states = [thetas[i] for i in at]
    out = {
        "format": "imrm-trajectory/1",
        "model": kind,
        "times": times,
        "loss": [model.loss(th) for th in states],
        "margins": {name: np.array([model.margins(th, name) for th in states]).T.reshape(model.sets[name].n,
                                                                                        len(times)).tolist()
                    for name in model.sets},
        "solver": {"method": f"scipy {method}", "rtol": rtol, "atol": atol, "steps": model.nfev},
    }
    return out, solve_seconds


# ----------------------------------------------------------------------------------------------
# Self-test: closed forms for one training pair (docs/theory.md / issue), and a finite-difference check.

def newton_closed_form(c):
    """Solve m + e^m = c (c >= 1) by Newton from m = ln c, right of the root (f convex, increasing)."""
    m = np.log(c)
    for _ in range(200):
        step = (m + np.exp(m) - c) / (1.0 + np.exp(m))
        m -= step
        if abs(step) <= 1e-16 * (1.0 + abs(m)):
            break
    return m


def tiny_problem(rng, V, D, chosen, rejected, init):
    """One training pair on prompt 0, every needed prefix given a random representation."""
    prefixes = {tuple(y[:k]) for y in (chosen, rejected) for k in range(len(y) + 1)}
    hidden = [{"prompt": 0, "prefix": list(p), "h": rng.normal(size=D).tolist()} for p in sorted(prefixes)]
    return {"format": "imrm-problem/1", "vocabSize": V, "hiddenDim": D, "beta": 0.7, "reference": "init",
            "init": init, "hidden": hidden, "train": [{"prompt": 0, "chosen": chosen, "rejected": rejected}]}


def self_test(rtol, atol, method):
    rng = np.random.default_rng(20250710)
    V, D, ts = 5, 3, [0.1, 1.0, 10.0, 1000.0]
    worst = 0.0
    cases = [
        ("EX-RM, zero init", "ex", tiny_problem(rng, V, D, [1, 2], [3], {})),
        ("IM-RM, one token, zero init", "im", tiny_problem(rng, V, D, [1], [3], {})),
        ("IM-RM, one token, random U0", "im", tiny_problem(rng, V, D, [1], [3], {"U": rng.normal(size=(V, D)).tolist()})),
    ]
    for label, kind, prob in cases:
        model = Model(prob, kind)
        s = model.sets["train"]
        if kind == "ex":                                        # m + e^m = ||z||^2 t + 1
            K = float(s.Z[0] @ s.Z[0])
        else:                                                   # m + e^m = 2 beta^2 ||h(x)||^2 t + 1
            hx = model.H[0]                                     # prefix [] sorts first
            K = 2.0 * prob["beta"] ** 2 * float(hx @ hx)
        traj, _ = run_flow(prob, kind, ts, rtol, atol, method)
        errs = []
        for t, m in zip(ts, traj["margins"]["train"][0]):
            exact = newton_closed_form(K * t + 1.0)
            errs.append(abs(m - exact) / abs(exact))
        worst = max(worst, max(errs))
        print(f"{label:32s} rel. errors at t={ts}: " + ", ".join(f"{e:.2e}" for e in errs))

    # Multi-token IM-RM: analytic -grad L against central finite differences of L (not a closed form).
    prob = tiny_problem(rng, V, D, [1, 2, 0], [1, 4], {"U": rng.normal(size=(V, D)).tolist()})
    prob["train"].append({"prompt": 0, "chosen": [1, 4], "rejected": [1, 2, 0]})
    model = Model(prob, "im")
    theta = model.theta0 + rng.normal(size=model.theta0.shape)
    g, eps = model.rhs(0.0, theta), 1e-6
    fd = np.array([-(model.loss(theta + eps * e) - model.loss(theta - eps * e)) / (2 * eps)
                   for e in np.eye(theta.size)])
    fd_err = float(np.max(np.abs(g - fd)) / np.max(np.abs(g)))
    print(f"{'IM-RM, multi-token, grad vs FD':32s} rel. error {fd_err:.2e} (threshold 1e-6)")
    ok = worst <= 1e-8 and fd_err <= 1e-6
    print(f"self-test {'passed' if ok else 'FAILED'}: worst closed-form rel. error {worst:.2e} (threshold 1e-8)")
    return 0 if ok else 1


def main():
    start = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problem")
    ap.add_argument("--model", choices=["ex", "im"])
    ap.add_argument("--times", help="comma-separated gradient-flow times, e.g. 0,1,10,100")
    ap.add_argument("--rtol", type=float, default=1e-10)
    ap.add_argument("--atol", type=float, default=1e-12)
    ap.add_argument("--method", default="DOP853")
    ap.add_argument("--out")
    ap.add_argument("--timing", action="store_true", help="print wall times to stderr")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test(args.rtol, args.atol, args.method)
    if not (args.problem and args.model and args.times and args.out):
        ap.error("--problem, --model, --times and --out are required (or use --self-test)")
    with open(args.problem, encoding="utf-8") as f:
        problem = json.load(f)
    if problem.get("format") != "imrm-problem/1":
        raise SystemExit(f"{args.problem}: format must be 'imrm-problem/1'")
    if problem.get("reference") not in ("init", "none"):
        raise SystemExit(f"{args.problem}: reference must be 'init' or 'none'")
    times = [float(t) for t in args.times.split(",") if t.strip()]
    traj, solve_seconds = run_flow(problem, args.model, times, args.rtol, args.atol, args.method)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(traj, f, indent=1)
        f.write("\n")
    if args.timing:
        print(f"total {time.perf_counter() - start:.4f} s (after imports), solve_ivp {solve_seconds:.4f} s, "
              f"{traj['solver']['steps']} RHS evaluations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
