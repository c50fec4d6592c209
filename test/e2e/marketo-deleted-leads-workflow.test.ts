// The deleted-leads dataset through the whole workflow, as synthesized by CDK, on the local engine
// with the real handlers against the Marketo simulator and a real S3 (moto): the raw file is exactly
// what the simulator's records in the window render to, the manifest carries the record counts (no
// checksum: the route states none), the curated rows equal the strict parse, and a daily quota met
// mid-paging is waited out by the state machine.
import { Readable } from 'node:stream';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { PipelineConfig } from '../../lib/config';
import { ExportDefinitionSchema } from '../../lambdas/shared/export-definition';
import type { ExportSucceededDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { compareCuratedWithRaw } from '../support/curated-check';
import { expectedDeletedLeadsCsv } from '../support/deleted-leads-expected';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { baseConfig, objectText, runScenario, sha256OfObject, sha256OfStream } from '../support/scenario';

const EXPORT = 'marketo-deleted-leads';
const definition = ExportDefinitionSchema.parse({
  name: EXPORT,
  provider: 'marketo',
  dataset: 'deleted-leads',
  secretName: 'bulk-export/marketo',
  window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' },
});
const config: PipelineConfig = { ...baseConfig, exports: [...baseConfig.exports, definition] };

let sim: (RunningSimulator & { provider: 'marketo' }) | undefined;

async function startSim(): Promise<RunningSimulator & { provider: 'marketo' }> {
  const started = (await startSimulatorFor('marketo', {
    marketo: { deletedLeads: { perHour: 30 } },
  })) as RunningSimulator & { provider: 'marketo' };
  sim = started;
  return started;
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describeWithMoto('Marketo deleted leads workflow (local engine, simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('lands the window: raw bytes as the records render, record counts in the manifest, curated rows equal the strict parse', async () => {
    const s = await startSim();
    const result = await runScenario({ exportName: EXPORT, config, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');

    const stem = '20261101T000000Z_20261102T000000Z';
    const key = `raw/${EXPORT}/dt=2026-11-01/${stem}.csv`;
    expect(result.state.rawKeys).toEqual([key]);
    expect(result.state.pendingUploads).toBe(0);
    const records = s.marketo.deletedLeads.recordsBetween('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z');
    expect(records.length).toBeGreaterThan(600);
    const expected = expectedDeletedLeadsCsv(records);
    const landed = await sha256OfObject(result.bucket, key);
    expect(landed).toEqual(await sha256OfStream(Readable.from([expected])));

    // No bulk job was made (so none to cancel and no export quota spent), nor any activity-types call.
    expect(s.marketo.jobs()).toEqual([]);
    const { byKind } = s.marketo.stats();
    expect(byKind.create ?? 0).toBe(0);
    expect(byKind.types ?? 0).toBe(0);
    // One pass to count (CheckJob), one to transfer (TransferChunk): a token and four pages each.
    expect(byKind.pagingtoken).toBe(2);
    expect(byKind.deletedleads).toBe(2 * (Math.ceil((records.length + 1) / 300) + 1));

    const manifest = JSON.parse(await objectText(result.bucket, `manifests/${EXPORT}/${stem}.json`)) as {
      files: {
        sha256: string;
        records: number;
        bytes: number;
        verified: { sha256: boolean; bytes: boolean; records: boolean };
        columns: string[];
      }[];
      records: { counted: number; provider: number; curated: number };
      job: { id: string };
    };
    expect(manifest.job.id).toBe('deleted-leads:2026-11-01T00:00:00Z/2026-11-02T00:00:00Z');
    expect(manifest.files[0]).toMatchObject({
      sha256: landed.sha256,
      bytes: expected.length,
      records: records.length,
      verified: { sha256: false, bytes: true, records: true },
    });
    expect(manifest.files[0]!.columns).toEqual([
      'marketoGUID',
      'id',
      'leadId',
      'activityDate',
      'activityTypeId',
      'primaryAttributeValueId',
      'primaryAttributeValue',
      'attributes',
    ]);
    expect(manifest.records).toEqual({ counted: records.length, provider: records.length, curated: records.length });

    const { parquetRows, rawRows, parts } = await compareCuratedWithRaw(result.bucket, definition, key);
    expect(parts).toEqual([`curated/${EXPORT}/dt=2026-11-01/${stem}-0001.parquet`]);
    expect(parquetRows).toHaveLength(records.length);
    expect(parquetRows).toEqual(rawRows);
    // Typed as the descriptor says: ids as bigint, the date as epoch millis, absent values as null.
    const first = records[0]!;
    expect(parquetRows[0]!.slice(1, 4)).toEqual([
      BigInt(first.id),
      BigInt(first.leadId),
      BigInt(Date.parse(first.activityDate)),
    ]);
    expect(parquetRows.some((row) => row[0] === null)).toBe(true);

    const detail = result.events.find((e) => e.detailType === 'Export Succeeded')!.detail as ExportSucceededDetail;
    expect(detail).toMatchObject({
      export: EXPORT,
      jobIds: ['deleted-leads:2026-11-01T00:00:00Z/2026-11-02T00:00:00Z'],
      records: records.length,
      watermark: '2026-11-02T00:00:00Z',
    });
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
  });

  it('a daily REST quota (607) met mid-paging is waited out by the state machine; two windows land side by side', async () => {
    const s = await startSim();
    s.marketo.deletedLeads.faults.failMidPaging = { afterPages: 2, code: '607' };
    const result = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      from: '2026-11-03T00:00:00Z',
      to: '2026-11-05T00:00:00Z',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    // Two windows, and the one that met the 607 checked again after the state machine's wait for the reset.
    expect(result.taskInvocations.CheckJob).toBe(3);
    expect(s.marketo.deletedLeads.faults.failMidPaging).toBeUndefined();
    expect(result.state.manifests).toEqual([
      `manifests/${EXPORT}/20261103T000000Z_20261104T000000Z.json`,
      `manifests/${EXPORT}/20261104T000000Z_20261105T000000Z.json`,
    ]);
    for (const [start, end, stem] of [
      ['2026-11-03T00:00:00Z', '2026-11-04T00:00:00Z', 'dt=2026-11-03/20261103T000000Z_20261104T000000Z'],
      ['2026-11-04T00:00:00Z', '2026-11-05T00:00:00Z', 'dt=2026-11-04/20261104T000000Z_20261105T000000Z'],
    ] as const) {
      const landed = await sha256OfObject(result.bucket, `raw/${EXPORT}/${stem}.csv`);
      expect(landed).toEqual(
        await sha256OfStream(
          Readable.from([expectedDeletedLeadsCsv(s.marketo.deletedLeads.recordsBetween(start, end))]),
        ),
      );
    }
  });
});
