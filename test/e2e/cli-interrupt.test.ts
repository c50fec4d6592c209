// Ctrl-C during `npm start`: the run stops, cleans up what it started and says so; a second Ctrl-C
// quits at once. Either way the next `npm start` in the same folder succeeds (run in-process: the
// signal needs a real process, the run after it does not).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliInProcess } from '../support/cli-in-process';

const work = mkdtempSync(path.join(tmpdir(), 'cli-interrupt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NO_CREDENTIALS = {
  MARKETO_BASE_URL: '',
  MARKETO_CLIENT_ID: '',
  MARKETO_CLIENT_SECRET: '',
  CLICKWRAP_API_TOKEN: '',
};

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; a SIGINT is sent once stderr shows the file being transferred, and a second one if asked. */
function cli(args: string[], interrupts = 0): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/export-cli.ts', ...args], {
      env: { ...process.env, ...NO_CREDENTIALS },
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    let sentAgain = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Mid-transfer: a progress line of the raw file, with some bytes already stored.
      if (interrupts > 0 && !sent && /raw\/marketo-activities\/\S+\.csv: [\d.]+ MiB \(\d+%\)/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
      // Signals do not queue: the second Ctrl-C goes once the first was heard.
      if (interrupts > 1 && !sentAgain && stderr.includes('■ SIGINT: stopping')) {
        sentAgain = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file and directory below `dir`, relative. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('npm start interrupted', () => {
  it('Ctrl-C mid-transfer cleans up and says what it did; npm start again in the same folder succeeds', async () => {
    const out = path.join(work, 'once');
    const stopped = await cli(
      ['demo', '--size-mb', '24', '--out', out, '--simulator-bytes-per-second', String(2 * 1024 * 1024)],
      1,
    );
    expect(stopped.stderr).toContain('■ SIGINT: stopping the run and cleaning up what it started');
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).toContain('■ Export stopped before it finished');
    expect(stopped.stdout).toMatch(
      /Cleanup cancelled no remote job, aborted 1 open upload\(s\), removed 0 object\(s\) of windows that did not land\./,
    );
    const left = tree(out);
    expect(left.filter((p) => p.includes('.upload-'))).toEqual([]);
    expect(left.filter((p) => p.startsWith('raw/') && p.endsWith('.csv'))).toEqual([]);
    // The window ledger stays (the window is still owed); no job record, no lease.
    expect(left.filter((p) => p.startsWith('state/') && !p.endsWith('/ledger.json'))).not.toContainEqual(
      expect.stringMatching(/\.json$/),
    );

    const again = await cliInProcess(['demo', '--size-mb', '6', '--out', out], NO_CREDENTIALS);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/✔ Export marketo-activities \(marketo, activities\) succeeded/);
    expect(tree(out).filter((p) => p.includes('.upload-'))).toEqual([]);
  });

  it('a second Ctrl-C quits at once; the next npm start reclaims what the dead run left and succeeds', async () => {
    const out = path.join(work, 'twice');
    const killed = await cli(
      ['demo', '--size-mb', '24', '--out', out, '--simulator-bytes-per-second', String(2 * 1024 * 1024)],
      2,
    );
    expect(killed.stderr).toContain('■ SIGINT again: quitting without cleanup');
    expect(killed.code).toBe(130);
    expect(killed.stdout).not.toContain('Export stopped');
    // What a dead run leaves: its staging folder and its job record.
    expect(tree(out).filter((p) => p.includes('.upload-')).length).toBeGreaterThan(0);
    expect(tree(out).filter((p) => p.startsWith('state/marketo-activities/jobs/'))).toHaveLength(1);

    const again = await cliInProcess(['demo', '--size-mb', '6', '--out', out], NO_CREDENTIALS);
    expect(again.code, again.stderr).toBe(0);
    const left = tree(out);
    expect(left.filter((p) => p.includes('.upload-'))).toEqual([]);
    expect(left.filter((p) => p.startsWith('state/marketo-activities/jobs/') && p.endsWith('.json'))).toEqual([]);
  });
});
