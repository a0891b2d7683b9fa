/** Runs the CLI: as a process (the built `dist/cli/main.js`; `npm test` builds first), or in this process (`main`). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../../src/cli/program.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `imrm <args>` in this process (sources, not `dist/`), capturing what it prints. Paths must be absolute (a
 * test cannot change the working directory of a worker thread). Not for `sweep`, whose workers need the built files.
 */
export async function runMain(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const text = (chunk: unknown): string => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (out.push(text(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (err.push(text(chunk)), true)),
    vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => void out.push(`${xs.join(' ')}\n`)),
  ];
  try {
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
