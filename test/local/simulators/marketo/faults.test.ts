import { buffer } from 'node:stream/consumers';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RateStorm } from '../../../../local/simulators/marketo/faults';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, parseExport, sha256, simClient, testClock, type SimClient } from './sim-client';

const BODY = jobBody('2024-04-01T00:00:00Z', '2024-04-02T00:00:00Z');
const TYPES = '/rest/v1/activities/types.json';

describe('Marketo simulator: fault switches', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;
  let doneId: string;
  let original: Buffer;

  beforeAll(async () => {
    sim = await startMarketoSimulator({
      now: clock.now,
      queuedMs: 0,
      processingMs: 1000,
      rateLimit: false,
      maxQueued: 50,
    });
    client = simClient(sim);
    doneId = await client.startJob(BODY);
    await client.statusOf(doneId);
    clock.advance(1000);
    expect(await client.statusOf(doneId)).toMatchObject({ status: 'Completed' });
    original = (await client.file(doneId)).body;
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });
  beforeEach(() => {
    for (const key of Object.keys(sim.faults)) delete sim.faults[key as keyof typeof sim.faults];
  });

  /** Reads a file body until it ends or breaks; returns what arrived and whether it broke. */
  async function download(headers: Record<string, string> = {}) {
    const res = await request(`${sim.baseUrl}/bulk/v1/activities/export/${doneId}/file.json`, {
      dispatcher: client.agent,
      headers: { authorization: `Bearer ${await client.bearer()}`, ...headers },
    });
    const parts: Buffer[] = [];
    let broken = false;
    try {
      for await (const chunk of res.body) parts.push(chunk as Buffer);
    } catch {
      broken = true;
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(parts), broken };
  }

  it.each([
    ['601', 'Access token invalid'],
    ['602', 'Access token expired'],
    ['604', 'Request timed out'],
    ['606', "Max rate limit '100' exceeded with in '20' secs"],
    ['607', 'Daily quota reached'],
    ['608', 'API Temporarily Unavailable'],
    ['611', 'System error'],
    ['615', 'Concurrent access limit reached'],
    ['713', 'Transient Error'],
    ['1003', 'Invalid value'],
    ['1029', 'Too many jobs in queue'],
    ['1035', 'Unsupported filter type for target subscription'],
  ])('injects Marketo error %s with its real message in an HTTP 200 envelope', async (code, message) => {
    sim.faults.injectErrors = [{ code, times: 1 }];
    const answer = await client.raw('GET', TYPES, { headers: { authorization: `Bearer ${await client.bearer()}` } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code, message }],
    });
    expect((await client.call('GET', TYPES)).success).toBe(true);
  });

  it('injects the three 1029 meanings with given messages, only on the named kinds, `times` times', async () => {
    const quota = 'Export daily quota 500MB exceeded';
    sim.faults.injectErrors = [
      { code: '1029', message: quota, times: 2, kinds: ['create'] },
      { code: '1029', message: 'Job already queued', times: 1, kinds: ['enqueue'] },
    ];
    expect((await client.call('GET', TYPES)).success).toBe(true);
    expect(await client.create(BODY)).toMatchObject({ errors: [{ code: '1029', message: quota }] });
    expect(await client.create(BODY)).toMatchObject({ errors: [{ code: '1029', message: quota }] });
    const id = String(client.first(await client.create(BODY)).exportId);
    expect(await client.enqueue(id)).toMatchObject({ errors: [{ code: '1029', message: 'Job already queued' }] });
    expect(client.first(await client.enqueue(id))).toMatchObject({ status: 'Queued' });
    expect(sim.faults.injectErrors).toEqual([]);
  });

  it('a rate storm refuses the calls it aims at for forMs of the simulator clock, however often they come, then ends', async () => {
    const storm: RateStorm = { code: '606', forMs: 60_000, kinds: ['types'] };
    sim.faults.rateStorm = storm;
    expect(client.first(await client.create(BODY))).toMatchObject({ status: 'Created' });
    for (let i = 0; i < 3; i += 1) {
      expect(await client.call('GET', TYPES)).toMatchObject({ success: false, errors: [{ code: '606' }] });
      clock.advance(25_000);
    }
    // 75 s after the first refusal: over.
    expect((await client.call('GET', TYPES)).success).toBe(true);
    expect(sim.faults.rateStorm).toBeUndefined();
    expect(storm).toMatchObject({ refused: 3 });
    expect(storm.lastAtMs! - storm.firstAtMs!).toBe(50_000);
  });

  it('injects a 607 on any call kind it names (daily call quota), and 615 bursts', async () => {
    sim.faults.injectErrors = [
      { code: '607', times: 1, kinds: ['status'] },
      { code: '615', times: 2, kinds: ['file'] },
    ];
    expect(await client.call('GET', `/bulk/v1/activities/export/${doneId}/status.json`)).toMatchObject({
      errors: [{ code: '607' }],
    });
    expect(client.first(await client.call('GET', `/bulk/v1/activities/export/${doneId}/status.json`))).toMatchObject({
      status: 'Completed',
    });
    for (let i = 0; i < 2; i += 1)
      expect(await client.call('GET', `/bulk/v1/activities/export/${doneId}/file.json`)).toMatchObject({
        errors: [{ code: '615' }],
      });
    expect(sim.faults.injectErrors).toEqual([]);
  });

  it('injects HTTP 502 / 500 and connection resets, and reaches the identity endpoint only when named', async () => {
    sim.faults.injectErrors = [
      { code: 'http502', times: 1, kinds: ['status'] },
      { code: 'http500', times: 1, kinds: ['status'] },
      { code: 'reset', times: 1, kinds: ['status'] },
      { code: 'http502', times: 1, kinds: ['token'] },
    ];
    const path = `/bulk/v1/activities/export/${doneId}/status.json`;
    const auth = { authorization: `Bearer ${await client.bearer()}` };
    const bad = await client.raw('GET', path, { headers: auth });
    expect([bad.status, bad.headers['content-type']]).toEqual([502, 'text/html']);
    expect((await client.raw('GET', path, { headers: auth })).status).toBe(500);
    await expect(client.raw('GET', path, { headers: auth })).rejects.toThrow();
    expect((await client.raw('GET', path, { headers: auth })).status).toBe(200);
    expect((await client.fetchToken()).status).toBe(502);
    expect((await client.fetchToken()).status).toBe(200);
  });

  it('cuts file bodies after afterBytes bytes, `times` times, then serves whole files again', async () => {
    sim.faults.dropConnectionAfterBytes = { afterBytes: 10_000, times: 2 };
    for (let i = 0; i < 2; i++) {
      const cut = await download();
      expect(cut.status).toBe(200);
      expect(cut.broken).toBe(true);
      expect(cut.body.length).toBe(10_000);
      expect(cut.body.equals(original.subarray(0, 10_000))).toBe(true);
    }
    const whole = await download({ range: 'bytes=5000-' });
    expect(whole.broken).toBe(false);
    expect(whole.body.equals(original.subarray(5000))).toBe(true);
  });

  it('flips exactly one byte at corruptByteAt while the status keeps the true checksum', async () => {
    sim.faults.corruptByteAt = 1000;
    const bad = await download();
    expect(bad.body.length).toBe(original.length);
    const differing = [...bad.body.keys()].filter((i) => bad.body[i] !== original[i]);
    expect(differing).toEqual([1000]);
    const status = await client.statusOf(doneId);
    expect(status.fileChecksum).toBe(`sha256:${sha256(original)}`);
    expect(`sha256:${sha256(bad.body)}`).not.toBe(status.fileChecksum);
    const ranged = await download({ range: 'bytes=900-1100' });
    expect(ranged.body[100]).not.toBe(original[1000]);
    expect(ranged.body.subarray(0, 100).equals(original.subarray(900, 1000))).toBe(true);
    expect((await buffer(sim.fileStream(doneId))).equals(original)).toBe(true);
  });

  it('throttles file bodies to about slowBytesPerSecond', async () => {
    sim.faults.slowBytesPerSecond = 8_000;
    const started = performance.now();
    const slow = await download({ range: 'bytes=0-3999' });
    expect(slow.body.equals(original.subarray(0, 4000))).toBe(true);
    // 4,000 bytes at 8,000 B/s: at least ~0.5 s (a lower bound only, so load cannot make it flaky).
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('answers 200 with the whole file despite Range when ignoreRange is set', async () => {
    sim.faults.ignoreRange = true;
    const answer = await download({ range: 'bytes=100-199' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-range']).toBeUndefined();
    expect(answer.body.equals(original)).toBe(true);
  });

  it('writes NUL bytes into values of jobs built while includeNulByte is set', async () => {
    sim.faults.includeNulByte = true;
    const id = await client.startJob(BODY);
    await client.statusOf(id);
    clock.advance(1000);
    const status = await client.statusOf(id);
    const bytes = (await client.file(id)).body;
    expect(bytes.includes(0)).toBe(true);
    expect(original.includes(0)).toBe(false);
    expect(`sha256:${sha256(bytes)}`).toBe(status.fileChecksum);
    expect(parseExport(bytes).records).toHaveLength(Number(status.numberOfRecords));
  });

  it('fails the next job to reach processing with failNextJob, and only that one', async () => {
    sim.faults.failNextJob = 'Job failed: internal error (simulated)';
    const failing = await client.startJob(BODY);
    const next = await client.startJob(BODY);
    await client.statusOf(failing);
    clock.advance(1000);
    expect(await client.statusOf(failing)).toMatchObject({
      status: 'Failed',
      errorMsg: 'Job failed: internal error (simulated)',
      finishedAt: expect.any(String),
    });
    expect(await client.statusOf(next)).toMatchObject({ status: 'Completed' });
    expect(sim.faults.failNextJob).toBeUndefined();
    expect((await client.file(failing)).status).toBe(404);
  });

  it('keeps jobs Processing while stuckJobs is set', async () => {
    sim.faults.stuckJobs = true;
    const id = await client.startJob(BODY);
    await client.statusOf(id);
    clock.advance(24 * 3600_000);
    expect(await client.statusOf(id)).toMatchObject({ status: 'Processing' });
    sim.faults.stuckJobs = false;
    expect(await client.statusOf(id)).toMatchObject({ status: 'Completed' });
  });
});
