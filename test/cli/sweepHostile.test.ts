/**
 * Hostile sweeps and merges through the built CLI (processes, with real worker threads): every bad sweep file exits 2
 * before any worker starts, with the catalogue's message and no stack trace, leaving no `.jsonl` and no lock; a second
 * writer on one `--out` is refused naming the first one's pid; a lock left by `kill -9` is taken over; merge errors on
 * a missing shard and warns with a count on torn lines.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { integerRangeText } from '../../src/cli/common.js';
import { cliMessages, message, sweepMessages } from '../../src/index.js';
import { PROBE_CELL_PARAMS } from '../../src/probes/cells.js';
import { lockFileOf, readOwner } from '../../src/sweep/lock.js';
import { MAX_NESTING } from '../../src/sweep/json.js';
import { CLI, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'imrm-sweep-hostile-'));
const record: [string, number, string][] = [];
afterAll(() => {
  console.log(`hostile sweeps and merges (${record.length}):\n${record.map(([c, code, m]) => `${c}  exit ${code}  ${m}`).join('\n')}`);
});

const base = { format: 'imrm-sweep/1', name: 'h', cell: 'probe', seeds: { from: 0, count: 2 } };
const small = { kind: 'one-token', vocab: 60, dim: 8, pairs: 8, horizon: 100 };
const known = Object.keys(PROBE_CELL_PARAMS.shape).sort();

/** Writes a sweep file (JSON text as given), runs it, and checks: exit 2, exactly `imrm: <expected>`, no output, no lock. */
function refuses(name: string, text: string, expected: string, extra: string[] = []): void {
  const file = join(dir, `${name}.json`);
  const out = join(dir, `${name}.jsonl`);
  writeFileSync(file, text);
  const r = runCli(['sweep', file, '--out', out, '--progress', 'none', ...extra], { cwd: dir });
  record.push([`sweep ${name}.json ${extra.join(' ')}`.trim(), r.code, r.stderr.trim()]);
  expect(r.stderr).toBe(`imrm: ${expected}\n`);
  expect(r.code).toBe(2);
  expect(existsSync(out), 'no .jsonl').toBe(false);
  expect(existsSync(lockFileOf(out)), 'no lock').toBe(false);
}
const sweepText = (o: object): string => JSON.stringify({ ...base, ...o });

describe('imrm sweep: the whole file is validated against the cell before any work', { timeout: 120_000 }, () => {
  it('unknown parameters, with "did you mean"', () => {
    const file = join(dir, 'typo.json');
    refuses('typo', sweepText({ fixed: { ...small, horizon: undefined, horizn: 100 }, grid: { rhoo: [0, 0.9] } }), [
      sweepMessages.unknownParam(file, 'fixed.horizn', 'probe', 'horizon', known),
      sweepMessages.unknownParam(file, 'grid.rhoo', 'probe', 'rho', known),
    ].join('\n'));
  });

  it('bad values ("vocab": "abc", "kind": "foo", a negative horizon) exit 2 before any worker, leaving no 0-byte .jsonl', () => {
    const file = join(dir, 'values.json');
    refuses('values', sweepText({ fixed: { ...small, kind: 'foo', vocab: 'abc', horizon: -5 }, grid: { rho: [0, 0.9] } }), [
      sweepMessages.badParams(file, 'fixed.kind', 'probe', sweepMessages.paramNotOneOf(['one-token', 'multi-token'], '"foo"')),
      sweepMessages.badParams(file, 'fixed.vocab', 'probe', sweepMessages.paramWrongType('a number', '"abc"')),
      sweepMessages.badParams(file, 'fixed.horizon', 'probe', sweepMessages.paramOutOfRange('>=', '0', '-5')),
    ].join('\n'));
  });

  it('a 50 000-deep array, a __proto__ grid key, bytes that are not UTF-8', () => {
    const deep = `{"format":"imrm-sweep/1","name":"h","cell":"probe","seeds":[0],"fixed":{"kind":"one-token"},"grid":{"rho":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}}`;
    refuses('deep', deep, sweepMessages.tooDeep(join(dir, 'deep.json'), 'grid.rho', MAX_NESTING));
    const proto = sweepText({ fixed: small }).replace('"fixed":{', '"grid":{"__proto__":[1,2]},"fixed":{');
    refuses('proto', proto, message.reservedKey(join(dir, 'proto.json'), 'grid.__proto__'));
    const latin = sweepText({ name: 'caf\u00e9', fixed: small });
    const file = join(dir, 'latin1.json');
    writeFileSync(file, Buffer.from(latin, 'latin1'));
    const r = runCli(['sweep', file, '--out', join(dir, 'latin1.jsonl')], { cwd: dir });
    record.push(['sweep latin1.json', r.code, r.stderr.trim()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`imrm: ${message.notUtf8(file, 1, latin.indexOf('\u00e9') + 1, latin.indexOf('\u00e9'))}\n`);
  });

  it('options: --out may not be the sweep file; --workers decimal', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, sweepText({ fixed: small }));
    const r = runCli(['sweep', file, '--out', file], { cwd: dir });
    record.push(['sweep ok.json --out ok.json', r.code, r.stderr.trim()]);
    expect([r.code, r.stderr]).toEqual([2, `imrm: ${cliMessages.outIsInput('--out', file, `the sweep file ${file}`)}\n`]);
    const w = runCli(['sweep', file, '--out', join(dir, 'w.jsonl'), '--workers', '0x2'], { cwd: dir });
    record.push(['sweep ok.json --workers 0x2', w.code, w.stderr.trim()]);
    expect([w.code, w.stderr]).toEqual([2, `imrm: ${message.badOption('--workers', '0x2', integerRangeText(1, 1024))}\n`]);
  });
});

