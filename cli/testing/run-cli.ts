/**
 * Runs the CLI in-process, as the tests' operator would type it: exit code and what went to
 * stdout and stderr. (A few tests spawn bin/keydesk to see the real process too.)
 */
import { expect } from 'vitest';
import { runCli } from '../main';

export interface CliRun {
  code: number;
  /** stdout's lines joined, without the final newline. */
  out: string;
  /** stdout's lines. */
  lines: string[];
  /** stdout exactly as a terminal would get it (each line with its newline). */
  stdout: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), debug: false });
  return { code, out: out.join('\n'), lines: out, stdout: out.map((l) => `${l}\n`).join(''), err: err.join('\n') };
}

/** Notes a successful command left on stderr (a change prints nothing on stdout). */
export const notesOf = (r: CliRun): string[] => r.err.split('\n').filter((l) => l.startsWith('keydesk: note: ') || l.startsWith('keydesk: warning: '));

/** A command that must succeed, with nothing on stderr but notes; returns its stdout. */
export async function ok(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  expect(r.err.split('\n').filter((l) => l !== '' && !notesOf(r).includes(l)), `keydesk ${argv.join(' ')}`).toEqual([]);
  expect(r.code).toBe(0);
  return r.out;
}

/** A change that must succeed; returns the notes it printed on stderr, one text. */
export async function okNotes(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, `keydesk ${argv.join(' ')}: ${r.err}`).toBe(0);
  expect(r.out, 'a change prints nothing on stdout').toBe('');
  return notesOf(r).join('\n');
}
