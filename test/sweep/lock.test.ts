/** The output lock of a sweep: one writer per result file; stale locks (dead or reused pids) are taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/messages/index.js';
import { sweepMessages } from '../../src/messages/sweep.js';
import { acquireOutputLock, isRunning, LOCK_FORMAT, lockFileOf, readOwner, type LockOwner } from '../../src/sweep/lock.js';
import { temporaryDirectory } from './helpers.js';

const tmp = temporaryDirectory();
afterAll(tmp.remove);
let n = 0;
const out = (): string => path.join(tmp.dir, `out-${n++}.jsonl`);
const writeLock = (file: string, owner: Partial<LockOwner>): LockOwner => {
  const o = { format: LOCK_FORMAT, pid: process.pid, host: os.hostname(), since: '2020-01-01T00:00:00.000Z', ...owner } as LockOwner;
  writeFileSync(lockFileOf(file), `${JSON.stringify(o)}\n`);
  return o;
};
/** The pid of a process that has exited (and been reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('acquireOutputLock', () => {
  it('creates <out>.lock holding our pid, refuses a second writer naming it, and release removes it', () => {
    const file = out();
    const release = acquireOutputLock(file);
    const owner = readOwner(lockFileOf(file))!;
    expect(owner).toMatchObject({ format: LOCK_FORMAT, pid: process.pid, host: os.hostname() });
    expect(isRunning(owner)).toBe(true);
    expect(() => acquireOutputLock(file)).toThrow(new InputError(sweepMessages.outLocked(file, lockFileOf(file), process.pid, owner.host, owner.since)));
    release();
    expect(existsSync(lockFileOf(file))).toBe(false);
    acquireOutputLock(file)(); // free again
  });

  it('takes over a lock whose process is gone', () => {
    const file = out();
    const stale = writeLock(file, { pid: deadPid() });
    expect(isRunning(stale)).toBe(false);
    const release = acquireOutputLock(file);
    expect(readOwner(lockFileOf(file))!.pid).toBe(process.pid);
    release();
  });

  it('takes over a lock whose pid now belongs to another process (start time differs)', () => {
    const file = out();
    const reused = writeLock(file, { pid: process.pid, start: '1' }); // our pid, but not our start time
    if (existsSync(`/proc/${process.pid}/stat`)) {
      expect(isRunning(reused)).toBe(false);
      const release = acquireOutputLock(file);
      expect(readOwner(lockFileOf(file))!.since).not.toBe(reused.since);
      release();
    }
  });

  it('never takes over a lock from another host, and says how to clear it', () => {
    const file = out();
    const other = writeLock(file, { pid: deadPid(), host: 'some-other-node' });
    expect(() => acquireOutputLock(file)).toThrow(new InputError(sweepMessages.outLockedElsewhere(file, lockFileOf(file), other.pid, other.host, other.since)));
    expect(readOwner(lockFileOf(file))).toEqual(other);
  });

  it('a lock file that is not ours is an error, left alone', () => {
    const file = out();
    writeFileSync(lockFileOf(file), 'hello');
    expect(() => acquireOutputLock(file)).toThrow(InputError);
    expect(readFileSync(lockFileOf(file), 'utf8')).toBe('hello');
  });
});
