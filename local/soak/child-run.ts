// One CLI run as a child process (so a kill point can SIGKILL it by its pid): its output is watched
// line by line, and the result says how it ended and what it printed.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { KillPoint } from './kill-points';

export interface ChildRunResult {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The kill point that fired (the run was SIGKILLed right after this line). */
  readonly killedAfter?: string;
  readonly lines: readonly string[];
}

export interface ChildRun {
  readonly pid: number | undefined;
  /** Resolves with the first line matching `pattern` (undefined if the run ends first). */
  lineMatching(pattern: RegExp): Promise<string | undefined>;
  readonly done: Promise<ChildRunResult>;
}

export function startChildRun(
  repoRoot: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  killPoint?: KillPoint,
): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bin/export-cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, ...(killPoint?.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string | undefined) => void }[] = [];
  let killedAfter: string | undefined;
  let closed = false;
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
    if (killPoint && killedAfter === undefined && killPoint.reached(line)) {
      killedAfter = line;
      child.kill('SIGKILL');
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString('utf8');
      const parts = text.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    });
    stream.on('end', () => {
      if (pending) onLine(pending);
      pending = '';
    });
  }
  const done = new Promise<ChildRunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      closed = true;
      for (const w of waiters.splice(0)) w.resolve(undefined);
      resolve({ args, code, signal, ...(killedAfter !== undefined ? { killedAfter } : {}), lines });
    });
  });
  return {
    pid: child.pid,
    lineMatching: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined || closed) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    done,
  };
}
