/**
 * Issue 13's rough edges of the command line: `--version`, help texts (defaults shown one way, required options
 * marked), `imrm check` within 100 columns, a progress bar for long `flow` runs on a terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CHECK_TABLE_WIDTH, checkTable } from '../../src/cli/check.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { displayWidth, wrap } from '../../src/cli/common.js';
import { buildProgram } from '../../src/cli/program.js';
import { progressFraction, timeProgress } from '../../src/cli/progress.js';
import type { CheckRow } from '../../src/index.js';
import { CLI, runCli } from '../helpers/cli.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('imrm --version and help texts', { timeout: 60_000 }, () => {
  it('--version prints the package version', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect([r.code, r.stdout]).toEqual([0, `${packageJson.version}\n`]);
    }
  });

  it('every command: defaults shown one way, "(default: X)", and required options marked "(required)"', async () => {
    for (const { name } of COMMANDS) {
      const program = await buildProgram([name]);
      const cmd = program.commands.find((c) => c.name() === name)!;
      expect(cmd.options.length, name).toBeGreaterThan(0);
      for (const o of cmd.options) {
        expect(o.defaultValue, `${name} ${o.flags}: no commander default (the action applies it, knowing what was given)`).toBeUndefined();
        if (o.mandatory) expect(o.description, `${name} ${o.flags}`).toMatch(/ \(required\)$/);
        expect(o.description, `${name} ${o.flags}`).not.toMatch(/\(default [^:]|default: "|\(required\).*\(default/);
      }
      const help = cmd.helpInformation();
      expect(help, name).not.toMatch(/\(default [^:]|default: "/);
    }
  });

  it('top-level help lists every command without importing any of them', async () => {
    const program = await buildProgram([]);
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
  });
});

describe('imrm check fits 100 columns', { timeout: 180_000 }, () => {
  const row = (claim: string, statement: string, name: string, worst: number): CheckRow => ({ claim, statement, name, worst, tolerance: 1e-6, bound: 'upper', pass: worst <= 1e-6, seeds: 1 });
  /** Lines as a terminal shows them, and as a program counting characters (code points) sees them. */
  const fits = (text: string): void => {
    for (const line of text.split('\n')) {
      expect(displayWidth(line), line).toBeLessThanOrEqual(CHECK_TABLE_WIDTH);
      expect([...line].length, line).toBeLessThanOrEqual(CHECK_TABLE_WIDTH);
    }
  };

  it('the real table, every claim, one seed', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', '--seeds', '1'], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    const table = r.stdout.split('\n\n')[0]!;
    expect(table.split('\n').length).toBeGreaterThan(60);
    fits(r.stdout);
  });

  it('long statements and names wrap without losing a word; a word longer than a line is cut; numbers stay aligned', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const rows = [row('1', `statement z̄ ${long}`, `measurement ${long} ${'x'.repeat(150)}`, 1e-9), row('1', `statement z̄ ${long}`, 'short', 2e-7)];
    const text = checkTable(rows);
    fits(text);
    const words = text.split(/\s+/);
    for (let i = 0; i < 40; i++) expect(words.filter((w) => w === `word${i}`)).toHaveLength(2); // statement once, name once
    const verdicts = text.split('\n').filter((l) => l.endsWith('PASS'));
    expect(verdicts).toHaveLength(2);
    expect(new Set(verdicts.map((l) => displayWidth(l))).size).toBe(1); // right-aligned to one column
  });

  it('wrap', () => {
    expect(wrap('a bb ccc dddd', 6, 2)).toEqual(['a bb', '  ccc', '  dddd']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 10)).toEqual(['']);
    expect(() => wrap('x', 2, 2)).toThrow(RangeError);
  });
});

describe('a progress bar for long flow runs, on a terminal only', { timeout: 120_000 }, () => {
  it('fills in log time for the flow and in time for gd and adam', () => {
    expect(progressFraction('flow', Math.expm1(Math.log1p(1e6) / 2), 1e6)).toBeCloseTo(0.5, 12);
    expect(progressFraction('gd', 250, 1000)).toBe(0.25);
    expect(progressFraction('adam', 2000, 1000)).toBe(1);
    expect(progressFraction('flow', 5, 0)).toBe(1);
  });

  it('nothing when stderr is not a terminal; a bar after the delay when it is', async () => {
    const written: string[] = [];
    const fake = Object.assign(new Writable({ write: (chunk, _enc, done) => (written.push(String(chunk)), done()) }), {
      isTTY: true,
      columns: 100,
      cursorTo: (_x: number, _y?: unknown, cb?: () => void) => (cb?.(), true),
      clearLine: (_d: number, cb?: () => void) => (cb?.(), true),
      moveCursor: (_dx: number, _dy: number, cb?: () => void) => (cb?.(), true),
    }) as unknown as NodeJS.WriteStream;
    expect(await timeProgress({ isTTY: false } as NodeJS.WriteStream, 'flow', 100)).toBeUndefined();
    const quick = await timeProgress(fake, 'gd', 100, 10_000);
    quick!.update(50, 100);
    quick!.stop();
    expect(written.join('')).toBe(''); // a run shorter than the delay prints nothing
    const slow = (await timeProgress(fake, 'gd', 100, 0))!;
    slow.update(50, 100);
    slow.update(100, 100);
    slow.stop();
    expect(written.join('')).toMatch(/gd \[.*\] 50% \| t = 50 of 100/);
  });

  it('end to end: gd with 5·10^4 steps on a terminal (through `script`) shows the bar on stderr', () => {
    const has = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (has.status !== 0) return; // util-linux's script is not installed: nothing to drive a terminal with
    const dir = mkdtempSync(join(tmpdir(), 'imrm-progress-'));
    const p = join(dir, 'p.json');
    expect(runCli(['make-problem', '--kind', 'multi-token', '--seed', '1', '--vocab', '100', '--dim', '16', '--pairs', '8', '--length', '3', '--out', p]).code).toBe(0);
    const command = [process.execPath, CLI, 'flow', '--problem', p, '--model', 'im', '--times', '0,5000', '--method', 'gd', '--lr', '0.1', '--quiet'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 110_000, env: { ...process.env, COLUMNS: '120' } });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/gd \[[=-]+\] \d+% \| t = [\d.e+]+ of 5000/);
  });
});
