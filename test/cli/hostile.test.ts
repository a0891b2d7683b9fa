/**
 * Hostile command lines (issue 12): every case exits 2 with exactly one line, the catalogue's message naming the option
 * (or file) and the field — no stack trace — and writes nothing. Run in this process through `main` (fast); the
 * sweep and merge cases, and a few of the others, run the built CLI as a process (`sweepHostile.test.ts`).
 * The table of cases, codes and messages is printed, for the record.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integerRangeText, rangeText } from '../../src/cli/common.js';
import { FLOW_DEFAULTS } from '../../src/cli/flow.js';
import { FIGURES, cliMessages, makeProblem, message, problemFileText, writeNpy } from '../../src/index.js';
import { runMain, type CliResult } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'imrm-hostile-'));
const at = (name: string): string => join(dir, name);
const P = at('p.json');
const record: [string, number, string][] = [];

beforeAll(() => {
  writeFileSync(P, problemFileText(makeProblem('single-token', { seed: 3, vocab: 60, dim: 8, pairs: 6 })));
  mkdirSync(at('d'));
  symlinkSync(P, at('link-to-p.json'));
  writeFileSync(at('hidden.npy'), writeNpy(Float64Array.from([1, 0, 0.5, 0.5, 0, 1]), [3, 2], { dtype: '<f8' }));
  const prefixes = [{ prompt: 0, prefix: [] }, { prompt: 0, prefix: [1] }, { prompt: 0, prefix: [2] }];
  writeFileSync(at('index.json'), JSON.stringify({ format: 'imrm-hidden-index/1', vocabSize: 3, beta: 1, reference: 'init', prefixes, train: [{ prompt: 0, chosen: [1], rejected: [2] }] }));
  // a problem with an eval set named __proto__ (JSON.parse makes it an own key; an object would swallow it)
  writeFileSync(at('proto.json'), readFileSync(P, 'utf8').replace('"eval": {', '"eval": {\n    "__proto__": [],'));
  // a problem with one Latin-1 byte: "é" as 0xE9 in a set name on line 3 or later
  const text = readFileSync(P, 'utf8').replace('"paraphrase"', '"paraphras?"');
  const bytes = Buffer.from(text, 'latin1');
  bytes[text.indexOf('?')] = 0xe9;
  writeFileSync(at('latin1.json'), bytes);
});
afterAll(() => {
  const width = Math.max(...record.map((r) => r[0].length));
  console.log(`hostile command lines (${record.length}):\n${record.map(([c, code, m]) => `${c.padEnd(width)}  exit ${code}  ${m}`).join('\n')}`);
});

/** Runs a case, records it, and checks the contract: exit 2, stderr exactly `imrm: <expected>`, nothing on stdout. */
async function refuses(args: string[], expected: string, written: string[] = []): Promise<CliResult> {
  const r = await runMain(args);
  record.push([args.map((a) => (a.startsWith(dir) ? a.slice(dir.length + 1) : a === '' ? "''" : a)).join(' '), r.code, r.stderr.trim()]);
  expect(r.stderr).toBe(`imrm: ${expected}\n`);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  for (const f of written) expect(existsSync(f), `${f} must not be written`).toBe(false);
  return r;
}
const flow = (...args: string[]): string[] => ['flow', '--problem', P, '--model', 'ex', '--quiet', ...args];

