import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, simClient, testClock, type SimClient } from './sim-client';

const TYPES = '/rest/v1/activities/types.json';

describe('Marketo simulator: rate and concurrency limits', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  afterEach(async () => {
    await client.agent.close();
    await sim.stop();
  });

  it('answers 606 beyond `calls` in the sliding window, and rejected calls do not extend it', async () => {
    sim = await startMarketoSimulator({ now: clock.now, rateLimit: { calls: 5, windowMs: 20_000 } });
    client = simClient(sim);
    const types = () => client.call('GET', TYPES);
    const t0 = clock.now().getTime();
    for (let i = 0; i < 3; i++) expect((await types()).success).toBe(true);
    clock.advance(10_000);
    for (let i = 0; i < 2; i++) expect((await types()).success).toBe(true);
    clock.advance(5_000);
    expect(await types()).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '606', message: "Max rate limit '5' exceeded with in '20' secs" }],
    });
    clock.set(new Date(t0 + 19_999).toISOString());
    expect(await types()).toMatchObject({ errors: [{ code: '606' }] });
    clock.set(new Date(t0 + 20_000).toISOString());
    for (let i = 0; i < 3; i++) expect((await types()).success).toBe(true);
    expect(await types()).toMatchObject({ errors: [{ code: '606' }] });
    const { callTimes, byKind } = sim.stats();
    expect(byKind.types).toBe(callTimes.length);
    expect(callTimes.filter((t) => t === t0)).toHaveLength(3);
  });

  it('applies the default limit of 100 calls per 20 s', async () => {
    sim = await startMarketoSimulator({ now: clock.now });
    client = simClient(sim);
    for (let i = 0; i < 100; i++) expect((await client.call('GET', TYPES)).success).toBe(true);
    expect(await client.call('GET', TYPES)).toMatchObject({
      errors: [{ code: '606', message: "Max rate limit '100' exceeded with in '20' secs" }],
    });
    clock.advance(20_000);
    expect((await client.call('GET', TYPES)).success).toBe(true);
  });

  it('answers 615 while more than maxConcurrentCalls are in flight, and reports the peak', async () => {
    sim = await startMarketoSimulator({ now: clock.now, maxConcurrentCalls: 2, queuedMs: 0, processingMs: 0 });
    client = simClient(sim);
    const id = await client.startJob(jobBody('2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z'));
    expect(await client.statusOf(id)).toMatchObject({ status: 'Completed' });
    sim.faults.slowBytesPerSecond = 2_000;
    const auth = { authorization: `Bearer ${await client.bearer()}` };
    const open = await Promise.all(
      [0, 1].map(() =>
        request(`${sim.baseUrl}/bulk/v1/activities/export/${id}/file.json`, {
          dispatcher: client.agent,
          headers: auth,
        }),
      ),
    );
    expect(open.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await client.call('GET', TYPES)).toMatchObject({
      success: false,
      errors: [{ code: '615', message: 'Concurrent access limit reached' }],
    });
    expect(sim.stats().maxConcurrent).toBe(3);
    for (const r of open) r.body.destroy();
    // The server notices the aborted downloads asynchronously: poll (bounded) until a call is admitted.
    let answer = await client.call('GET', TYPES);
    for (let i = 0; i < 250 && !answer.success; i++) {
      await sleep(20);
      answer = await client.call('GET', TYPES);
    }
    expect(answer.success).toBe(true);
  });
});
