import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { jobBody, simClient, testClock, type SimClient } from './sim-client';

const START = '2024-05-01T00:00:00Z';
const END = '2024-05-02T00:00:00Z';

describe('Marketo simulator: envelopes and create validation', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startMarketoSimulator({ now: clock.now });
    client = simClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });

  it('wraps results in {requestId, success, result} and errors in HTTP 200 {success:false, errors}', async () => {
    const ok = await client.create(jobBody(START, END));
    expect(ok.requestId).toMatch(/^[0-9a-f]{4}#[0-9a-f]+$/);
    expect(ok).toMatchObject({
      success: true,
      result: [{ exportId: expect.any(String), status: 'Created', format: 'CSV', createdAt: '2024-05-10T12:00:00Z' }],
    });

    const bad = await client.raw('POST', '/bulk/v1/activities/export/create.json', {
      headers: { authorization: `Bearer ${await client.bearer()}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(200);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    const envelope = JSON.parse(bad.body.toString());
    expect(envelope).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '1003', message: "'filter' is required" }],
    });
  });

  const cases: [string, unknown, RegExp][] = [
    ['createdAt missing', { filter: { activityTypeIds: [1] } }, /'filter\.createdAt' is required/],
    ['span over 31 days', jobBody('2024-01-01T00:00:00Z', '2024-02-01T00:00:01Z'), /exceeds the maximum of 31 days/],
    ['end before start', jobBody(END, START), /endAt' must be after/],
    [
      'milliseconds in a date',
      jobBody('2024-05-01T00:00:00.000Z', END),
      /Invalid date format for 'filter\.createdAt\.startAt'/,
    ],
    ['date without offset', jobBody('2024-05-01T00:00:00', END), /Invalid date format/],
    ['unknown field', jobBody(START, END, { fields: ['leadId', 'email'] }), /Invalid field: 'email'/],
    ['unknown format', jobBody(START, END, { format: 'XLSX' }), /Invalid format: 'XLSX'/],
    ['unknown top-level parameter', { ...jobBody(START, END), limit: 5 }, /Invalid parameter: 'limit'/],
    [
      'unknown filter',
      jobBody(START, END, { filter: { updatedAt: {} } }),
      /Invalid parameter in 'filter': 'updatedAt'/,
    ],
    [
      'ids and values together',
      jobBody(START, END, {
        filter: { activityTypeIds: [2], primaryAttributeValueIds: [1], primaryAttributeValues: ['a'] },
      }),
      /cannot be used together/,
    ],
    [
      'primary attribute ids without activityTypeIds',
      jobBody(START, END, { filter: { primaryAttributeValueIds: [2001] } }),
      /requires the 'activityTypeIds' filter/,
    ],
    [
      'more than 50 primary attribute values',
      jobBody(START, END, {
        filter: { activityTypeIds: [2], primaryAttributeValues: Array.from({ length: 51 }, (_, i) => `p.f${i}`) },
      }),
      /maximum 50/,
    ],
    [
      'activity types of two asset groups',
      jobBody(START, END, { filter: { activityTypeIds: [2, 24], primaryAttributeValueIds: [2001] } }),
      /one asset group/,
    ],
    [
      'activity type without primary attribute filtering',
      jobBody(START, END, { filter: { activityTypeIds: [1], primaryAttributeValueIds: [1000] } }),
      /one asset group/,
    ],
    ['Delete Lead activity', jobBody(START, END, { filter: { activityTypeIds: [37] } }), /Delete Lead/],
    [
      'unknown activity type',
      jobBody(START, END, { filter: { activityTypeIds: [9999] } }),
      /Invalid activity type id: 9999/,
    ],
    ['non-integer activity type', jobBody(START, END, { filter: { activityTypeIds: ['1'] } }), /activityTypeIds\[0\]/],
    [
      'column header for a field not exported',
      jobBody(START, END, { fields: ['leadId'], columnHeaderNames: { activityDate: 'When' } }),
      /'activityDate' is not an exported field/,
    ],
  ];

  it.each(cases)('answers 1003 naming the problem: %s', async (_name, body, message) => {
    const answer = await client.create(body);
    expect(answer.success).toBe(false);
    expect(answer.errors?.[0]?.code).toBe('1003');
    expect(answer.errors?.[0]?.message).toMatch(message);
  });

  it('accepts exactly 31 days, offsets, the primary attribute filters of one asset group, and actionResult', async () => {
    const accepted = [
      jobBody('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'),
      jobBody('2024-05-01T00:00:00-05:00', '2024-05-02T00:00:00+0000'),
      jobBody(START, END, { filter: { activityTypeIds: [13, 22], primaryAttributeValueIds: [10, 11] } }),
      jobBody(START, END, {
        filter: { activityTypeIds: [2], primaryAttributeValues: ['GL_OP_ALL_2021.MPS Outbound'] },
      }),
      jobBody(START, END, {
        format: 'SSV',
        fields: ['leadId', 'actionResult'],
        columnHeaderNames: { leadId: 'Lead Id' },
      }),
    ];
    for (const body of accepted) expect((await client.create(body)).success, JSON.stringify(body)).toBe(true);
  });

  it('answers 609 for a body that is not JSON and 612 for a body that is not sent as JSON', async () => {
    const auth = { authorization: `Bearer ${await client.bearer()}` };
    const path = '/bulk/v1/activities/export/create.json';
    const notJson = await client.raw('POST', path, {
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"filter":',
    });
    expect(JSON.parse(notJson.body.toString())).toMatchObject({
      success: false,
      errors: [{ code: '609', message: 'Invalid JSON' }],
    });
    const form = await client.raw('POST', path, {
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(JSON.parse(form.body.toString())).toMatchObject({
      success: false,
      errors: [{ code: '612', message: 'Invalid Content Type' }],
    });
  });

  it('answers 1003 for an unknown export id on status, enqueue and cancel, and a plain-text 404 for its file', async () => {
    for (const answer of [
      await client.status('no-such-job'),
      await client.enqueue('no-such-job'),
      await client.cancel('no-such-job'),
    ]) {
      expect(answer).toMatchObject({
        success: false,
        errors: [{ code: '1003', message: "Export id 'no-such-job' not found" }],
      });
    }
    const file = await client.file('no-such-job');
    expect(file.status).toBe(404);
    expect(file.headers['content-type']).toMatch(/^text\/plain/);
    expect(() => JSON.parse(file.body.toString())).toThrow();
  });

  it('answers 605 for the wrong HTTP method and a plain 404 for an unknown path', async () => {
    expect(await client.call('GET', '/bulk/v1/activities/export/create.json')).toMatchObject({
      success: false,
      errors: [{ code: '605' }],
    });
    expect((await client.raw('GET', '/rest/v1/leads.json')).status).toBe(404);
  });

  it('lists activity types with ids, names, primary attributes and attributes', async () => {
    const answer = await client.call('GET', '/rest/v1/activities/types.json');
    expect(answer.success).toBe(true);
    const result = answer.result ?? [];
    expect(result.length).toBeGreaterThanOrEqual(15);
    expect(result).toContainEqual(
      expect.objectContaining({
        id: 2,
        name: 'Fill Out Form',
        primaryAttribute: { name: 'Webform ID', dataType: 'integer' },
        attributes: expect.arrayContaining([{ name: 'Form Fields', dataType: 'string' }]),
      }),
    );
    for (const type of result)
      expect(Object.keys(type).sort()).toEqual(expect.arrayContaining(['attributes', 'description', 'id', 'name']));
  });
});

describe('Marketo simulator: list jobs', () => {
  const clock = testClock('2024-05-10T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startMarketoSimulator({ now: clock.now, queuedMs: 1000, processingMs: 1000 });
    client = simClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });

  it('pages with nextPageToken, filters by comma-separated statuses, and shows only the last 7 days', async () => {
    const old = client.first(await client.create(jobBody(START, END)));
    clock.advance(8 * 86_400_000);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(String(client.first(await client.create(jobBody(START, END))).exportId));
      clock.advance(1000);
    }
    await client.enqueue(created[0] ?? '');
    await client.enqueue(created[1] ?? '');
    await client.cancel(created[1] ?? '');

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.list(`?batchSize=2${token ? `&nextPageToken=${token}` : ''}`);
      expect(page.success).toBe(true);
      seen.push(...(page.result ?? []).map((j) => String(j.exportId)));
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...created].sort());
    expect(seen).not.toContain(old.exportId);

    const filtered = await client.list('?status=Queued,Cancelled');
    expect((filtered.result ?? []).map((j) => [j.exportId, j.status]).sort()).toEqual(
      [
        [created[0], 'Queued'],
        [created[1], 'Cancelled'],
      ].sort(),
    );
    expect(await client.list('?status=Done')).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(await client.list('?batchSize=301')).toMatchObject({ success: false, errors: [{ code: '1003' }] });
  });
});
