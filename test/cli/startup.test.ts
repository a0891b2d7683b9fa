/**
 * Start-up (issue 11): a command loads only what it needs. `imrm flow` and the other light commands import the light
 * library entry `src/core.ts`, never zod, ml-matrix, quadprog, mathjs, Vega, resvg, ajv, the theory checks, the
 * figures, the sweep runner or the persona data; and `src/core.ts` is no second public surface: each of its names is
 * exported by `src/index.ts` as the same binding. What a process loads is recorded by a module-loading hook
 * (`test/helpers/loadLog.mjs`), so dynamic imports count too. (Timings are benchmarks, not tests: see README.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core.js';
import * as library from '../../src/index.js';
import { CLI, runCli } from '../helpers/cli.js';

const HOOK = fileURLToPath(new URL('../helpers/loadLog.mjs', import.meta.url));
/** What a light command must not load: heavy packages, and the library's heavy layers. */
const HEAVY = [
  /node_modules\/(zod|ml-matrix|quadprog|mathjs|vega|vega-lite|vega-[a-z-]+|@resvg|ajv|cli-progress)\//,
  /\/dist\/(theory|sweep|figures\/(definitions|registry|render|files|schema)|probes\/(persona|probeCell|cells|checks|claim5Probes))/,
  /\/dist\/index\.js$/,
  /\.json$/,
];

/** The modules `imrm <args>` loads, as URLs. */
function loaded(args: string[], cwd: string): string[] {
  const log = join(cwd, `load-${args[0]}.log`);
  const r = spawnSync(process.execPath, ['--import', HOOK, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, IMRM_LOAD_LOG: log }, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

describe('start-up', { timeout: 120_000 }, () => {
  it('src/core.ts is a subset of src/index.ts: every name, the same binding', () => {
    const names = Object.keys(core);
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) expect((library as Record<string, unknown>)[name], name).toBe((core as Record<string, unknown>)[name]);
  });

  it('flow, make-problem, demo, --version and --help load nothing heavy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-startup-'));
    expect(runCli(['make-problem', '--kind', 'single-token', '--seed', '1', '--vocab', '60', '--dim', '8', '--pairs', '6', '--out', 'p.json'], { cwd: dir }).code).toBe(0);
    for (const args of [
      ['flow', '--problem', 'p.json', '--model', 'im', '--times', '0,1,10', '--out', 't.json'],
      ['make-problem', '--kind', 'multi-token', '--seed', '2', '--vocab', '100', '--dim', '8', '--pairs', '4', '--out', 'q.json'],
      ['demo'],
      ['--version'],
      ['--help'],
    ]) {
      const urls = loaded(args, dir);
      expect(urls.some((u) => u.endsWith('/dist/cli/main.js')), args[0]).toBe(true);
      const heavy = urls.filter((u) => HEAVY.some((h) => h.test(u)));
      expect(heavy, `imrm ${args.join(' ')}`).toEqual([]);
    }
  });

  it('the heavy commands do load what they need (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imrm-startup-'));
    const urls = loaded(['check', '--claims', '2', '--seeds', '1', '--json'], dir);
    expect(urls.some((u) => /\/dist\/theory\//.test(u))).toBe(true);
    expect(urls.some((u) => /\/dist\/index\.js$/.test(u))).toBe(true);
  });
});
