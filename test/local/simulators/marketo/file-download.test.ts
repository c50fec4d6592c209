import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAZARDS } from '../../../../local/simulators/marketo/activity-hazards';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, parseExport, sha256, simClient, testClock, type SimClient } from './sim-client';

const START = '2024-04-01T00:00:00Z';
const END = '2024-04-02T00:00:00Z';
const DEFAULT_HEADER = [
  'marketoGUID',
  'leadId',
  'activityDate',
  'activityTypeId',
  'campaignId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
];

describe('Marketo simulator: export files', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeAll(async () => {
    // Small checkpoints so that Range requests really start rendering mid-file.
    sim = await startMarketoSimulator({
      now: clock.now,
      queuedMs: 0,
      processingMs: 0,
      recordsPerDay: 3000,
      fileCheckpointBytes: 16 * 1024,
      maxQueued: 50,
      rateLimit: false,
    });
    client = simClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });

  async function completed(body: Record<string, unknown>) {
    const id = await client.startJob(body);
    const status = await client.statusOf(id);
    expect(status.status).toBe('Completed');
    return { id, status };
  }

  it('serves a file whose bytes hash to fileChecksum, match fileSize, and hold numberOfRecords records', async () => {
    const { id, status } = await completed(jobBody(START, END));
    const file = await client.file(id);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(Number(file.headers['content-length'])).toBe(file.body.length);
    expect(file.headers['accept-ranges']).toBe('bytes');
    expect(file.body.length).toBe(status.fileSize);
    expect(`sha256:${sha256(file.body)}`).toBe(status.fileChecksum);
    const { header, records } = parseExport(file.body);
    expect(header).toEqual(DEFAULT_HEADER);
    expect(records).toHaveLength(3000);
    expect(status.numberOfRecords).toBe(3000);

    const dates = records.map((r) => r[2] ?? '');
    expect(dates.every((d, i) => i === 0 || (dates[i - 1] ?? '') <= d)).toBe(true);
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(d) && d >= START && d < END)).toBe(true);
    expect(new Set(records.map((r) => r[3])).has('37')).toBe(false);
    const attributes = records.map((r) => JSON.parse(r[7] ?? '') as unknown);
    expect(attributes.every((a) => typeof a === 'object' && a !== null)).toBe(true);
    expect(records.some((r) => r[4] === 'null')).toBe(true);
    expect(new Set(records.map((r) => r[0])).size).toBe(3000);

    expect((await buffer(sim.fileStream(id))).equals(file.body)).toBe(true);
  });

  it('contains the hazards real exports have, which an RFC 4180 parser still reads right', async () => {
    const { id } = await completed(jobBody(START, END));
    const { records } = parseExport((await client.file(id)).body);
    const values = records.map((r) => r[6] ?? '');
    const at = (h: { every: number; at: number }) =>
      values.filter((_, i) => i % h.every === h.at && values[i] !== 'null');
    expect(at(HAZARDS.lineFeed).some((v) => /[^\r]\nFollow-up$/.test(v))).toBe(true);
    expect(at(HAZARDS.crLf).some((v) => v.endsWith('\r\nPart 2'))).toBe(true);
    expect(at(HAZARDS.loneCr).some((v) => /\rDraft$/.test(v))).toBe(true);
    expect(at(HAZARDS.lineSeparator).some((v) => v.includes('\u2028'))).toBe(true);
    expect(at(HAZARDS.quoteAndDelimiter).some((v) => v.endsWith(' "VIP", EMEA'))).toBe(true);
    expect(values.some((v) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(v))).toBe(true);
    expect(values.some((v) => /\p{Extended_Pictographic}/u.test(v))).toBe(true);
    expect(values.some((v) => /[éüÆØ]/.test(v))).toBe(true);
    expect(values.some((v) => v.includes('\u0000'))).toBe(false);
  });

  it('answers Range with 206 and the right Content-Range / Content-Length, mid-file included', async () => {
    const { id, status } = await completed(jobBody(START, END));
    const whole = (await client.file(id)).body;
    const size = Number(status.fileSize);
    const cases: [string, number, number][] = [
      ['bytes=0-0', 0, 0],
      ['bytes=100-199', 100, 199],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      ['bytes=-25', size - 25, size - 1],
      [`bytes=${Math.floor(size / 2)}-${size + 1000}`, Math.floor(size / 2), size - 1],
      [`bytes=${16 * 1024 * 5 + 3}-${16 * 1024 * 9}`, 16 * 1024 * 5 + 3, 16 * 1024 * 9],
    ];
    for (const [range, start, end] of cases) {
      const answer = await client.file(id, range);
      expect(answer.status, range).toBe(206);
      expect(answer.headers['content-range'], range).toBe(`bytes ${start}-${end}/${size}`);
      expect(Number(answer.headers['content-length']), range).toBe(end - start + 1);
      expect(answer.body.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    // Consecutive ranges stitch back into the whole file.
    const parts: Buffer[] = [];
    const step = Math.ceil(size / 7);
    for (let start = 0; start < size; start += step)
      parts.push((await client.file(id, `bytes=${start}-${Math.min(size, start + step) - 1}`)).body);
    expect(Buffer.concat(parts).equals(whole)).toBe(true);
  });

  it('answers 416 with Content-Range bytes */size for an unsatisfiable range, and 200 for an ignorable one', async () => {
    const { id, status } = await completed(jobBody(START, END));
    const size = Number(status.fileSize);
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, 'bytes=-0']) {
      const answer = await client.file(id, range);
      expect(answer.status, range).toBe(416);
      expect(answer.headers['content-range']).toBe(`bytes */${size}`);
    }
    for (const range of ['bytes=10-5', 'items=0-10', 'bytes=0-1,5-9']) {
      const answer = await client.file(id, range);
      expect(answer.status, range).toBe(200);
      expect(answer.body.length).toBe(size);
    }
  });

  it('renders TSV and SSV with their delimiters, quoting what needs it, and honours fields and columnHeaderNames', async () => {
    for (const [format, delimiter, type] of [
      ['TSV', '\t', 'text/tab-separated-values;charset=UTF-8'],
      ['SSV', ' ', 'text/plain;charset=UTF-8'],
    ] as const) {
      const fields = ['leadId', 'activityDate', 'primaryAttributeValue', 'actionResult', 'attributes'];
      const { id, status } = await completed(
        jobBody(START, END, { format, fields, columnHeaderNames: { leadId: 'Lead ID', actionResult: 'Result' } }),
      );
      expect(status.format).toBe(format);
      const file = await client.file(id);
      expect(file.headers['content-type']).toBe(type);
      const { header, records } = parseExport(file.body, delimiter);
      expect(header).toEqual(['Lead ID', 'activityDate', 'primaryAttributeValue', 'Result', 'attributes']);
      expect(records).toHaveLength(Number(status.numberOfRecords));
      expect(records.every((r) => r.length === 5 && ['succeeded', 'skipped', 'failed'].includes(r[3] ?? ''))).toBe(
        true,
      );
      expect(`sha256:${sha256(file.body)}`).toBe(status.fileChecksum);
    }
  });

  it('honours activityTypeIds and primaryAttributeValueIds', async () => {
    const { id } = await completed(
      jobBody(START, END, { filter: { activityTypeIds: [2], primaryAttributeValueIds: [2001, 2009] } }),
    );
    const { records } = parseExport((await client.file(id)).body);
    expect(new Set(records.map((r) => r[3]))).toEqual(new Set(['2']));
    expect(new Set(records.map((r) => r[5]))).toEqual(new Set(['2001', '2009']));
    const typed = await completed(jobBody(START, END, { filter: { activityTypeIds: [6, 7, 10] } }));
    const typedRecords = parseExport((await client.file(typed.id)).body).records;
    expect(new Set(typedRecords.map((r) => r[3]))).toEqual(new Set(['6', '7', '10']));
  });

  it('gives the same data for the same request, whatever the job', async () => {
    const a = await completed(jobBody(START, END));
    const b = await completed(jobBody(START, END));
    expect(a.id).not.toBe(b.id);
    expect(a.status.fileChecksum).toBe(b.status.fileChecksum);
    const other = await completed(jobBody(START, '2024-04-01T23:00:00Z'));
    expect(other.status.fileChecksum).not.toBe(a.status.fileChecksum);
  });
});

