// `run --as-of`: a scheduled run replayed at a past instant plans the windows the schedule would have
// planned then (watermark → that instant − lag), starts as a scheduled start (a busy export skips it),
// and the bundled simulator sees the same day.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { acquireLease } from '../../lambdas/window/lease';
import { LocalDirObjectStore } from '../../local/store/local-dir-object-store';
import { cliInProcess } from '../support/cli-in-process';

const work = mkdtempSync(path.join(tmpdir(), 'as-of-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXPORT = 'marketo-activities';
const config = path.join(work, 'pipeline.json');
const demo = JSON.parse(readFileSync('config/pipeline.json', 'utf8')) as {
  exports: { name: string; window: Record<string, unknown> }[];
};
writeFileSync(
  config,
  JSON.stringify({
    ...demo,
    $schema: undefined,
    exports: demo.exports.map((e) => ({ ...e, window: { ...e.window, firstStart: '2026-11-01' } })),
  }),
);

const run = (out: string, asOf: string) =>
  cliInProcess(
    [
      'run',
      EXPORT,
      '--simulator',
      '--as-of',
      asOf,
      '--config',
      config,
      '--out',
      out,
      '--events',
      path.join(out, 'events.jsonl'),
    ],
    { MARKETO_BASE_URL: '', MARKETO_CLIENT_ID: '', MARKETO_CLIENT_SECRET: '' },
  );

it('plans from the first start to the replayed instant − lag, and the simulator dates its jobs that day', async () => {
  const out = path.join(work, 'replay');
  const res = await run(out, '2026-11-04T02:15:00Z');
  expect(res.code, res.stderr + res.stdout).toBe(0);
  expect(res.stdout).toContain('window    2026-11-01T00:00:00Z → 2026-11-04T00:00:00Z');
  const manifests = readdirSync(path.join(out, 'manifests', EXPORT)).sort();
  expect(manifests).toEqual([
    '20261101T000000Z_20261102T000000Z.json',
    '20261102T000000Z_20261103T000000Z.json',
    '20261103T000000Z_20261104T000000Z.json',
  ]);
  for (const name of manifests) {
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifests', EXPORT, name), 'utf8')) as {
      job: { createdAt: string | null };
    };
    expect(manifest.job.createdAt?.slice(0, 10)).toBe('2026-11-04');
  }
  // The next replayed day continues from the watermark: one window.
  const next = await run(out, '2026-11-05T02:15:00Z');
  expect(next.code, next.stderr).toBe(0);
  expect(next.stdout).toContain('window    2026-11-04T00:00:00Z → 2026-11-05T00:00:00Z');
}, 240_000);

it('starts as the schedule does: an export another run holds skips it instead of failing it', async () => {
  const out = path.join(work, 'busy');
  const store = new LocalDirObjectStore({ root: out });
  await acquireLease(store, EXPORT, 'arn:aws:states:us-east-1:1:execution:BulkExport:backfill', {
    now: new Date(),
    ttlMs: 3_600_000,
  });
  const res = await run(out, '2026-11-04T02:15:00Z');
  expect(res.code, res.stderr + res.stdout).toBe(0);
  expect(res.stderr).toMatch(/• Plan: skipped: export "marketo-activities" is busy/);
  expect(res.stdout).toMatch(
    /⏭ Scheduled start skipped: export "marketo-activities" is busy: run \S+:backfill holds it/,
  );
  expect(readdirSync(out).filter((n) => n === 'manifests')).toEqual([]);
}, 240_000);
