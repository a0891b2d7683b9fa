/**
 * One writer per result file. `runSweep` holds `<out>.lock` while it reads, truncates and appends `<out>`: the lock
 * file is created with `O_CREAT | O_EXCL` (atomic on local file systems and NFSv3+) and holds the owner's pid, host
 * and start time as JSON. A second sweep on the same `--out` finds it and is refused (exit 2, naming the holder's pid).
 *
 * **Stale locks.** A lock whose process no longer runs (killed with `kill -9`, Ctrl-C, a crash, the OOM killer) is
 * taken over: on the same host the pid is checked with `kill(pid, 0)`, and on Linux the process's start time in
 * `/proc/<pid>/stat` is compared with the one recorded, so a pid reused by an unrelated process does not keep the
 * lock alive; a zombie counts as gone. A lock written on another host (a shared file system) cannot be checked and is
 * never taken over: the message says to delete it if that process is gone.
 *
 * Taking over renames the stale file to a name of our own and checks it is still the stale owner's before deleting it,
 * then creates the lock as usual; two processes taking over the same stale lock at the same moment therefore cannot
 * both succeed, except in a window of microseconds that needs a third process to start inside it.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';

export const LOCK_FORMAT = 'imrm-sweep-lock/1';

/** What a lock file records about its owner. */
export interface LockOwner {
  format: typeof LOCK_FORMAT;
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
  /** Linux: the process's start time in clock ticks after boot (`/proc/<pid>/stat` field 22); absent elsewhere. */
  start?: string;
}

/** The lock file of a result file. */
export const lockFileOf = (out: string): string => `${out}.lock`;

/**
 * Takes the lock of `out` (creating `out`'s directory if needed) and returns the function that releases it.
 * Throws an `InputError` naming the owner when another live process holds it.
 */
export function acquireOutputLock(out: string): () => void {
  const lock = lockFileOf(out);
  try {
    mkdirSync(path.dirname(path.resolve(lock)), { recursive: true });
  } catch (error) {
    throw new InputError(sweepMessages.cannotLock(lock, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
  const start = processStart(process.pid);
  const me: LockOwner = { format: LOCK_FORMAT, pid: process.pid, host: os.hostname(), since: new Date().toISOString(), ...(start !== undefined ? { start } : {}) };
  for (let attempt = 0; attempt < 10; attempt++) {
    if (create(lock, me)) return () => release(lock, me);
    const owner = readOwner(lock);
    if (owner === undefined) continue; // released between our two calls: try again
    if (owner.host !== me.host) throw new InputError(sweepMessages.outLockedElsewhere(out, lock, owner.pid, owner.host, owner.since));
    if (isRunning(owner)) throw new InputError(sweepMessages.outLocked(out, lock, owner.pid, owner.host, owner.since));
    takeOver(lock, owner);
  }
  const owner = readOwner(lock);
  throw new InputError(sweepMessages.outLocked(out, lock, owner?.pid ?? -1, owner?.host ?? '?', owner?.since ?? '?'));
}

/** Creates the lock file exclusively; false when it exists. */
function create(lock: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new InputError(sweepMessages.cannotLock(lock, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The owner recorded in a lock file; undefined when the file is gone. A file that is not a lock is an error. */
export function readOwner(lock: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(sweepMessages.cannotRead(lock, (error as Error).message));
  }
  // A lock is written in one write of a few dozen bytes right after its creation: an empty file is one being written.
  if (text === '') return { format: LOCK_FORMAT, pid: -1, host: os.hostname(), since: 'just now' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(sweepMessages.badLock(lock, (error as Error).message));
  }
  const o = data as Partial<LockOwner> | null;
  if (o === null || typeof o !== 'object' || o.format !== LOCK_FORMAT || !Number.isSafeInteger(o.pid) || typeof o.host !== 'string' || typeof o.since !== 'string') {
    throw new InputError(sweepMessages.badLock(lock, `expected {"format": "${LOCK_FORMAT}", "pid", "host", "since"}`));
  }
  return o as LockOwner;
}

/** Whether the lock's owner (on this host) still runs. A lock being written (pid −1) counts as running. */
export function isRunning(owner: LockOwner): boolean {
  if (owner.pid === -1) return true;
  if (owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it exists but belongs to someone else
  }
  const stat = procStat(owner.pid);
  if (stat === undefined) return true; // no /proc: kill(pid, 0) is all we know
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === undefined || stat.start === owner.start;
}

/** Moves a stale lock out of the way, but only if it still is the stale owner's (see the file comment). */
function takeOver(lock: string, stale: LockOwner): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it first
    throw error;
  }
  let moved: LockOwner | undefined;
  try {
    moved = readOwner(aside);
  } catch {
    moved = undefined;
  }
  if (!(moved && moved.pid === stale.pid && moved.since === stale.since && moved.host === stale.host)) {
    // We moved a lock another process had just taken over: give it back (unless a new one appeared meanwhile).
    try {
      linkSync(aside, lock);
    } catch {
      // a lock exists again: its owner will be checked on the next round
    }
  }
  rmSync(aside, { force: true });
}

/** Removes the lock if it is still ours. */
function release(lock: string, me: LockOwner): void {
  try {
    const owner = readOwner(lock);
    if (owner && owner.pid === me.pid && owner.since === me.since) rmSync(lock, { force: true });
  } catch {
    // not ours or unreadable: leave it
  }
}

/** `/proc/<pid>/stat`: state and start time (field 22), or undefined without `/proc`. */
function procStat(pid: number): { state: string; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', start: fields[19] ?? '' };
}

function processStart(pid: number): string | undefined {
  return procStat(pid)?.start;
}
