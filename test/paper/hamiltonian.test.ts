import { describe, expect, it } from 'vitest';
import { hamiltonianPaperEntry } from '../../src/paper/entries.js';
import { FIGURES } from '../../src/figures/definitions.js';

describe('the paper-map entry', { timeout: 120_000 }, () => {
  it("names the paper's result and an existing figure, and passes on the built-in instance (paper sizes, seed 0)", async () => {
    expect(hamiltonianPaperEntry.item).toBe('Hamiltonian cycles (verification vs generation)');
    expect(FIGURES.map((f) => f.name)).toContain(hamiltonianPaperEntry.figure);
    const outcome = await hamiltonianPaperEntry.run();
    expect(outcome.pass).toBe(true);
    expect(outcome.ours).toMatch(/^test accuracy 1\.000, mean π_θ\(C\|x\) \d\.\de-\d .* at t = 100$/);
  });
});
