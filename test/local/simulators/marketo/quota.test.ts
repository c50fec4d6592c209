import { afterEach, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, simClient, testClock, type SimClient } from './sim-client';

const MiB = 1024 * 1024;
const BODY = jobBody('2024-02-01T00:00:00Z', '2024-02-02T00:00:00Z');

describe('Marketo simulator: daily export quota (America/Chicago day)', () => {
  const clock = testClock('2024-03-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  afterEach(async () => {
    await client.agent.close();
    await sim.stop();
  });

  async function exhaustQuotaAt(iso: string): Promise<{ pending: string }> {
    clock.set(iso);
    sim = await startMarketoSimulator({
      now: clock.now,
      queuedMs: 0,
      processingMs: 0,
      dailyExportQuotaBytes: MiB,
      bytesPerJob: 1.2 * MiB,
    });
    client = simClient(sim);
    const pending = String(client.first(await client.create(BODY)).exportId);
    const id = await client.startJob(BODY);
    const done = await client.statusOf(id);
    expect(done).toMatchObject({ status: 'Completed' });
    expect(Number(done.fileSize)).toBeGreaterThanOrEqual(1.2 * MiB);
    expect(sim.exportedBytesToday()).toBe(done.fileSize);
    return { pending };
  }

  const quotaError = { success: false, errors: [{ code: '1029', message: 'Export daily quota 1MB exceeded' }] };

  it('refuses create and enqueue once the day’s exported bytes reach the quota, until midnight Chicago on a spring-forward day', async () => {
    // 2024-03-10 is a 23-hour day in Chicago: it starts 06:00Z (CST) and ends 05:00Z (CDT).
    const { pending } = await exhaustQuotaAt('2024-03-10T12:00:00Z');
    expect(await client.create(BODY)).toMatchObject(quotaError);
    expect(await client.enqueue(pending)).toMatchObject(quotaError);
    clock.set('2024-03-11T04:59:59Z');
    expect(await client.create(BODY)).toMatchObject(quotaError);
    clock.set('2024-03-11T05:00:00Z');
    expect(sim.exportedBytesToday()).toBe(0);
    expect((await client.create(BODY)).success).toBe(true);
    expect(client.first(await client.enqueue(pending))).toMatchObject({ status: 'Queued' });
  });

  it('resets at local midnight on a fall-back day, 25 hours after the day began, not 24', async () => {
    // 2024-11-03 starts 05:00Z (CDT) and ends 06:00Z the next day (CST).
    await exhaustQuotaAt('2024-11-03T05:30:00Z');
    clock.set('2024-11-04T05:30:00Z');
    expect(await client.create(BODY)).toMatchObject(quotaError);
    clock.set('2024-11-04T06:00:00Z');
    expect((await client.create(BODY)).success).toBe(true);
  });

  it('counts only completed jobs: cancelled and failed jobs use no quota', async () => {
    clock.set('2024-06-01T15:00:00Z');
    sim = await startMarketoSimulator({
      now: clock.now,
      queuedMs: 0,
      processingMs: 1000,
      dailyExportQuotaBytes: MiB,
      bytesPerJob: 1.2 * MiB,
    });
    client = simClient(sim);
    sim.faults.failNextJob = 'Internal error';
    const failed = await client.startJob(BODY);
    const cancelled = await client.startJob(BODY);
    expect(await client.statusOf(cancelled)).toMatchObject({ status: 'Processing' });
    await client.cancel(cancelled);
    clock.advance(1000);
    expect(await client.statusOf(failed)).toMatchObject({ status: 'Failed', errorMsg: 'Internal error' });
    expect(sim.exportedBytesToday()).toBe(0);
    expect((await client.create(BODY)).success).toBe(true);
  });
});

describe('Marketo simulator: daily call budget (607)', () => {
  const clock = testClock('2024-07-01T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  afterEach(async () => {
    await client.agent.close();
    await sim.stop();
  });

  it('answers 607 when the day’s calls are used, does not count 6xx answers, and resets at midnight Chicago', async () => {
    sim = await startMarketoSimulator({ now: clock.now, dailyCallLimit: 3, tokenTtlSeconds: 86_400 * 2 });
    client = simClient(sim);
    const types = () => client.call('GET', '/rest/v1/activities/types.json');
    const invalidToken = () =>
      client
        .raw('GET', '/rest/v1/activities/types.json', { headers: { authorization: 'Bearer nope' } })
        .then((a) => JSON.parse(a.body.toString()));
    for (let i = 0; i < 5; i++) expect(await invalidToken()).toMatchObject({ errors: [{ code: '601' }] });
    sim.faults.injectErrors = [{ code: '608', times: 2 }];
    expect(await types()).toMatchObject({ errors: [{ code: '608' }] });
    expect(await types()).toMatchObject({ errors: [{ code: '608' }] });
    for (let i = 0; i < 3; i++) expect((await types()).success).toBe(true);
    expect(await types()).toMatchObject({ success: false, errors: [{ code: '607', message: 'Daily quota reached' }] });
    clock.set('2024-07-02T04:59:59Z'); // 23:59:59 CDT
    expect(await types()).toMatchObject({ errors: [{ code: '607' }] });
    clock.set('2024-07-02T05:00:00Z');
    expect((await types()).success).toBe(true);
  });
});
