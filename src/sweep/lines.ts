/**
 * Result files: JSON Lines, one line per finished run, `{"runId","index","params","seed","result","ms"}`
 * (`index` is the run's position in the full run list, `ms` the wall time of `run` in the worker, in milliseconds).
 *
 * A line counts only when it ends with `\n`: the writer appends each line, newline last, in one `write`, so a
 * process killed mid-write leaves at most one *torn* tail without a newline. Readers ignore such a tail;
 * `recoverSweepFile` cuts it off before appending more. A complete line that is not a valid result line is an
 * error (the file was edited or is not ours), never silently dropped.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, message } from '../messages/index.js';
import { sweepMessages } from '../messages/sweep.js';
import { decodeUtf8 } from '../utf8.js';
import { jsonHazard, jsonPath, MAX_NESTING, type JsonObject } from './json.js';
import type { CellResult } from './registry.js';

export interface SweepLine {
  runId: string;
  index: number;
  params: JsonObject;
  seed: number;
  result: CellResult;
  ms: number;
}

const LineSchema = z.strictObject({
  runId: z.string().regex(/^[0-9a-f]{16}$/),
  index: z.int().min(0),
  params: z.record(z.string(), z.json()),
  seed: z.int(),
  result: z.record(z.string(), z.union([z.number(), z.string()])),
  ms: z.number().min(0),
});

/** The text of one line, newline included; keys in a fixed order. */
export function formatSweepLine(line: SweepLine): string {
  const { runId, index, params, seed, result, ms } = line;
  return `${JSON.stringify({ runId, index, params, seed, result, ms })}\n`;
}

/** Parses one complete line (without its newline); `file` and `lineNumber` (1-based) are for messages. */
export function parseSweepLine(text: string, file: string, lineNumber: number): SweepLine {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(sweepMessages.badLine(file, lineNumber, (error as Error).message));
  }
  const hazard = jsonHazard(data);
  if (hazard?.kind === 'deep') throw new InputError(sweepMessages.tooDeep(`${file}:${lineNumber}`, jsonPath(hazard.path.slice(0, 2)), MAX_NESTING));
  if (hazard?.kind === 'proto') throw new InputError(message.reservedKey(`${file}:${lineNumber}`, jsonPath(hazard.path)));
  const parsed = LineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new InputError(sweepMessages.badLine(file, lineNumber, `${issue.path.join('.') || 'line'}: ${issue.message}`));
  }
  return parsed.data as SweepLine;
}

export interface SweepFileContents {
  lines: SweepLine[];
  /** 1-based line number in the file of each entry of `lines` (blank lines are skipped). */
  lineNumbers: number[];
  /** Bytes up to and including the last newline. */
  completeBytes: number;
  /** Bytes after the last newline: a torn write (0 if the file ends cleanly). */
  tornBytes: number;
}

/**
 * Reads a result file without changing it; a missing file reads as empty, unless `mustExist` (then it is an
 * `InputError`). A torn tail is reported, not parsed. The text must be UTF-8 (an invalid byte is an error).
 */
export function readSweepFile(file: string, opts: { mustExist?: boolean } = {}): SweepFileContents {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.mustExist) throw new InputError(sweepMessages.missingInput(file));
    if (code === 'ENOENT') return { lines: [], lineNumbers: [], completeBytes: 0, tornBytes: 0 };
    throw new InputError(sweepMessages.cannotRead(file, (error as Error).message));
  }
  return parseContents(buffer, file);
}

function parseContents(buffer: Buffer, file: string): SweepFileContents {
  const completeBytes = buffer.lastIndexOf(0x0a) + 1;
  const lines: SweepLine[] = [];
  const lineNumbers: number[] = [];
  const text = decodeUtf8(buffer.subarray(0, completeBytes), file);
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    lineNumber++;
    const body = text.slice(start, end);
    // Blank lines carry nothing; tolerate them (e.g. a file touched by an editor).
    if (body.trim() !== '') {
      lines.push(parseSweepLine(body, file, lineNumber));
      lineNumbers.push(lineNumber);
    }
    start = end + 1;
  }
  return { lines, lineNumbers, completeBytes, tornBytes: buffer.length - completeBytes };
}

/**
 * Reads a result file for appending: validates every complete line, then truncates a torn tail (the run it
 * belonged to has no complete line, so it is simply run again). Returns what was read, `tornBytes` being the
 * number of bytes cut off. The file is read and truncated through one descriptor, so what is cut is what was read.
 */
export function recoverSweepFile(file: string): SweepFileContents {
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], lineNumbers: [], completeBytes: 0, tornBytes: 0 };
    throw new InputError(sweepMessages.cannotRead(file, (error as Error).message));
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = size > 0 ? readFileSync(fd) : Buffer.alloc(0);
    const contents = parseContents(buffer, file);
    if (contents.tornBytes > 0) {
      ftruncateSync(fd, contents.completeBytes);
      fsyncSync(fd); // the cut reaches the disk before any new line is appended after it
    }
    return contents;
  } finally {
    closeSync(fd);
  }
}