describe('imrm sweep: one writer per --out', { timeout: 180_000 }, () => {
  it('a second writer is refused naming the first one\'s pid; after kill -9 the stale lock is taken over and every run appears once', async () => {
    const file = join(dir, 'slow.json');
    const out = join(dir, 'slow.jsonl');
    // multi-token cells take ~0.14 s each (since the class-major kernels; 0.3 s before): 48 of them on one worker,
    // ~7 s, leave ample time for a second writer's whole process (~0.4 s) before the kill, also on a busy machine
    const runs = 48;
    writeFileSync(file, sweepText({ fixed: { kind: 'multi-token', vocab: 200, dim: 32, pairs: 16, length: 4, horizon: 100 }, grid: { rho: [0, 0.3, 0.6, 0.9] }, seeds: { from: 0, count: runs / 4 } }));
    const first = spawn(process.execPath, [CLI, 'sweep', file, '--out', out, '--workers', '1', '--progress', 'none'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<string | number | null>((resolve) => first.on('exit', (code, signal) => resolve(signal ?? code)));
    const lines = (): number => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 1 : 0);
    const deadline = Date.now() + 120_000;
    while (lines() < 1) {
      if (first.exitCode !== null || Date.now() > deadline) throw new Error(`the first sweep ended or stalled (${first.exitCode})`);
      await sleep(20);
    }
    const owner = readOwner(lockFileOf(out))!;
    expect(owner.pid).toBe(first.pid);
    const second = runCli(['sweep', file, '--out', out, '--progress', 'none'], { cwd: dir });
    record.push(['sweep slow.json (while another sweep writes slow.jsonl)', second.code, second.stderr.trim()]);
    expect([second.code, second.stderr]).toEqual([2, `imrm: ${sweepMessages.outLocked(out, lockFileOf(out), owner.pid, owner.host, owner.since)}\n`]);

    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(lockFileOf(out))).toBe(true); // stale
    const done = lines();
    expect(done).toBeLessThan(runs);
    const resumed = runCli(['sweep', file, '--out', out, '--workers', '2', '--progress', 'none', '--summary'], { cwd: dir, timeout: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${runs - done} run(s) done, ${done} already in ${out}`);
    const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { runId: string }).runId);
    expect(ids).toHaveLength(runs);
    expect(new Set(ids).size).toBe(runs);
    expect(existsSync(lockFileOf(out))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.stale') || f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('imrm merge', { timeout: 120_000 }, () => {
  it('a missing shard is an error; a torn line is ignored with a warning that counts it; --out may not be a shard', () => {
    const file = join(dir, 'm.json');
    writeFileSync(file, sweepText({ fixed: small, grid: { rho: [0, 0.9] } }));
    const shard = join(dir, 'm-0.jsonl');
    expect(runCli(['sweep', file, '--out', shard, '--shard', '0/2', '--workers', '1', '--progress', 'none'], { cwd: dir }).code).toBe(0);
    const missing = join(dir, 'm-1.jsonl');
    const merged = join(dir, 'merged.jsonl');
    const m = runCli(['merge', shard, missing, '--out', merged], { cwd: dir });
    record.push(['merge m-0.jsonl m-1.jsonl (missing)', m.code, m.stderr.trim()]);
    expect([m.code, m.stderr]).toEqual([2, `imrm: ${sweepMessages.missingInput(missing)}\n`]);
    expect(existsSync(merged)).toBe(false);

    const same = runCli(['merge', shard, '--out', shard], { cwd: dir });
    record.push(['merge m-0.jsonl --out m-0.jsonl', same.code, same.stderr.trim()]);
    expect([same.code, same.stderr]).toEqual([2, `imrm: ${cliMessages.outIsInput('--out', shard, `a shard ${shard}`)}\n`]);

    appendFileSync(shard, '{"runId":"0123');
    const torn = runCli(['merge', shard, '--out', merged, '--json'], { cwd: dir });
    record.push(['merge m-0.jsonl (torn last line)', torn.code, torn.stderr.trim().split('\n')[0]!]);
    expect(torn.code).toBe(0);
    expect(torn.stderr.split('\n')[0]).toBe(`imrm: warning: ${sweepMessages.tornLines(1, [{ file: shard, bytes: 14 }])}`);
    expect(readFileSync(merged, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