describe('Marketo simulator: file volume', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  const sims: MarketoSimulator[] = [];
  const clients: SimClient[] = [];

  afterAll(async () => {
    for (const c of clients) await c.agent.close();
    for (const s of sims) await s.stop();
  });

  async function exportWith(options: Parameters<typeof startMarketoSimulator>[0], body = jobBody(START, END)) {
    const sim = await startMarketoSimulator({ now: clock.now, queuedMs: 0, processingMs: 0, ...options });
    const client = simClient(sim);
    sims.push(sim);
    clients.push(client);
    const id = await client.startJob(body);
    const status = await client.statusOf(id);
    return { status, bytes: (await client.file(id)).body };
  }

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await exportWith({ seed: 42 });
    const b = await exportWith({ seed: 42 });
    const c = await exportWith({ seed: 43 });
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.status.fileChecksum).toBe(a.status.fileChecksum);
    expect(c.status.fileChecksum).not.toBe(a.status.fileChecksum);
  });

  it('grows a file to at least bytesPerJob, stopping at the row that reaches it', async () => {
    const target = 300_000;
    const { status, bytes } = await exportWith({ bytesPerJob: target });
    expect(bytes.length).toBe(status.fileSize);
    expect(bytes.length).toBeGreaterThanOrEqual(target);
    const { records } = parseExport(bytes);
    expect(records).toHaveLength(Number(status.numberOfRecords));
    // Without its last record the file would be short of the target.
    const lastRecordStart = bytes.lastIndexOf(`\n${records.at(-1)?.[0]},`) + 1;
    expect(lastRecordStart).toBeGreaterThan(0);
    expect(lastRecordStart).toBeLessThan(target);
    const dates = records.map((r) => r[2] ?? '');
    expect(dates.every((d) => d >= START && d < END)).toBe(true);
    expect(dates.every((d, i) => i === 0 || (dates[i - 1] ?? '') <= d)).toBe(true);
  });

  it('writes a header-only file for a job with zero records (fileSize is the header line)', async () => {
    const { status, bytes } = await exportWith({ recordsPerDay: 0 });
    expect(status).toMatchObject({ status: 'Completed', numberOfRecords: 0 });
    expect(bytes.toString()).toBe(`${DEFAULT_HEADER.join(',')}\n`);
    expect(status.fileSize).toBe(bytes.length);
    expect(status.fileChecksum).toBe(`sha256:${sha256(bytes)}`);
  });
});