describe('imrm flow: strict options', { timeout: 60_000 }, () => {
  it('numbers are decimal only: --times 0x10 is an error, not 16', async () => {
    await refuses(flow('--times', '0x10'), message.badTimes('--times', '0x10', cliMessages.timeNotDecimal(1, '0x10')));
    await refuses(flow('--times', '0,1,1e1,0b11'), message.badTimes('--times', '0,1,1e1,0b11', cliMessages.timeNotDecimal(4, '0b11')));
    await refuses(flow('--times', 'logspace:0:0x3:4'), message.badTimes('--times', 'logspace:0:0x3:4', cliMessages.logspaceNotDecimal()));
    await refuses(flow('--times', 'logspace:0:3:2.5'), message.badTimes('--times', 'logspace:0:3:2.5', cliMessages.logspaceNotDecimal()));
    await refuses(flow('--times', '1', '--max-steps', '0x10'), message.badOption('--max-steps', '0x10', integerRangeText(1)));
    await refuses(flow('--times', '1', '--max-steps', '1.5'), message.badOption('--max-steps', '1.5', integerRangeText(1)));
  });

  it('tolerances in (0, 1): --rtol 1e10 --atol 1e10 no longer run to a silently wrong loss', async () => {
    for (const [option, value] of [['--rtol', '1e10'], ['--atol', '1e10'], ['--rtol', '0'], ['--atol', '-1e-10'], ['--rtol', 'NaN'], ['--atol', '']] as const) {
      await refuses(flow('--times', '1', option, value), message.badOption(option, value, rangeText({ gt: 0, lt: 1 })));
    }
  });

  it('--out: not empty, not a directory, not under a file, not the problem (nor a link to it)', async () => {
    const before = readFileSync(P);
    await refuses(flow('--times', '1', '--out', ''), cliMessages.emptyPath('--out'));
    await refuses(flow('--times', '1', '--out', at('d')), cliMessages.outIsDirectory('--out', at('d')));
    await refuses(flow('--times', '1', '--out', join(P, 'x.json')), cliMessages.outUnderFile('--out', join(P, 'x.json'), P), [join(P, 'x.json')]);
    await refuses(flow('--times', '1', '--out', join(P, 'a', 'b.json')), cliMessages.outUnderFile('--out', join(P, 'a', 'b.json'), P));
    await refuses(flow('--times', '1', '--out', P), cliMessages.outIsInput('--out', P, `--problem ${P}`));
    await refuses(flow('--times', '1', '--out', at('link-to-p.json')), cliMessages.outIsInput('--out', at('link-to-p.json'), `--problem ${P}`));
    expect(readFileSync(P).equals(before)).toBe(true);
  });

  it('gd and adam honour --max-steps: --lr 1e-12 is refused at once, naming both, instead of hanging', async () => {
    await refuses(flow('--times', '0,1', '--method', 'gd', '--lr', '1e-12'), cliMessages.tooManySteps('gd', 1, 1e-12, 1e12, Number(FLOW_DEFAULTS.maxSteps)));
    await refuses(flow('--times', '10', '--method', 'adam', '--lr', '0.1', '--max-steps', '99'), cliMessages.tooManySteps('adam', 10, 0.1, 100, 99));
    const ok = await runMain(flow('--times', '10', '--method', 'adam', '--lr', '0.1', '--max-steps', '100'));
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an option given for a method it does not apply to is an error (--lr with flow; --rtol, --atol, --form with gd or adam)', async () => {
    await refuses(flow('--times', '1', '--lr', '0.5'), cliMessages.notForMethod('--lr', 'flow', 'gd or adam'));
    await refuses(flow('--times', '1', '--method', 'flow', '--lr', '0.1'), cliMessages.notForMethod('--lr', 'flow', 'gd or adam'));
    await refuses(flow('--times', '1', '--method', 'adam', '--rtol', '1e-6'), cliMessages.notForMethod('--rtol', 'adam', 'flow'));
    await refuses(flow('--times', '1', '--method', 'gd', '--atol', '1e-6'), cliMessages.notForMethod('--atol', 'gd', 'flow'));
    await refuses(flow('--times', '1', '--method', 'gd', '--form', 'parameter'), cliMessages.notForMethod('--form', 'gd', 'flow'));
    await refuses(flow('--times', '1', '--lr', 'Infinity', '--method', 'gd'), message.badOption('--lr', 'Infinity', rangeText({ gt: 0 })));
  });

  it('problem files: an eval set named __proto__ is refused (it vanished from the trajectory); bytes that are not UTF-8 are refused', async () => {
    const out = at('t-proto.json');
    await refuses(['flow', '--problem', at('proto.json'), '--model', 'ex', '--times', '1', '--out', out], message.reservedKey(at('proto.json'), 'eval["__proto__"]'), [out]);
    const text = readFileSync(at('latin1.json'), 'latin1');
    const offset = text.indexOf('\u00e9');
    const line = text.slice(0, offset).split('\n').length;
    const column = offset - text.lastIndexOf('\n', offset - 1);
    await refuses(['flow', '--problem', at('latin1.json'), '--model', 'ex', '--times', '1'], message.notUtf8(at('latin1.json'), line, column, offset));
  });
});

