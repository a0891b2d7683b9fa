import { describe, expect, it } from 'vitest';
import { hamiltonianMessages, message } from '../../src/index.js';
import { integerRangeText } from '../../src/cli/common.js';
import { runCli } from '../helpers/cli.js';

const SMALL = ['--vertices', '6', '--train-graphs', '20', '--test-graphs', '10'];

describe('imrm hamiltonian', { timeout: 120_000 }, () => {
  it('--json prints imrm-hamiltonian-results/1 with every series aligned with times; same seed, same numbers', () => {
    const r = runCli(['hamiltonian', ...SMALL, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('imrm-hamiltonian-results/1');
    expect(j.representation).toBe('features');
    expect(j.times).toHaveLength(11);
    for (const key of ['trainAccuracy', 'testAccuracy', 'generationProbability', 'expectedCorrect']) expect(j[key]).toHaveLength(11);
    const again = JSON.parse(runCli(['hamiltonian', ...SMALL, '--json']).stdout);
    expect({ ...again, seconds: 0 }).toEqual({ ...j, seconds: 0 });
  });

  it('one-hot: test accuracy ½ at every time (all ties); Adam: times are steps × η', () => {
    const oneHot = JSON.parse(runCli(['hamiltonian', ...SMALL, '--representation', 'one-hot', '--json']).stdout);
    expect(oneHot.testAccuracy.every((a: number) => a === 0.5)).toBe(true);
    const adam = JSON.parse(runCli(['hamiltonian', ...SMALL, '--method', 'adam', '--lr', '0.1', '--json']).stdout);
    expect(adam.times).toEqual([1, 2, 5, 10, 20, 50, 100].map((s) => s * 0.1));
  });

  it('prints a table by default; bad options exit 2 with the catalogue message', () => {
    const r = runCli(['hamiltonian', ...SMALL, '--times', '0.1,1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mean π_θ(C|x)');
    expect(r.stdout).toContain('expected cycles in 10 samples');
    const bad = runCli(['hamiltonian', '--vertices', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(message.badOption('--vertices', '3', integerRangeText(4, 16)));
    const complete = runCli(['hamiltonian', '--vertices', '5', '--edge-prob', '1']);
    expect(complete.code).toBe(2);
    expect(complete.stderr).toContain(hamiltonianMessages.onlyCycles(5, 1, 1000));
    expect(runCli(['hamiltonian', '--representation', 'tabular']).code).toBe(2);
  });
});
