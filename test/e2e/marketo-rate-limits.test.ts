// Marketo's limits met mid-job through the whole workflow (local engine, simulator, moto S3): a daily
// call quota (607) on the file, mid-count or mid-paging defers the step and resumes it at the same
// position (the page token saved, no page fetched twice; a token expired meanwhile starts over); a
// 606 storm longer than a minute during Get Deleted Leads paging lands the window (the client's own
// waits are not a slow source); 615 bursts are waited out. Long waits run on the simulator's clock:
// the client sleeps SIMULATOR_SLEEP_SCALE of every nominal wait, and the simulator's clock runs the
// inverse faster, so a storm of minutes passes in a blink and no assertion reads the wall clock.
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { ExportDefinitionSchema } from '../../lambdas/shared/export-definition';
import { memoryMetrics } from '../support/memory-metrics';
import type { PipelineConfig } from '../../lib/config';
import { SIMULATOR_SLEEP_SCALE } from '../../local/local-runtime';
import type { RateStorm } from '../../local/simulators/marketo/faults';
import { expectedDeletedLeadsCsv } from '../support/deleted-leads-expected';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { baseConfig, runScenario, sha256OfObject, sha256OfStream } from '../support/scenario';
import { useMarketoSimulator, type MarketoTestSimulator } from '../support/marketo-simulator';

const DELETED = 'marketo-deleted-leads';
const ACTIVITIES = 'marketo-activities';
const DAY = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const RAW_DELETED = `raw/${DELETED}/dt=2026-11-01/20261101T000000Z_20261102T000000Z.csv`;

function deletedLeadsConfig(minTransferBytesPerSecond?: number): PipelineConfig {
  const definition = ExportDefinitionSchema.parse({
    name: DELETED,
    provider: 'marketo',
    dataset: 'deleted-leads',
    secretName: 'bulk-export/marketo',
    window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' },
    ...(minTransferBytesPerSecond ? { minTransferBytesPerSecond } : {}),
  });
  return { ...baseConfig, exports: [...baseConfig.exports, definition] };
}

/** The simulator's clock: it runs as much faster than the wall clock as the client's sleeps are shorter. */
function acceleratedNow(): () => Date {
  const origin = Date.now();
  const speed = 1 / SIMULATOR_SLEEP_SCALE;
  return () => new Date(origin + (Date.now() - origin) * speed);
}

async function expectDeletedLeadsLanded(bucket: string, s: MarketoTestSimulator): Promise<void> {
  const expected = expectedDeletedLeadsCsv(s.marketo.deletedLeads.recordsBetween(DAY.start, DAY.end));
  expect(await sha256OfObject(bucket, RAW_DELETED)).toEqual(await sha256OfStream(Readable.from([expected])));
}

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 });