describe('the other commands: seeds, paths, names', { timeout: 60_000 }, () => {
  it('make-problem: seeds are safe integers (two seeds can no longer give byte-identical files), decimal only', async () => {
    const out = at('mp.json');
    const mp = (...args: string[]) => ['make-problem', '--kind', 'single-token', '--out', out, ...args];
    for (const seed of ['9007199254740993', '9007199254740992', '0x10', '1e400', '-1', '1.5', '']) {
      await refuses(mp('--seed', seed), message.badOption('--seed', seed, integerRangeText(0)), [out]);
    }
    await refuses(mp('--seed', '1', '--vocab', '0x40'), message.badOption('--vocab', '0x40', integerRangeText(2)), [out]);
    await refuses(mp('--seed', '1', '--rho', '1.5'), message.badOption('--rho', '1.5', rangeText({ ge: -1, le: 1 })), [out]);
    await refuses(['make-problem', '--kind', 'single-token', '--seed', '1', '--out', ''], cliMessages.emptyPath('--out'));
    await refuses(['make-problem', '--kind', 'single-token', '--seed', '1', '--out', at('d')], cliMessages.outIsDirectory('--out', at('d')));
    await refuses(['demo', '--seed', 'abc'], message.badOption('--seed', 'abc', integerRangeText(0)));
  });

  it('make-problem prints a one-line summary; the largest safe seed works', async () => {
    const out = at('max-seed.json');
    const r = await runMain(['make-problem', '--kind', 'single-token', '--vocab', '60', '--dim', '8', '--pairs', '6', '--seed', String(Number.MAX_SAFE_INTEGER), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`${out}: single-token, |V| = 60, D = 8, 6 train pair(s), eval: paraphrase 6, overlap 6\n`);
  });

  it('import-hidden: --out may not be the index or the .npy it reads', async () => {
    const before = readFileSync(at('index.json'));
    await refuses(['import-hidden', '--index', at('index.json'), '--out', at('index.json')], cliMessages.outIsInput('--out', at('index.json'), `--index ${at('index.json')}`));
    await refuses(['import-hidden', '--index', at('index.json'), '--hidden', at('hidden.npy'), '--out', at('hidden.npy')], cliMessages.outIsInput('--out', at('hidden.npy'), `--hidden ${at('hidden.npy')}`));
    expect(readFileSync(at('index.json')).equals(before)).toBe(true);
  });

  it('figures --only nope lists the known figures; --out may not be a file', async () => {
    const names = FIGURES.map((f) => f.name);
    await refuses(['figures', '--only', 'nope', '--out', at('figs')], cliMessages.unknownFigures('--only', ['nope'], names), [at('figs')]);
    await refuses(['figures', '--only', `${names[0]},nope,alsonot`, '--out', at('figs')], cliMessages.unknownFigures('--only', ['nope', 'alsonot'], names), [at('figs')]);
    await refuses(['figures', '--only', names[0]!, '--out', P], cliMessages.outNotDirectory('--out', P));
  });

  it('check: --seeds and --claims', async () => {
    await refuses(['check', '--seeds', '0x10'], message.badOption('--seeds', '0x10', integerRangeText(1)));
    await refuses(['check', '--claims', '1,9'], cliMessages.unknownClaims('--claims', '1,9', ['1', '2', '3', '4', '5', '6']));
  });
});
