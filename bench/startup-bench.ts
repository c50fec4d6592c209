// `npm run bench:startup`: how long a new user waits, as `npm start` is really started — `--help`,
// the demo's first progress line, and the demo end to end — with the cached state machine definition
// (the usual case) and without it (a first run, or after a change to lib/, lambdas/ or the config).
// Prints the figures and the targets; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const TARGETS = { help: 2, firstProgress: 8, demo: 40 } as const;
const CACHE = path.resolve('.local-state', 'cache');

interface Timed {
  readonly code: number | null;
  /** Seconds from spawn to the first stderr line matching `mark`, if any. */
  readonly markSeconds?: number;
  readonly seconds: number;
}

/** Runs `npm start -s -- <args>`, timing the process and the first stderr line matching `mark`. */
function npmStart(args: readonly string[], mark?: RegExp): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['start', '-s', '--', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let markSeconds: number | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (mark && markSeconds === undefined && mark.test(stderr)) markSeconds = (performance.now() - started) / 1000;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        seconds: (performance.now() - started) / 1000,
        ...(markSeconds !== undefined ? { markSeconds } : {}),
      }),
    );
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function row(what: string, seconds: number | undefined, target: number): string {
  const value = seconds === undefined ? 'n/a' : `${seconds.toFixed(1)} s`;
  return `| ${what.padEnd(44)} | ${value.padStart(7)} | < ${target} s ${seconds !== undefined && seconds < target ? '✔' : '✘'} |`;
}

const helps: number[] = [];
for (let i = 0; i < 3; i++) helps.push((await npmStart(['--help'])).seconds);

const out = mkdtempSync(path.join(tmpdir(), 'startup-bench-'));
try {
  rmSync(CACHE, { recursive: true, force: true });
  const cold = await npmStart(['demo', '--out', path.join(out, 'cold')], /• Plan:/);
  const warm = await npmStart(['demo', '--out', path.join(out, 'warm')], /• Plan:/);
  if (cold.code !== 0 || warm.code !== 0) throw new Error(`the demo failed (exit ${cold.code} / ${warm.code})`);
  console.log('| what (npm start, this machine) | time | target |');
  console.log('|---|---|---|');
  console.log(row('--help (median of 3)', median(helps), TARGETS.help));
  console.log(row('demo: first progress line, cached definition', warm.markSeconds, TARGETS.firstProgress));
  console.log(row('demo: end to end, cached definition', warm.seconds, TARGETS.demo));
  console.log(row('demo: first progress line, first run (synth)', cold.markSeconds, TARGETS.firstProgress));
  console.log(row('demo: end to end, first run (synth)', cold.seconds, TARGETS.demo));
} finally {
  rmSync(out, { recursive: true, force: true });
}
