import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { message, REWARD_MODEL } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

describe('imrm CLI', { timeout: 300_000 }, () => {
  it('same seed ⇒ byte-identical problem and trajectory files; different seed ⇒ different', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-cli-'));
    for (const kind of ['single-token', 'multi-token', 'tabular']) {
      const args = (out: string, seed: string) => ['make-problem', '--kind', kind, '--seed', seed, '--vocab', kind === 'tabular' ? '4' : '120', '--dim', '16', '--pairs', '8', '--out', out];
      expect(runCli(args('a.json', '7'), { cwd: dir }).code).toBe(0);
      expect(runCli(args('b.json', '7'), { cwd: dir }).code).toBe(0);
      expect(runCli(args('c.json', '8'), { cwd: dir }).code).toBe(0);
      const a = readFileSync(join(dir, 'a.json'));
      expect(readFileSync(join(dir, 'b.json')).equals(a)).toBe(true);
      expect(readFileSync(join(dir, 'c.json')).equals(a)).toBe(false);
      for (const model of ['ex', 'im']) {
        for (const out of ['t1.json', 't2.json']) {
          const r = runCli(['flow', '--problem', 'a.json', '--model', model, '--times', 'logspace:-1:2:4', '--out', out, '--quiet'], { cwd: dir });
          expect(r.code).toBe(0);
        }
        expect(readFileSync(join(dir, 't1.json')).equals(readFileSync(join(dir, 't2.json')))).toBe(true);
      }
    }
  });

  it('flow prints the margins table; --help works for every command; bad options exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-cli-'));
    expect(runCli(['make-problem', '--kind', 'single-token', '--seed', '1', '--vocab', '100', '--dim', '8', '--pairs', '6', '--out', 'p.json'], { cwd: dir }).code).toBe(0);
    const r = runCli(['flow', '--problem', 'p.json', '--model', 'ex', '--times', '0,10'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/set\s+t\s+loss\s+mean margin\s+norm\. margin\s+accuracy\s+ties/);
    for (const cmd of ['flow', 'make-problem']) {
      const h = runCli([cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('Usage: imrm ' + cmd);
    }
    expect(runCli(['--help']).code).toBe(0);
    const bad = runCli(['flow', '--problem', 'p.json', '--model', 'xx', '--times', '1'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`imrm: ${message.badOption('--model', 'xx', `one of ${Object.keys(REWARD_MODEL).join(', ')}`)}
`);
    expect(runCli(['flow', '--problem', 'p.json', '--model', 'ex', '--times', '3,-1'], { cwd: dir }).code).toBe(2);
    expect(runCli(['flow', '--problem', 'p.json', '--model', 'ex', '--times', '1', '--rtol', '-1'], { cwd: dir }).code).toBe(2);
    expect(runCli(['make-problem', '--kind', 'nope', '--seed', '1', '--out', 'x.json'], { cwd: dir }).code).toBe(2);
    expect(runCli(['no-such-command']).code).toBe(2);
    expect(runCli(['flow']).code).toBe(2); // missing required options
  });
});
