// The whole workflow for an Ironclad Clickwrap export: a job that yields several CSV links, each landed
// as its own object under the window's partition, all in one manifest; plus the link faults.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportFailedDetail, ExportSucceededDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { compareCuratedWithRaw } from '../support/curated-check';
import { baseConfig, configWith, objectText, runScenario, sha256OfObject } from '../support/scenario';
import { createHash } from 'node:crypto';

const EXPORT = 'clickwrap-activity';
let sim: RunningSimulator | undefined;

async function startSim(options: NonNullable<Parameters<typeof startSimulatorFor>[1]['clickwrap']> = {}) {
  sim = await startSimulatorFor('clickwrap', {
    clickwrap: { processingMs: 100, recordsPerDay: 600, rowsPerFile: 250, ...options },
  });
  return sim as RunningSimulator & { provider: 'clickwrap' };
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const stem = 'raw/clickwrap-activity/dt=2026-11-01/20261101T000000Z_20261102T000000Z';

describeWithMoto('Clickwrap export workflow (local engine, simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('lands every link of the task as its own object, verified, in one manifest', async () => {
    const s = await startSim();
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    const [task] = s.clickwrap.tasks();
    expect(s.clickwrap.tasks()).toHaveLength(1);
    expect(task!.links.length).toBeGreaterThanOrEqual(3);
    const expectedKeys = task!.links.map((_, i) => `${stem}_${i + 1}.csv`);
    expect(result.state.rawKeys.sort()).toEqual(expectedKeys.sort());
    for (let i = 0; i < task!.links.length; i++) {
      const bytes = s.clickwrap.fileBytes(task!.id, i + 1);
      expect(await sha256OfObject(result.bucket, expectedKeys[i]!)).toEqual({
        sha256: sha(bytes),
        bytes: bytes.length,
      });
    }
    // The window filter and the fields reached the API as meant.
    expect(task!.filter).toBe('created_time>=2026-11-01T00:00:00Z and created_time<2026-11-02T00:00:00Z');
    expect(task!.fields.slice(0, 3)).toEqual(['id', 'signer_id', 'created_time']);

    const manifest = JSON.parse(await objectText(result.bucket, result.state.manifests[0]!)) as {
      files: { key: string; records: number; columns: string[] }[];
      records: { counted: number };
    };
    expect(manifest.files.map((f) => f.key)).toEqual(expectedKeys);
    expect(manifest.files[0]!.columns).toEqual(baseConfig.exports.find((e) => e.name === EXPORT)!.request.fields);
    expect(manifest.records.counted).toBe(600);
    const detail = result.events.find((e) => e.detailType === 'Export Succeeded')!.detail as ExportSucceededDetail;
    expect(detail.files).toHaveLength(task!.links.length);
    expect(detail.records).toBe(600);
    // The token never went to the file host.
    expect(s.clickwrap.stats().authHeadersOnFileHost).toBe(0);
    // Every link's Parquet equals the strict parse of its raw file, field by field; empty values are NULL.
    const def = baseConfig.exports.find((e) => e.name === EXPORT)!;
    for (const key of expectedKeys) {
      const { parts, parquetRows, rawRows } = await compareCuratedWithRaw(result.bucket, def, key);
      expect(parts).toHaveLength(1);
      expect(parquetRows).toEqual(rawRows);
      expect(parquetRows.length).toBe(manifest.files.find((f) => f.key === key)!.records);
    }
  });

  it('a re-run that yields fewer links removes the objects the new manifest does not list', async () => {
    const first = await startSim();
    const before = await runScenario({ exportName: EXPORT, simulator: { running: first } });
    expect(before.state.rawKeys.length).toBeGreaterThanOrEqual(3);
    await first.stop();
    const s = await startSim({ rowsPerFile: 10_000 });
    const after = await runScenario({ exportName: EXPORT, simulator: { running: s }, bucket: before.bucket });
    expect(after.status).toBe('SUCCEEDED');
    expect(after.state.rawKeys).toEqual([`${stem}.csv`]);
    const manifest = JSON.parse(await objectText(after.bucket, after.state.manifests[0]!)) as {
      records: { counted: number };
    };
    expect(manifest.records.counted).toBe(600);
  });

  it('a window that fails after some of its files completed leaves none of them visible', async () => {
    const s = await startSim();
    let tripped = false;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      onProgress: (e) => {
        if (!tripped && e.step === 'FinishFile') {
          tripped = true;
          s.clickwrap.faults.wrongContentRange = true;
        }
      },
    });
    expect(tripped).toBe(true);
    expect(result.status).toBe('FAILED');
    const detail = result.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;
    expect(detail.error.name).toBe('RangeMismatchError');
    expect(detail.cleanup.removedObjects).toBeGreaterThanOrEqual(1);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.manifests).toEqual([]);
  });

  it("a value that cannot take its column's type fails the window by name: no curated object, no manifest, nothing raw left", async () => {
    const s = await startSim();
    s.clickwrap.faults.badValueNext = { field: 'created_time', value: 'last tuesday' };
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('FAILED');
    const detail = result.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;
    expect(detail.error.name).toBe('UntypeableValueError');
    // The message names the file, the record and the column, and quotes the value.
    expect(detail.error.message).toMatch(
      /raw\/clickwrap-activity\/dt=2026-11-01\/.*record 1 .*column created_time \(timestamp\).*"last tuesday"/,
    );
    expect(result.state.keys.filter((k) => k.startsWith('curated/'))).toEqual([]);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.watermark).toBeUndefined();
  });

  it('a failed re-run that already replaced some files of a landed window removes the whole window, never a mix', async () => {
    const first = await startSim();
    const before = await runScenario({ exportName: EXPORT, simulator: { running: first } });
    expect(before.status).toBe('SUCCEEDED');
    await first.stop();
    // The re-run yields other files (another split) and fails after one of them landed.
    const s = await startSim({ rowsPerFile: 200 });
    let tripped = false;
    const after = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      bucket: before.bucket,
      onProgress: (e) => {
        if (!tripped && e.step === 'FinishFile') {
          tripped = true;
          s.clickwrap.faults.wrongContentRange = true;
        }
      },
    });
    expect(after.status).toBe('FAILED');
    const detail = after.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;
    expect(detail.cleanup.removedObjects).toBeGreaterThanOrEqual(1);
    expect(after.state.rawKeys).toEqual([]);
    expect(after.state.manifests).toEqual([]);
  });

  it('a host without Range: each file streams whole, across invocations, still byte-identical', async () => {
    const s = await startSim({ fileHostHonoursRange: false, recordsPerDay: 150_000, rowsPerFile: 150_000 });
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 1024 * 1024 },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.taskInvocations.TransferChunk).toBeGreaterThan(1);
    const [task] = s.clickwrap.tasks();
    const bytes = s.clickwrap.fileBytes(task!.id, 1);
    expect(await sha256OfObject(result.bucket, result.state.rawKeys[0]!)).toEqual({
      sha256: sha(bytes),
      bytes: bytes.length,
    });
  });

  it('an expired link is refreshed by polling the task again', async () => {
    const s = await startSim({ recordsPerDay: 3000, rowsPerFile: 3000 });
    let expired = false;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 128 * 1024 },
      onProgress: (e) => {
        if (!expired && e.step === 'TransferChunk') {
          expired = true;
          s.clickwrap.faults.expireLinksNow?.();
        }
      },
    });
    expect(expired).toBe(true);
    expect(result.status).toBe('SUCCEEDED');
    const [task] = s.clickwrap.tasks();
    const bytes = s.clickwrap.fileBytes(task!.id, 1);
    expect((await sha256OfObject(result.bucket, result.state.rawKeys[0]!)).sha256).toBe(sha(bytes));
  });

  it('a link to a host outside the allowlist is refused: nothing fetched, nothing landed', async () => {
    let hits = 0;
    const hostile = createServer((_req, res) => {
      hits += 1;
      res.end('id\n1\n');
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    try {
      const s = await startSim();
      // Only the simulator's file host (by port) is allowed; the hostile server is another loopback port.
      const def = baseConfig.exports.find((e) => e.name === EXPORT)!;
      const config = configWith(EXPORT, {
        request: { ...def.request, allowedLinkHosts: [new URL(s.clickwrap.fileHostUrl).host] },
      });
      s.clickwrap.faults.hostileLinks = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/steal`;
      const result = await runScenario({ exportName: EXPORT, config, simulator: { running: s } });
      expect(result.status).toBe('FAILED');
      const detail = result.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;
      expect(detail.error.name).toBe('ForbiddenLinkError');
      expect(hits).toBe(0);
      expect(result.state.rawKeys).toEqual([]);
      expect(result.state.pendingUploads).toBe(0);
    } finally {
      await new Promise((r) => hostile.close(r));
    }
  });

  it('list-route mode writes the same columns from GET /activity', async () => {
    const s = await startSim({ recordsPerDay: 120 });
    const def = baseConfig.exports.find((e) => e.name === EXPORT)!;
    const config = configWith(EXPORT, { request: { ...def.request, mode: 'list' } });
    const result = await runScenario({ exportName: EXPORT, config, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(s.clickwrap.tasks()).toHaveLength(0);
    expect(result.state.rawKeys).toEqual([`${stem}.csv`]);
    const csv = await objectText(result.bucket, result.state.rawKeys[0]!);
    expect(csv.split('\n')[0]).toBe((def.request.fields as string[]).join(','));
    const manifest = JSON.parse(await objectText(result.bucket, result.state.manifests[0]!)) as {
      records: { counted: number };
    };
    expect(manifest.records.counted).toBe(120);
    const { parquetRows, rawRows } = await compareCuratedWithRaw(result.bucket, def, result.state.rawKeys[0]!);
    expect(parquetRows).toHaveLength(120);
    expect(parquetRows).toEqual(rawRows);
  });
});