describeWithMoto('Marketo rate limits and the daily call quota mid-job', () => {
  beforeAll(() => useMotoEnv());

  it('607 on the file download: the transfer waits for the reset and resumes the same job (one job, no cleanup)', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ code: '607', times: 1, kinds: ['file'] }];
    const result = await runScenario({ exportName: ACTIVITIES, simulator: { running: s } });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(s.marketo.faults.injectErrors).toEqual([]);
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(result.taskInvocations.TransferChunk).toBeGreaterThanOrEqual(2);
    expect(result.taskInvocations.CleanupWindow ?? 0).toBe(0);
    expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
  });

  it('607 mid-paging of the transfer: the step is deferred and resumes at the saved page token; no page is fetched twice, every deletion lands once', async () => {
    const s = await startSim({ deletedLeads: { perHour: 49 } });
    const offsets: number[] = [];
    let armed = false;
    let countedPages = 0;
    const result = await runScenario({
      exportName: DELETED,
      config: deletedLeadsConfig(),
      simulator: { running: s },
      from: DAY.start,
      to: DAY.end,
      transferTuning: { maxBytesPerInvocation: 16 * 1024 },
      onProgress: (e) => {
        if (e.step !== 'TransferChunk' || e.bytes === undefined) return;
        offsets.push(e.bytes);
        // Once the transfer is under way (its first page read), the next page is refused: 607.
        if (!armed) {
          armed = true;
          countedPages = s.marketo.deletedLeads.pageStarts().length - 1;
          s.marketo.deletedLeads.faults.failMidPaging = { afterPages: 1, code: '607' };
        }
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(armed).toBe(true);
    expect(s.marketo.deletedLeads.faults.failMidPaging).toBeUndefined();
    // CheckJob's count paged the window once; the transfer paged it once more, each page once: the
    // deferred step resumed at the token after the last page it had read (kept, with the bytes not yet
    // in a part, in the checkpoint the deferral left), not at the window's start.
    const starts = s.marketo.deletedLeads.pageStarts();
    const counted = starts.slice(0, countedPages);
    expect(counted.length).toBeGreaterThan(2);
    expect(starts.slice(countedPages)).toEqual(counted);
    expect(result.taskInvocations.CheckJob).toBe(1);
    expect(result.taskInvocations.BeginFile).toBe(1);
    expect(result.taskInvocations.TransferChunk).toBeGreaterThanOrEqual(2);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.keys.filter((k) => k.startsWith('checkpoints/'))).toEqual([]);
    expect(result.taskInvocations.CleanupWindow ?? 0).toBe(0);
    await expectDeletedLeadsLanded(result.bucket, s);
  });

  it('607 mid-count (CheckJob pages the window to size it): the check after the wait counts on from the saved token; each page fetched once by the count and once by the transfer', async () => {
    const s = await startSim({ deletedLeads: { perHour: 49 } });
    s.marketo.deletedLeads.faults.failMidPaging = { afterPages: 2, code: '607' };
    const result = await runScenario({
      exportName: DELETED,
      config: deletedLeadsConfig(),
      simulator: { running: s },
      from: DAY.start,
      to: DAY.end,
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(s.marketo.deletedLeads.faults.failMidPaging).toBeUndefined();
    expect(result.taskInvocations.CheckJob).toBe(2);
    const starts = s.marketo.deletedLeads.pageStarts();
    const pages = starts.length / 2;
    expect(pages).toBeGreaterThan(2);
    expect(starts.slice(0, pages)).toEqual(starts.slice(pages));
    expect(new Set(starts).size).toBe(pages);
    expect(result.state.keys.filter((k) => k.startsWith('checkpoints/'))).toEqual([]);
    await expectDeletedLeadsLanded(result.bucket, s);
  });

  it('607 mid-paging whose wait outlasts the page tokens: the resumed step is refused its token and starts the file over on the same upload; every deletion lands once', async () => {
    const s = await startSim({ deletedLeads: { perHour: 49 } });
    let armed = false;
    let countedPages = 0;
    const result = await runScenario({
      exportName: DELETED,
      config: deletedLeadsConfig(),
      simulator: { running: s },
      from: DAY.start,
      to: DAY.end,
      onProgress: (e) => {
        if (armed || e.step !== 'TransferChunk' || e.bytes === undefined) return;
        armed = true;
        // The transfer's first page is read; one more is answered, then the 607, and every token expires.
        countedPages = s.marketo.deletedLeads.pageStarts().length - 1;
        s.marketo.deletedLeads.faults.failMidPaging = { afterPages: 1, code: '607', expireTokens: true };
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(armed).toBe(true);
    const logs = result.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(logs).toContain('refused its saved position');
    // The count, the pages read before the wait, then the whole window again from its start.
    const starts = s.marketo.deletedLeads.pageStarts();
    const counted = starts.slice(0, countedPages);
    expect(starts.slice(countedPages)).toEqual([...counted.slice(0, 2), ...counted]);
    expect(result.taskInvocations.BeginFile).toBe(1);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.keys.filter((k) => k.startsWith('checkpoints/'))).toEqual([]);
    await expectDeletedLeadsLanded(result.bucket, s);
  });

  it('a 606 storm of more than a minute during paging lands the window: the waits are not counted as a slow source', async () => {
    const s = await startSim({
      now: acceleratedNow(),
      tokenTtlSeconds: 10 * 86_400,
      deletedLeads: { perHour: 49, pagingTokenTtlSeconds: 10 * 86_400 },
    });
    const storm: RateStorm = { code: '606', forMs: 90_000, kinds: ['deletedleads'] };
    let armed = false;
    const result = await runScenario({
      exportName: DELETED,
      // A rate the simulator's pages always beat, judged over short windows: the storm's waits would not.
      config: deletedLeadsConfig(256 * 1024),
      simulator: { running: s },
      from: DAY.start,
      to: DAY.end,
      transferTuning: { retry: { rateWindowMs: 20 } },
      onProgress: (e) => {
        if (!armed && e.step === 'TransferChunk') {
          armed = true;
          s.marketo.faults.rateStorm = storm;
        }
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(armed).toBe(true);
    // The storm ran its course on the simulator's clock: the simulator drops it only when a call comes
    // `forMs` (90 s) after the first refused one, so the client kept paging through over a minute of
    // refusals. (When the last refusal fell depends on the backoff's jitter: not asserted.)
    expect(s.marketo.faults.rateStorm).toBeUndefined();
    expect(storm.refused).toBeGreaterThan(1);
    expect(result.logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain('TransferTooSlowError');
    await expectDeletedLeadsLanded(result.bucket, s);
  });

  it('615 bursts on create, status and the file are waited out: one job, the window lands, every call counted by instance', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [
      { code: '615', times: 2, kinds: ['create'] },
      { code: '615', times: 3, kinds: ['status'] },
      { code: '615', times: 3, kinds: ['file'] },
    ];
    const metrics = memoryMetrics();
    const result = await runScenario({ exportName: ACTIVITIES, simulator: { running: s }, metrics });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(s.marketo.faults.injectErrors).toEqual([]);
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(result.state.manifests).toHaveLength(1);
    // ApiCalls by instance counts every call the instance received, refused ones included.
    const byInstance = metrics
      .emitted()
      .filter((m) => m.name === 'ApiCalls' && m.dimensionSets.some((set) => set.join() === 'provider,instance'));
    expect(new Set(byInstance.map((m) => m.dimensions.instance))).toEqual(
      new Set([new URL(s.credentials.baseUrl).host]),
    );
    const received = Object.entries(s.marketo.stats().byKind)
      .filter(([kind]) => kind !== 'unknown')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(byInstance.reduce((sum, m) => sum + m.value, 0)).toBe(received);
  });
});
