/**
 * Issue 12's hostile inputs that one number or one path drives, through the built CLI: each is exit 2 with one
 * message from the catalogue naming the file or option and the field, no stack trace, no output and no temporary
 * file (`expectRefused`). The library-level checks are in `budget.test.ts`, `files.test.ts`, `problemNpy.test.ts`
 * and `hiddenImport.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliMessages, makeProblem, memoryBudget, message, writeProblem } from '../../src/index.js';
import { MAX_TIMES } from '../../src/cli/common.js';
import { getCell } from '../../src/sweep/registry.js';
import '../../src/probes/cells.js';
import { CLI } from '../helpers/cli.js';
import { expectRefused, listFiles, problemEstimate, tinyProblem } from './hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'imrm-hostile-'));
const fifo = join(dir, 'fifo');
expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
const tiny = tinyProblem;
writeFileSync(join(dir, 'v1e9.json'), JSON.stringify(tiny(1e9)));
writeFileSync(join(dir, 'v1e15.json'), JSON.stringify(tiny(1e15)));
writeFileSync(join(dir, 'v1e5.json'), JSON.stringify(tiny(1e5)));
writeProblem(join(dir, 'ok.json'), makeProblem('single-token', { seed: 0, vocab: 40, dim: 4, pairs: 3 }));
const budgetText = (what: string) => `${what} would need about`;

describe('hostile inputs through the CLI: exit 2, one message, nothing written', { timeout: 120_000 }, () => {
  it('make-problem: --kind tabular --length 30, --vocab 1e9, --dim 1e9, --pairs 1e7', () => {
    const mp = (...opts: string[]) => ['make-problem', '--seed', '0', '--out', 'p.json', ...opts];
    expectRefused(mp('--kind', 'tabular', '--length', '30'), dir, budgetText('--length: a tabular problem of --length 30 (with --vocab 4, --pairs 12)'));
    expectRefused(mp('--kind', 'single-token', '--vocab', '1000000000'), dir, budgetText('--vocab: a single-token problem of --vocab 1000000000 (with --pairs 64, --dim 128)'));
    expectRefused(mp('--kind', 'single-token', '--dim', '1000000000'), dir, budgetText('--dim: a single-token problem of --dim 1000000000 (with --vocab 1000, --pairs 64)'));
    expectRefused(mp('--kind', 'single-token', '--pairs', '10000000'), dir, budgetText('--pairs: a single-token problem of --pairs 10000000 (with --vocab 1000, --dim 128)'));
  });

  it('flow: vocabSize 1e9 and 1e15 with tiny data, --times logspace:0:3:1e7', () => {
    const flow = (problem: string, times = '0,1') => ['flow', '--problem', problem, '--model', 'im', '--times', times, '--out', 't.json'];
    for (const [file, V] of [['v1e9.json', 1e9], ['v1e15.json', 1e15]] as const) {
      expectRefused(flow(file), dir, message.overBudget(file, 'vocabSize', `|V| = ${V} tokens × D = 2 (with 3 hidden vectors)`, problemEstimate(V, 2, 3), memoryBudget()));
    }
    // the command line refuses first, at its own limit (the library's, 10^6 times, guards API callers)
    expectRefused(flow('ok.json', 'logspace:0:3:1e7'), dir, message.badTimes('--times', 'logspace:0:3:1e7', cliMessages.tooManyTimes(1e7, MAX_TIMES)));
  });

  it('flow: /dev/zero, a FIFO, a folder as --problem (read only if regular: never read forever, never waited on)', () => {
    for (const [file, kind] of [['/dev/zero', 'character device'], [fifo, 'FIFO'], [dir, 'directory']]) {
      expectRefused(['flow', '--problem', file!, '--model', 'ex', '--times', '1', '--out', 't.json'], dir, message.notRegularFile(file!, kind!), { timeout: 20_000 });
    }
  });

  it('sweep: /dev/zero or a FIFO as the sweep file', () => {
    for (const [file, kind] of [['/dev/zero', 'character device'], [fifo, 'FIFO']]) {
      expectRefused(['sweep', file!, '--out', 'r.jsonl', '--progress', 'none'], dir, message.notRegularFile(file!, kind!), { timeout: 20_000 });
    }
  });

  // The budget check sits in the probe cell's option resolution (budget.test.ts); the sweep reports it as an input
  // error before any worker starts once the cell declares a parameter schema that resolves the options.
  it.skipIf(!getCell('probe')?.paramsSchema)('sweep: fixed.vocab 1e9 refused before any run, no result file', () => {
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ format: 'imrm-sweep/1', name: 'big', cell: 'probe', fixed: { kind: 'one-token', vocab: 1e9, horizon: 10 }, grid: { rho: [0.5] }, seeds: { from: 0, count: 1 } }));
    expectRefused(['sweep', 'big.json', '--out', 'r.jsonl', '--progress', 'none'], dir, 'probe: vocab: a one-token probe problem of vocab 1000000000 (with dim 32, pairs 32) would need about');
  });

  it('--max-memory lowers the budget (the field and size named); a malformed size is an error, in the option or the environment', () => {
    const flow = ['flow', '--problem', 'v1e5.json', '--model', 'ex', '--times', '1', '--out', 't.json'];
    expectRefused([...flow, '--max-memory', '1M'], dir, message.overBudget('v1e5.json', 'vocabSize', '|V| = 100000 tokens × D = 2 (with 3 hidden vectors)', problemEstimate(1e5, 2, 3), 1024 ** 2));
    expectRefused([...flow, '--max-memory', 'lots'], dir, message.badMemorySize('--max-memory', 'lots'));
    const before = listFiles(dir);
    const env = spawnSync(process.execPath, [CLI, ...flow], { cwd: dir, encoding: 'utf8', env: { ...process.env, IMRM_MAX_MEMORY: '12 parsecs' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain(message.badMemorySize('IMRM_MAX_MEMORY', '12 parsecs'));
    expect(listFiles(dir)).toEqual(before);
    expect(spawnSync(process.execPath, [CLI, ...flow, '--max-memory', '1G', '--quiet'], { cwd: dir }).status).toBe(0);
  });
});
