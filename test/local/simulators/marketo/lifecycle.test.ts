import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, simClient, testClock, type SimClient } from './sim-client';

const BODY = jobBody('2024-05-01T00:00:00Z', '2024-05-01T06:00:00Z');
const QUEUED_MS = 60_000;
const PROCESSING_MS = 120_000;

describe('Marketo simulator: job lifecycle', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeEach(async () => {
    clock.set('2024-05-10T12:00:00Z');
    sim = await startMarketoSimulator({
      now: clock.now,
      queuedMs: QUEUED_MS,
      processingMs: PROCESSING_MS,
      maxProcessing: 2,
      maxQueued: 4,
    });
    client = simClient(sim);
  });
  afterEach(async () => {
    await client.agent.close();
    await sim.stop();
  });

  const statusOf = async (id: string) => String((await client.statusOf(id)).status);

  it('goes Created → Queued → Processing → Completed as the clock moves, with Marketo-style timestamps', async () => {
    const created = client.first(await client.create(BODY));
    const id = String(created.exportId);
    expect(created).toEqual({ exportId: id, format: 'CSV', status: 'Created', createdAt: '2024-05-10T12:00:00Z' });
    clock.advance(5_000);
    expect(client.first(await client.enqueue(id))).toMatchObject({
      status: 'Queued',
      queuedAt: '2024-05-10T12:00:05Z',
    });
    clock.advance(QUEUED_MS - 1);
    expect(await statusOf(id)).toBe('Queued');
    clock.advance(1);
    expect(await client.statusOf(id)).toMatchObject({ status: 'Processing', startedAt: '2024-05-10T12:01:05Z' });
    clock.advance(PROCESSING_MS);
    const done = await client.statusOf(id);
    expect(done).toEqual({
      exportId: id,
      format: 'CSV',
      status: 'Completed',
      createdAt: '2024-05-10T12:00:00Z',
      queuedAt: '2024-05-10T12:00:05Z',
      startedAt: '2024-05-10T12:01:05Z',
      finishedAt: '2024-05-10T12:03:05Z',
      numberOfRecords: 125,
      fileSize: expect.any(Number),
      fileChecksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(sim.jobs()).toEqual([
      expect.objectContaining({ exportId: id, status: 'Completed', numberOfRecords: 125, filter: BODY.filter }),
    ]);
  });

  it('processes at most maxProcessing jobs; the next starts when a slot frees, even if time jumped past it', async () => {
    const ids = [await client.startJob(BODY), await client.startJob(BODY), await client.startJob(BODY)];
    clock.advance(QUEUED_MS);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['Processing', 'Processing', 'Queued']);
    // One jump over both transitions: the third job's history must still be replayed in order.
    clock.advance(PROCESSING_MS + QUEUED_MS);
    const third = await client.statusOf(ids[2] ?? '');
    expect(third).toMatchObject({ status: 'Processing', startedAt: '2024-05-10T12:03:00Z' });
    expect(await statusOf(ids[0] ?? '')).toBe('Completed');
  });

  it('answers 1029 "Too many jobs in queue" beyond maxQueued, and "Job already queued" on a second enqueue', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await client.startJob(BODY));
    const fifth = String(client.first(await client.create(BODY)).exportId);
    expect(await client.enqueue(fifth)).toMatchObject({
      success: false,
      errors: [{ code: '1029', message: 'Too many jobs in queue' }],
    });
    expect(await client.enqueue(ids[0] ?? '')).toMatchObject({
      success: false,
      errors: [{ code: '1029', message: 'Job already queued' }],
    });
    clock.advance(QUEUED_MS);
    expect(await client.enqueue(ids[0] ?? '')).toMatchObject({
      success: false,
      errors: [{ code: '1029', message: 'Job already queued' }],
    });
    // Cancelling a queued job frees a place in the queue.
    expect(client.first(await client.cancel(ids[3] ?? ''))).toMatchObject({ status: 'Cancelled' });
    expect(client.first(await client.enqueue(fifth))).toMatchObject({ status: 'Queued' });
  });

  it('cancels from Created, Queued and Processing; a cancelled processing job frees its slot at once', async () => {
    const created = String(client.first(await client.create(BODY)).exportId);
    const [a, b, c, e] = [
      await client.startJob(BODY),
      await client.startJob(BODY),
      await client.startJob(BODY),
      await client.startJob(BODY),
    ] as string[];
    clock.advance(QUEUED_MS);
    expect(await Promise.all([a, b, c, e].map((id) => statusOf(id ?? '')))).toEqual([
      'Processing',
      'Processing',
      'Queued',
      'Queued',
    ]);
    clock.advance(10_000);
    for (const id of [created, e, b]) {
      const cancelled = client.first(await client.cancel(id ?? ''));
      expect(cancelled).toMatchObject({ exportId: id, status: 'Cancelled', format: 'CSV' });
      expect(cancelled).not.toHaveProperty('finishedAt');
    }
    expect(await client.statusOf(c ?? '')).toMatchObject({ status: 'Processing', startedAt: '2024-05-10T12:01:10Z' });
    const states = Object.fromEntries(sim.jobs().map((j) => [j.exportId, j.status]));
    expect(states).toEqual({
      [created]: 'Cancelled',
      [a ?? '']: 'Processing',
      [b ?? '']: 'Cancelled',
      [c ?? '']: 'Processing',
      [e ?? '']: 'Cancelled',
    });
    // Cancelling again is harmless; cancelling a finished job is refused; a cancelled job cannot be enqueued.
    expect(client.first(await client.cancel(created))).toMatchObject({ status: 'Cancelled' });
    clock.advance(PROCESSING_MS);
    expect(await statusOf(a ?? '')).toBe('Completed');
    expect(await client.cancel(a ?? '')).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(await client.enqueue(created)).toMatchObject({ success: false, errors: [{ code: '1003' }] });
  });

  it('serves the file only once the job is Completed (404 plain text before)', async () => {
    const id = await client.startJob(BODY);
    const early = await client.file(id);
    expect(early.status).toBe(404);
    expect(early.headers['content-type']).toMatch(/^text\/plain/);
    clock.advance(QUEUED_MS + PROCESSING_MS);
    expect(await statusOf(id)).toBe('Completed');
    const file = await client.file(id);
    expect(file.status).toBe(200);
    expect(file.body.length).toBe((await client.statusOf(id)).fileSize);
  });

  it('stops serving a file after its retention (7 days) while the status stays readable', async () => {
    const id = await client.startJob(BODY);
    clock.advance(QUEUED_MS + PROCESSING_MS);
    expect(await statusOf(id)).toBe('Completed');
    clock.advance(7 * 86_400_000 + 1000);
    expect(await statusOf(id)).toBe('Completed');
    expect((await client.file(id)).status).toBe(404);
  });
});
