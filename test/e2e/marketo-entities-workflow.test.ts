// Leads, program members and a custom object through the whole workflow (local engine, simulator,
// moto S3): the raw file byte-identical to Marketo's, sha256 and record counts in the manifest, and the
// curated Parquet rows equal to the strict parse of the raw file, typed from describe's data types
// (multi-line text areas, booleans, dates, currencies included).
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../lib/config';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { schemaOf } from '../../local/simulators/marketo/entity-schemas';
import type { EntityType } from '../../local/simulators/marketo/entity-schema';
import { windowStem } from '../../lambdas/window/keys';
import { snapshotWindow } from '../../lambdas/workflow/windows';
import { compareCuratedWithRaw } from '../support/curated-check';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { objectText, runScenario, sha256OfObject, sha256OfStream } from '../support/scenario';

let sim: (RunningSimulator & { provider: 'marketo' }) | undefined;

async function startSim(
  options: Parameters<typeof startSimulatorFor>[1]['marketo'] = {},
): Promise<RunningSimulator & { provider: 'marketo' }> {
  const started = (await startSimulatorFor('marketo', {
    marketo: { queuedMs: 20, processingMs: 50, ...options },
  })) as RunningSimulator & { provider: 'marketo' };
  sim = started;
  return started;
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** Every field the simulated instance describes, typed by its describe data type (what `fields <export>` prints). */
function allFields(entity: EntityType) {
  const described = schemaOf(entity).fields;
  return {
    fields: described.map((f) => f.name),
    fieldTypes: Object.fromEntries(described.map((f) => [f.name, f.dataType])),
  };
}

const window = { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' };
const EXPORTS = [
  {
    name: 'marketo-leads',
    provider: 'marketo',
    dataset: 'leads',
    secretName: 'bulk-export/marketo',
    request: allFields('leads'),
    window,
  },
  // Without windowFilter a program member export is a snapshot, and the config says so.
  {
    name: 'marketo-members',
    provider: 'marketo',
    dataset: 'program-members',
    mode: 'snapshot',
    secretName: 'bulk-export/marketo',
    request: { ...allFields('programMembers'), filter: { programIds: [1001, 1005, 1011] } },
    window,
  },
  {
    name: 'marketo-cars',
    provider: 'marketo',
    dataset: 'custom-objects',
    secretName: 'bulk-export/marketo',
    request: { apiName: 'car_c', ...allFields('customObjects') },
    window,
  },
];
const raw = JSON.parse(readFileSync('config/pipeline.json', 'utf8')) as { exports: unknown[] };
const config = parsePipelineConfig({ ...raw, exports: [...raw.exports, ...EXPORTS] }, 'entity scenarios');
const STEM = '20261101T000000Z_20261102T000000Z';

/** Where a run lands: the explicit day for windowed exports; today's snapshot window for a snapshot. */
function landingOf(exportName: string): { range: { from?: string; to?: string }; dt: string; stem: string } {
  if (exportName !== 'marketo-members') return { range: {}, dt: '2026-11-01', stem: STEM };
  const today = snapshotWindow(new Date(), 'day');
  // A snapshot run takes no range: it lands the grain period it runs in.
  return { range: { from: undefined, to: undefined }, dt: today.start.slice(0, 10), stem: windowStem(today) };
}

describeWithMoto(
  'Marketo leads, program members and custom objects through the workflow (local engine, simulator, moto S3)',
  () => {
    beforeAll(() => useMotoEnv());

    it.each([
      [
        'marketo-leads',
        'leads',
        { updatedAt: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-02T00:00:00Z' } },
        'accountnotes__c',
      ],
      ['marketo-members', 'programMembers', { programIds: [1001, 1005, 1011] }, 'statusreason'],
      [
        'marketo-cars',
        'customObjects',
        { updatedAt: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-02T00:00:00Z' } },
        'notes',
      ],
    ] as const)(
      '%s lands: byte-identical raw file, verified manifest, typed curated rows equal to the strict parse',
      async (exportName, type, filter, textColumn) => {
        const s = await startSim({ bytesPerJob: 600 * 1024 });
        const { range, dt, stem } = landingOf(exportName);
        const result = await runScenario({ exportName, config, simulator: { running: s }, ...range });
        expect(result.error).toBeUndefined();
        expect(result.status).toBe('SUCCEEDED');

        const [job] = s.marketo.jobs();
        expect(s.marketo.jobs()).toHaveLength(1);
        expect(job).toMatchObject({ status: 'Completed', target: { type }, filter });
        const key = `raw/${exportName}/dt=${dt}/${stem}.csv`;
        expect(result.state.rawKeys).toEqual([key]);
        const landed = await sha256OfObject(result.bucket, key);
        expect(landed).toEqual(await sha256OfStream(s.marketo.fileStream(job!.exportId)));
        expect(`sha256:${landed.sha256}`).toBe(job!.fileChecksum);

        const manifest = JSON.parse(await objectText(result.bucket, `manifests/${exportName}/${stem}.json`)) as {
          files: { sha256: string; records: number; bytes: number; verified: { sha256: boolean; bytes: boolean } }[];
          records: { counted: number; provider: number; curated: number };
        };
        expect(manifest.files[0]).toMatchObject({
          sha256: landed.sha256,
          bytes: job!.fileSize,
          records: job!.numberOfRecords,
          verified: { sha256: true, bytes: true },
        });
        expect(manifest.records).toEqual({
          counted: job!.numberOfRecords,
          provider: job!.numberOfRecords,
          curated: job!.numberOfRecords,
        });

        const def = config.exports.find((e) => e.name === exportName)!;
        const { parts, parquetRows, rawRows } = await compareCuratedWithRaw(result.bucket, def, key);
        expect(parts).toEqual([`curated/${exportName}/dt=${dt}/${stem}-0001.parquet`]);
        expect(parquetRows).toEqual(rawRows);
        expect(rawRows).toHaveLength(job!.numberOfRecords!);
        // The multi-line text area survived as one value, and typed columns are typed.
        const text = (job!.fields ?? []).map((f) => f.toLowerCase()).indexOf(textColumn);
        expect(text).toBeGreaterThanOrEqual(0);
        expect(rawRows.some((row) => typeof row[text] === 'string' && (row[text] as string).includes('\n'))).toBe(true);
        expect(rawRows[0]!.some((v) => typeof v === 'bigint')).toBe(true);
        expect(rawRows.some((row) => row.some((v) => typeof v === 'boolean'))).toBe(true);
        // A program member export without windowFilter is a snapshot: no date filter reached Marketo, and
        // it keeps no watermark.
        if (type === 'programMembers') {
          expect(job!.filter).not.toHaveProperty('updatedAt');
          expect(result.state.watermark).toBeUndefined();
          expect(result.succeeded?.watermark ?? null).toBeNull();
        } else expect(result.state.watermark).toBe('2026-11-02T00:00:00Z');
      },
    );

    it('a second snapshot the same day replaces the first (one raw file, one manifest), and --from/--to are refused', async () => {
      const s = await startSim({ bytesPerJob: 100 * 1024 });
      const { range, dt, stem } = landingOf('marketo-members');
      const first = await runScenario({ exportName: 'marketo-members', config, simulator: { running: s }, ...range });
      expect(first.status).toBe('SUCCEEDED');
      const second = await runScenario({
        exportName: 'marketo-members',
        config,
        simulator: { running: s },
        bucket: first.bucket,
        ...range,
      });
      expect(second.status).toBe('SUCCEEDED');
      expect(s.marketo.jobs()).toHaveLength(2);
      expect(second.state.rawKeys).toEqual([`raw/marketo-members/dt=${dt}/${stem}.csv`]);
      expect(second.state.manifests).toEqual([`manifests/marketo-members/${stem}.json`]);
      expect(second.state.watermark).toBeUndefined();

      const backfill = await runScenario({ exportName: 'marketo-members', config, simulator: { running: s } });
      expect(backfill.status).toBe('FAILED');
      expect(backfill.error).toMatchObject({ name: 'ValidationError' });
      expect(backfill.error?.message).toMatch(/snapshot export: each run lands the current snapshot/);
      expect(s.marketo.jobs()).toHaveLength(2);
    });
  },
);

describeWithMoto('One Marketo instance, two exports (activities and leads)', () => {
  beforeAll(() => useMotoEnv());

  it('run side by side, both land: every window waits out the full queue (busy) and the spent quota (deferred), never a second job', async () => {
    // The simulator's clock runs `offset` ahead of the wall clock, so the test can reach the quota reset.
    let offset = 0;
    // One queue slot for the instance, and a quota two files spend: three windows of two exports must
    // take turns, and the last must wait for midnight US Central.
    const s = await startSim({
      now: () => new Date(Date.now() + offset),
      bytesPerJob: 200 * 1024,
      dailyExportQuotaBytes: 256 * 1024,
      maxQueued: 1,
      processingMs: 200,
    });
    // Jobs stay in processing until a start has found the queue full: the turn-taking happens on any
    // machine, however slowly the two runs get going (waiting on the event, not on timing).
    s.marketo.faults.stuckJobs = true;
    const seen: string[] = [];
    const onProgress = (event: { step: string; message?: string }) => {
      if (event.step !== 'StartJob' || !event.message) return;
      seen.push(event.message.replace(/:.*/, ''));
      if (event.message.startsWith('queue full')) s.marketo.faults.stuckJobs = false;
      const deferred = /^deferred until (\S+):/.exec(event.message);
      // Midnight in Chicago comes (the local engine has already shortened the Wait to it).
      if (deferred && offset === 0) offset = Date.parse(deferred[1]!) - Date.now() + 1000;
    };
    const [activities, leads] = await Promise.all([
      runScenario({
        exportName: 'marketo-activities',
        config,
        simulator: { running: s },
        from: '2026-10-31T00:00:00Z',
        to: '2026-11-02T00:00:00Z',
        onProgress,
      }),
      runScenario({ exportName: 'marketo-leads', config, simulator: { running: s }, onProgress }),
    ]);
    expect(activities.error).toBeUndefined();
    expect(leads.error).toBeUndefined();
    expect([activities.status, leads.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(seen).toContain('queue full');
    expect(seen.some((m) => m.startsWith('deferred until '))).toBe(true);
    expect(activities.state.rawKeys).toEqual([
      'raw/marketo-activities/dt=2026-10-31/20261031T000000Z_20261101T000000Z.csv',
      `raw/marketo-activities/dt=2026-11-01/${STEM}.csv`,
    ]);
    expect(leads.state.rawKeys).toEqual([`raw/marketo-leads/dt=2026-11-01/${STEM}.csv`]);
    // One job per window, each completed: waiting never created a second one.
    const jobs = s.marketo
      .jobs()
      .map((j) => `${j.target.type}:${j.status}`)
      .sort();
    expect(jobs).toEqual(['activities:Completed', 'activities:Completed', 'leads:Completed']);
  });
});
