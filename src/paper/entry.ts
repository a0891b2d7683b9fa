/**
 * The paper map (`imrm paper`): one entry per result of the paper (Razin, Lin, Yao, Arora, arXiv 2507.07981) that the
 * toolkit reproduces, in the paper's own terms — its item ("Theorem 2 (IM-RM)", "Eq. 5", "Persona table, paraphrased
 * test", "real-world table, domain shift"), what the paper states or reports, the toolkit's number on its built-in
 * instance, the figure that shows it, and whether the qualitative outcome (a sign, an ordering, an exact zero) holds.
 */

/** What running an entry measures. */
export interface PaperOutcome {
  /** The toolkit's number(s) on its built-in instance, as printed (e.g. "EX-RM 0.81, IM-RM 0.50"). */
  ours: string;
  /** Whether the qualitative outcome the paper reports holds on that instance. */
  pass: boolean;
}

export interface PaperEntry {
  /** The paper's name for the result, e.g. "Theorem 1", "Eq. 5", "real-world table, domain shift". */
  item: string;
  /** The paper's statement or number, e.g. "EX-RM 0.621 < IM-RM 0.720". */
  paper: string;
  /** Name of the figure (under `figures/`) that shows it, or "" when none does. */
  figure: string;
  /** Runs the toolkit's built-in instance; seeded, deterministic. */
  run(): PaperOutcome | Promise<PaperOutcome>;
}

/** One row of the table `imrm paper` prints (JSON format `imrm-paper/1`). */
export interface PaperRow extends PaperOutcome {
  item: string;
  paper: string;
  figure: string;
}
