// The command line as a person uses it: the demo end to end, and bad input answered with one line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithMoto, freshBucket, motoEnv } from '../support/moto';
import { bucketState } from '../support/scenario';
import { cliInProcess } from '../support/cli-in-process';

const work = mkdtempSync(path.join(tmpdir(), 'cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NO_CREDENTIALS = {
  MARKETO_BASE_URL: '',
  MARKETO_CLIENT_ID: '',
  MARKETO_CLIENT_SECRET: '',
  CLICKWRAP_API_TOKEN: '',
};

/** A command's checks and answers, run in this process (what the process does is the demo's test). */
function inProcess(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  return cliInProcess(args, { ...NO_CREDENTIALS, ...env });
}

/** The real process, as a user starts it. */
function cli(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'bin/export-cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      MARKETO_BASE_URL: '',
      MARKETO_CLIENT_ID: '',
      MARKETO_CLIENT_SECRET: '',
      CLICKWRAP_API_TOKEN: '',
      ...env,
    },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('npm start', () => {
  it('the demo exports simulated activity end to end into a local directory and says what landed', () => {
    const out = path.join(work, 'exports');
    const res = cli(['demo', '--size-mb', '6', '--out', out]);
    expect(res.stderr).toContain('Plan: 1 window(s)');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/✔ Export marketo-activities \(marketo, activities\) succeeded/);
    expect(res.stdout).toMatch(/sha256 [0-9a-f]{64}\n\s+verified against the provider: size, sha256, records\n/);
    expect(res.stdout).toMatch(/parquet\s+1 object\(s\), .*, (\d+) rows \(= the records counted\)/);
    // The summary ends with the same SQL a user runs on Athena, answered over the curated Parquet.
    expect(res.stdout).toMatch(
      /Records per activity type[\s\S]*activity_type\s+\| records[\s\S]*Visit Webpage\s+\|\s+\d+/,
    );
    const day = readdirSync(path.join(out, 'raw', 'marketo-activities'));
    expect(day).toHaveLength(1);
    const files = readdirSync(path.join(out, 'raw', 'marketo-activities', day[0]!));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T000000Z_\d{8}T000000Z\.csv$/);
    const manifests = readdirSync(path.join(out, 'manifests', 'marketo-activities'));
    const manifest = JSON.parse(
      readFileSync(path.join(out, 'manifests', 'marketo-activities', manifests[0]!), 'utf8'),
    ) as { files: { bytes: number }[] };
    expect(manifest.files[0]!.bytes).toBeGreaterThanOrEqual(6 * 1024 * 1024);
    // Nothing but finished files: no staging directories left behind next to the data.
    expect(
      readdirSync(path.join(out, 'raw', 'marketo-activities', day[0]!)).filter(
        (n) => n.startsWith('.') || n.startsWith('_'),
      ),
    ).toEqual([]);
  });

  it('--help documents every command', async () => {
    const res = await inProcess(['--help']);
    expect(res.code).toBe(0);
    for (const command of ['demo', 'run', 'fields', 'start', 'status', 'history'])
      expect(res.stdout).toContain(command);
  });

  it('a bad argument gets a one-line error and a non-zero exit', async () => {
    const res = await inProcess(['run', 'marketo-activities', '--from', 'yesterday', '--to', '2026-01-02']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    const bogus = await inProcess(['run', 'marketo-activities', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr.trim()).toBe("error: unknown option '--bogus'");
    expect(res.stderr.trim().split('\n')[0]).toMatch(/"yesterday" is not an ISO-8601 date/);
    const unknown = await inProcess(['run', 'no-such-export', '--out', path.join(work, 'x')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'error: no export named "no-such-export" in config/pipeline.json (known: marketo-activities, clickwrap-activity, salesforce-accounts)',
    );
    const offGrain = await inProcess([
      'run',
      'marketo-activities',
      '--from',
      '2026-11-01T12:00:00Z',
      '--to',
      '2026-11-02',
      '--out',
      path.join(work, 'z'),
    ]);
    expect(offGrain.code).toBe(2);
    expect(offGrain.stderr.trim()).toBe(
      'error: --from 2026-11-01T12:00:00Z is not on a day boundary of export "marketo-activities" (at 00:00 UTC, e.g. 2026-11-01)',
    );
    expect(existsSync(path.join(work, 'z'))).toBe(false);
    const http = await inProcess(['run', 'marketo-activities', '--out', path.join(work, 'y')], {
      MARKETO_BASE_URL: 'http://marketo.example.com',
      MARKETO_CLIENT_ID: 'a',
      MARKETO_CLIENT_SECRET: 'b',
    });
    expect(http.code).toBe(2);
    expect(http.stderr.trim()).toMatch(/^error: MARKETO_BASE_URL: must be https/);
    expect(existsSync(path.join(work, 'y'))).toBe(false);
  });

  it.each([
    [
      'no credentials and no --simulator',
      ['run', 'marketo-activities', '--from', '2026-11-01', '--to', '2026-11-02'],
      {},
      'error: no marketo credentials in the environment (MARKETO_BASE_URL, MARKETO_CLIENT_ID, MARKETO_CLIENT_SECRET); pass --simulator to run against the bundled simulator',
    ],
    [
      'from not before to',
      ['run', 'marketo-activities', '--simulator', '--from', '2026-11-02', '--to', '2026-11-02'],
      {},
      'error: --from 2026-11-02 must be before --to 2026-11-02',
    ],
    [
      'a --to in the future',
      ['run', 'marketo-activities', '--simulator', '--from', '2026-11-01', '--to', '2099-01-01'],
      {},
      'error: --to 2099-01-01 is in the future: only complete windows can be exported',
    ],
    [
      'a range over the window limit',
      ['run', 'marketo-activities', '--simulator', '--from', '2026-01-01', '--to', '2026-11-01'],
      {},
      'error: --to: the range covers more than 62 day windows; split the backfill into smaller ranges',
    ],
    [
      'a base URL with a path',
      ['run', 'marketo-activities', '--from', '2026-11-01', '--to', '2026-11-02'],
      { MARKETO_BASE_URL: 'https://123-abc-456.mktorest.com/rest', MARKETO_CLIENT_ID: 'a', MARKETO_CLIENT_SECRET: 'b' },
      'error: MARKETO_BASE_URL: must be the bare instance URL without a path, e.g. https://123-ABC-456.mktorest.com',
    ],
    [
      '--out naming a file',
      [
        'run',
        'marketo-activities',
        '--simulator',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--out',
        'package.json',
      ],
      {},
      'error: --out package.json is a file, not a directory',
    ],
    [
      '--events naming a directory',
      [
        'run',
        'marketo-activities',
        '--simulator',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--out',
        'exports-x',
        '--events',
        'lib',
      ],
      {},
      'error: --events lib is a directory, not a file to append to',
    ],
    [
      '--out where nothing can be created',
      [
        'run',
        'marketo-activities',
        '--simulator',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--out',
        '/proc/exports',
      ],
      {},
      'error: --out /proc/exports is not writable: nothing can be created in /proc (ENOENT)',
    ],
    [
      'an unknown command',
      ['frobnicate'],
      {},
      "error: unknown command 'frobnicate' (commands: demo, run, fields, start, history, retry, status, query)",
    ],
    [
      '--bucket without a region',
      [
        'run',
        'marketo-activities',
        '--simulator',
        '--simulator-into-bucket',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--bucket',
        'b',
      ],
      { AWS_REGION: '', AWS_DEFAULT_REGION: '', HOME: '/nonexistent' },
      'error: --bucket needs an AWS region: set AWS_REGION (or configure a profile)',
    ],
  ] as const)('refuses %s with exit 2 and one line, before anything runs', async (_what, args, env, message) => {
    const res = await inProcess([...args], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toBe(message);
    expect(res.stdout).not.toContain('Export Failed');
  });

  it('fields --site lists the exportable Clickwrap fields (from the simulator without a token)', async () => {
    const res = await inProcess(['fields', '--site', '5193']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('signer_id');
    // The API answered 404: the command ran and failed (1), it was not refused before running (2).
    const missing = await inProcess(['fields', '--site', '42']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("fields <export> lists a Marketo dataset's fields from its describe route, with a fields + fieldTypes snippet, before the request has fields", async () => {
    const config = path.join(work, 'bulk.json');
    const window = { firstStart: '2026-01-01' };
    writeFileSync(
      config,
      JSON.stringify({
        exports: [
          {
            name: 'marketo-cars',
            provider: 'marketo',
            dataset: 'custom-objects',
            secretName: 's',
            request: { apiName: 'car_c' },
            window,
          },
          { name: 'clickwrap-activity', provider: 'clickwrap', secretName: 's', window },
        ],
      }),
    );
    const res = await inProcess(['fields', 'marketo-cars', '--config', config]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^year\s+integer\s+int$/m);
    expect(res.stdout).toMatch(/^purchaseDate\s+date\s+date$/m);
    const snippet = JSON.parse(`{${res.stdout.slice(res.stdout.indexOf('"fields"'))}}`) as {
      fields: string[];
      fieldTypes: Record<string, string>;
    };
    expect(snippet.fields).toContain('vin');
    expect(snippet.fieldTypes).toMatchObject({ year: 'integer', isElectric: 'boolean' });
    expect(snippet.fieldTypes).not.toHaveProperty('updatedAt');
    for (const [args, message] of [
      [['fields', 'nope', '--config', config], `error: no export named "nope" in ${config}`],
      [
        ['fields', 'clickwrap-activity', '--config', config],
        'error: export "clickwrap-activity" is a clickwrap export: list its fields with fields --site <id>',
      ],
    ] as const) {
      const refused = await inProcess([...args]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe(message);
    }
  });
});

describe('npm start -- run', () => {
  it('runs the configured Clickwrap export against the simulator for an explicit range', async () => {
    const out = path.join(work, 'cw');
    const res = await inProcess([
      'run',
      'clickwrap-activity',
      '--simulator',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-03',
      '--out',
      out,
      '--events',
      path.join(work, 'cw-events.jsonl'),
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/✔ Export clickwrap-activity \(clickwrap, activities\) succeeded/);
    expect(readdirSync(path.join(out, 'raw', 'clickwrap-activity')).sort()).toEqual(['dt=2026-11-01', 'dt=2026-11-02']);
    const events = readFileSync(path.join(work, 'cw-events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { detailType: string });
    expect(events.map((e) => e.detailType)).toEqual(['Export Succeeded']);
  });
});

describeWithMoto('npm start -- run --bucket', () => {
  it('writes to an S3 bucket through the default credential chain and AWS_ENDPOINT_URL', async () => {
    const bucket = await freshBucket();
    const refused = await inProcess(
      ['run', 'marketo-activities', '--simulator', '--from', '2026-11-01', '--to', '2026-11-02', '--bucket', bucket],
      motoEnv(),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `error: --simulator would write the simulator's made-up data into bucket ${bucket}; add --simulator-into-bucket if that is what you want`,
    );
    expect((await bucketState(bucket)).keys).toEqual([]);
    const res = await inProcess(
      [
        'run',
        'marketo-activities',
        '--simulator',
        '--simulator-into-bucket',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--bucket',
        bucket,
      ],
      motoEnv(),
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `s3://${bucket}/raw/marketo-activities/dt=2026-11-01/20261101T000000Z_20261102T000000Z.csv`,
    );
    const state = await bucketState(bucket);
    expect(state.rawKeys).toHaveLength(1);
    expect(state.manifests).toHaveLength(1);
    expect(state.pendingUploads).toBe(0);
  });
});
