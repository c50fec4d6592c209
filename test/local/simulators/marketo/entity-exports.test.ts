// Leads, program members and the custom object car_c: each bulk type is a route family of its own
// (create, list, enqueue, status, cancel, file with Range), over one queue and one export quota.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startMarketoSimulator,
  type MarketoSimulator,
  type MarketoSimulatorOptions,
} from '../../../../local/simulators/marketo/index';
import { jobBody, parseExport, sha256, simClient, testClock, type SimClient } from './sim-client';

const LEADS = '/bulk/v1/leads/export';
const MEMBERS = '/bulk/v1/program/members/export';
const CARS = '/bulk/v1/customobjects/car_c/export';
const UPDATED = { startAt: '2026-03-01T00:00:00Z', endAt: '2026-03-02T00:00:00Z' };
const LEAD_FIELDS = [
  'id',
  'email',
  'updatedAt',
  'accountNotes__c',
  'isCustomer__c',
  'discountRate__c',
  'renewalDate__c',
  'annualRevenue',
];
const leadsBody = (filter: Record<string, unknown> = { updatedAt: UPDATED }, fields: string[] = LEAD_FIELDS) => ({
  format: 'CSV',
  fields,
  filter,
});
const membersBody = (filter: Record<string, unknown> = { programIds: [1001, 1002, 1003] }) => ({
  fields: ['leadId', 'programId', 'progressionStatus', 'isExhausted', 'nurtureCadence', 'updatedAt', 'statusReason'],
  filter,
});
const carsBody = (filter: Record<string, unknown> = { updatedAt: UPDATED }) => ({
  fields: ['marketoGUID', 'leadId', 'vin', 'model', 'year', 'price', 'notes', 'updatedAt'],
  filter,
});

describe('Marketo simulator: leads, program members and custom objects', () => {
  const clock = testClock('2026-03-05T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  async function start(options: MarketoSimulatorOptions = {}) {
    clock.set('2026-03-05T12:00:00Z');
    sim = await startMarketoSimulator({ now: clock.now, queuedMs: 0, processingMs: 0, recordsPerDay: 600, ...options });
    client = simClient(sim);
  }

  afterEach(async () => {
    await client.agent.close();
    await sim.stop();
  });

  async function startJob(base: string, body: unknown): Promise<string> {
    const id = String(client.first(await client.call('POST', `${base}/create.json`, body)).exportId);
    client.first(await client.call('POST', `${base}/${id}/enqueue.json`));
    return id;
  }

  const statusOf = async (base: string, id: string) =>
    client.first(await client.call('GET', `${base}/${id}/status.json`));
  const fileOf = async (base: string, id: string, range?: string) =>
    client.raw('GET', `${base}/${id}/file.json`, {
      headers: { authorization: `Bearer ${await client.bearer()}`, ...(range ? { range } : {}) },
    });

  it('exports leads changed in a window: every route under /bulk/v1/leads, rows sorted by updatedAt inside it, ids unique, multi-line text areas quoted', async () => {
    await start();
    const id = await startJob(LEADS, leadsBody());
    const status = await statusOf(LEADS, id);
    expect(status).toMatchObject({ status: 'Completed', numberOfRecords: 600, format: 'CSV' });
    const file = await fileOf(LEADS, id);
    expect(file.status).toBe(200);
    expect(`sha256:${sha256(file.body)}`).toBe(status.fileChecksum);
    expect(file.body.length).toBe(status.fileSize);
    const { header, records } = parseExport(file.body);
    expect(header).toEqual(LEAD_FIELDS);
    expect(records).toHaveLength(600);
    const updated = records.map((r) => Date.parse(r[2]!));
    expect(
      updated.every(
        (t, i) =>
          t >= Date.parse(UPDATED.startAt) && t < Date.parse(UPDATED.endAt) && (i === 0 || t >= updated[i - 1]!),
      ),
    ).toBe(true);
    expect(new Set(records.map((r) => r[0])).size).toBe(600);
    const notes = records.map((r) => r[3]!);
    expect(notes.some((n) => n.includes('\n') && n.includes('"quote"'))).toBe(true);
    expect(notes.some((n) => n.includes('\r\n'))).toBe(true);
    expect(notes).toContain('null');
    for (const r of records) {
      expect(r[4]).toMatch(/^(true|false)$/);
      expect(r[5]).toMatch(/^(null|\d+(\.\d+)?)$/);
      expect(r[6]).toMatch(/^(null|\d{4}-\d{2}-\d{2})$/);
      expect(r[7]).toMatch(/^(null|\d+\.\d{2})$/);
    }
    // A range of a lead file, as for activities.
    const part = await fileOf(LEADS, id, 'bytes=100-199');
    expect(part.status).toBe(206);
    expect(part.body).toEqual(file.body.subarray(100, 200));
    // The same request makes the same bytes in another job.
    const again = await startJob(LEADS, leadsBody());
    expect(sha256((await fileOf(LEADS, again)).body)).toBe(sha256(file.body));
  });

  it("a job is known only on its own type's routes; the listing is per type", async () => {
    await start();
    const lead = await startJob(LEADS, leadsBody());
    const car = await startJob(CARS, carsBody());
    expect(await client.call('GET', `/bulk/v1/activities/export/${lead}/status.json`)).toMatchObject({
      success: false,
      errors: [{ code: '1003' }],
    });
    expect(await client.call('GET', `${MEMBERS}/${car}/status.json`)).toMatchObject({
      success: false,
      errors: [{ code: '1003' }],
    });
    expect((await fileOf(CARS, lead)).status).toBe(404);
    const listed = async (base: string) =>
      ((await client.call('GET', `${base}.json`)).result ?? []).map((j) => j.exportId);
    expect(await listed(LEADS)).toEqual([lead]);
    expect(await listed(CARS)).toEqual([car]);
    expect(await listed('/bulk/v1/activities/export')).toEqual([]);
    expect(sim.jobs().map((j) => j.target)).toEqual([{ type: 'leads' }, { type: 'customObjects', apiName: 'car_c' }]);
  });

  it('refuses lead filters the way Marketo does: 1003 naming the field, 1035 for a filter this subscription lacks', async () => {
    await start();
    const error = async (body: unknown, base = LEADS) =>
      (await client.call('POST', `${base}/create.json`, body)).errors?.[0];
    expect(await error(leadsBody({}))).toMatchObject({
      code: '1003',
      message: expect.stringContaining("'createdAt', 'updatedAt'"),
    });
    expect(await error(leadsBody({ updatedAt: UPDATED, staticListId: 3001 }))).toMatchObject({
      code: '1003',
      message: expect.stringContaining('got updatedAt, staticListId'),
    });
    expect(
      await error(leadsBody({ updatedAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-15T00:00:00Z' } })),
    ).toMatchObject({ code: '1003', message: expect.stringContaining("'filter.updatedAt' date range exceeds") });
    expect(await error(leadsBody({ staticListId: 9 }))).toMatchObject({
      code: '1003',
      message: expect.stringContaining("'filter.staticListId'"),
    });
    expect(await error({ filter: { updatedAt: UPDATED } })).toMatchObject({
      code: '1003',
      message: "'fields' is required",
    });
    expect(await error(leadsBody(undefined, ['id', 'nope']))).toMatchObject({
      code: '1003',
      message: "Invalid field: 'nope'",
    });
    expect(await error(leadsBody(undefined, ['id', 'id']))).toMatchObject({
      code: '1003',
      message: "Duplicate field: 'id'",
    });
    expect(await error(leadsBody({ smartListName: 'Active prospects' }))).toBeUndefined();
    sim.faults.unsupportedFilters = ['smartListName'];
    expect(await error(leadsBody({ smartListName: 'Active prospects' }))).toEqual({
      code: '1035',
      message: 'Unsupported filter type for target subscription: smartListName',
    });
    expect(await error(carsBody({ smartListName: 'Active prospects' }), CARS)).toMatchObject({ code: '1035' });
    expect(await error(leadsBody({ smartListId: 4001 }))).toBeUndefined();
  });

  it('a list export is the list: the same leads whenever it runs, their dates in the month before', async () => {
    await start({ recordsPerDay: 20 });
    const id = await startJob(LEADS, leadsBody({ staticListName: 'Webinar attendees' }));
    const first = parseExport((await fileOf(LEADS, id)).body).records;
    expect(first.length).toBe(20 * 30);
    clock.advance(86_400_000);
    const again = parseExport(
      (await fileOf(LEADS, await startJob(LEADS, leadsBody({ staticListName: 'Webinar attendees' })))).body,
    ).records;
    expect(again.map((r) => r[0])).toEqual(first.map((r) => r[0]));
  });

  it('program members: programIds (≤ 10) required, rows of those programs only, narrowed by isExhausted, nurtureCadence and statusNames', async () => {
    await start({ recordsPerDay: 10 });
    const error = async (filter: Record<string, unknown>) =>
      (await client.call('POST', `${MEMBERS}/create.json`, membersBody(filter))).errors?.[0];
    expect(await error({})).toMatchObject({
      code: '1003',
      message: "'filter.programId' or 'filter.programIds' is required",
    });
    expect(
      await error({ programIds: [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011] }),
    ).toMatchObject({ code: '1003', message: expect.stringContaining('maximum 10') });
    expect(await error({ programIds: [77] })).toMatchObject({
      code: '1003',
      message: expect.stringContaining('program 77 not found'),
    });
    expect(await error({ programIds: [1001], smartListId: 4001 })).toMatchObject({
      code: '1003',
      message: "Invalid parameter in 'filter': 'smartListId'",
    });
    const id = await startJob(
      MEMBERS,
      membersBody({
        programIds: [1001, 1002],
        isExhausted: false,
        nurtureCadence: 'paused',
        statusNames: ['Invited', 'Member'],
      }),
    );
    const { header, records } = parseExport((await fileOf(MEMBERS, id)).body);
    expect(header[0]).toBe('leadId');
    expect(records.length).toBe(300);
    expect(new Set(records.map((r) => r[1]))).toEqual(new Set(['1001', '1002']));
    expect(new Set(records.map((r) => r[3]))).toEqual(new Set(['false']));
    expect(new Set(records.map((r) => r[4]))).toEqual(new Set(['paused']));
    expect(records.every((r) => ['Invited', 'Member'].includes(r[2]!))).toBe(true);
    expect(new Set(records.map((r) => `${r[0]}/${r[1]}`)).size).toBe(records.length);
  });

  it('custom objects: only car_c exists; its records carry a unique marketoGUID and the lead they belong to', async () => {
    await start();
    expect(
      (await client.call('POST', '/bulk/v1/customobjects/boat_c/export/create.json', carsBody())).errors?.[0],
    ).toMatchObject({ code: '1003', message: "Invalid custom object: 'boat_c'" });
    const id = await startJob(CARS, carsBody());
    const { records } = parseExport((await fileOf(CARS, id)).body);
    expect(records).toHaveLength(600);
    expect(new Set(records.map((r) => r[0])).size).toBe(600);
    expect(
      records.every((r) => /^[0-9a-f-]{36}$/.test(r[0]!) && /^\d+$/.test(r[1]!) && /^[A-Z0-9]{17}$/.test(r[2]!)),
    ).toBe(true);
  });

  it("describe routes answer every field with its data type, in Marketo's shapes", async () => {
    await start();
    const describe2 = client.first(await client.call('GET', '/rest/v1/leads/describe2.json')) as {
      name: string;
      fields: { name: string; dataType: string }[];
    };
    expect(describe2.name).toBe('Lead');
    const types = Object.fromEntries(describe2.fields.map((f) => [f.name, f.dataType]));
    expect(types).toMatchObject({
      id: 'integer',
      email: 'email',
      phone: 'phone',
      website: 'url',
      annualRevenue: 'currency',
      accountNotes__c: 'text',
      isCustomer__c: 'boolean',
      discountRate__c: 'float',
      renewalDate__c: 'date',
      updatedAt: 'datetime',
      acquisitionProgramId: 'reference',
    });
    const legacy = (await client.call('GET', '/rest/v1/leads/describe.json')).result as {
      rest: { name: string };
      dataType: string;
    }[];
    expect(legacy.map((f) => f.rest.name)).toEqual(describe2.fields.map((f) => f.name));
    const members = client.first(await client.call('GET', '/rest/v1/programs/members/describe.json')) as {
      fields: { name: string }[];
    };
    expect(members.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'leadId',
        'programId',
        'membershipDate',
        'progressionStatus',
        'reachedSuccess',
        'isExhausted',
        'nurtureCadence',
        'updatedAt',
      ]),
    );
    const car = client.first(await client.call('GET', '/rest/v1/customobjects/car_c/describe.json')) as {
      idField: string;
      fields: { name: string; dataType: string }[];
    };
    expect(car.idField).toBe('marketoGUID');
    expect(car.fields.find((f) => f.name === 'year')).toMatchObject({ dataType: 'integer' });
    expect(await client.call('GET', '/rest/v1/customobjects/boat_c/describe.json')).toMatchObject({
      success: false,
      errors: [{ code: '1013' }],
    });
    expect(sim.stats().byKind.describe).toBe(5);
  });

  it('all types share one queue (2 processing, 10 queued) and one daily export quota', async () => {
    await start({ queuedMs: 1000, processingMs: 60_000, maxQueued: 10 });
    const activities = jobBody('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    const bases: [string, unknown][] = [
      ['/bulk/v1/activities/export', activities],
      [LEADS, leadsBody()],
      [MEMBERS, membersBody()],
      [CARS, carsBody()],
    ];
    for (let i = 0; i < 10; i++) {
      const [base, body] = bases[i % 4]!;
      await startJob(base, body);
    }
    const created = String(client.first(await client.call('POST', `${CARS}/create.json`, carsBody())).exportId);
    expect(await client.call('POST', `${CARS}/${created}/enqueue.json`)).toMatchObject({
      success: false,
      errors: [{ code: '1029', message: 'Too many jobs in queue' }],
    });
    clock.advance(2000);
    await client.call('GET', `${LEADS}.json`);
    expect(sim.jobs().filter((j) => j.status === 'Processing')).toHaveLength(2);
    await sim.stop();
    await client.agent.close();

    // The quota counts the sum over all types: a lead file alone leaves room, a car file after it does not.
    await start();
    const leadBytes = Number((await statusOf(LEADS, await startJob(LEADS, leadsBody()))).fileSize);
    await sim.stop();
    await client.agent.close();
    await start({ dailyExportQuotaBytes: leadBytes + 1 });
    await startJob(LEADS, leadsBody());
    const car = await startJob(CARS, carsBody());
    expect(await statusOf(CARS, car)).toMatchObject({ status: 'Completed' });
    expect(sim.exportedBytesToday()).toBe(leadBytes + Number((await statusOf(CARS, car)).fileSize));
    for (const [base, body] of bases) {
      expect(await client.call('POST', `${base}/create.json`, body)).toMatchObject({
        success: false,
        errors: [{ code: '1029', message: expect.stringMatching(/^Export daily quota \d+MB exceeded$/) }],
      });
    }
  });

  it('fault switches work for every type: an injected error, a failed job, a cut download', async () => {
    await start();
    sim.faults.injectErrors = [{ code: '604', times: 1, kinds: ['create'] }];
    expect(await client.call('POST', `${MEMBERS}/create.json`, membersBody())).toMatchObject({
      success: false,
      errors: [{ code: '604' }],
    });
    sim.faults.failNextJob = 'Export failed: simulated';
    const failed = await startJob(CARS, carsBody());
    expect(await statusOf(CARS, failed)).toMatchObject({ status: 'Failed', errorMsg: 'Export failed: simulated' });
    const id = await startJob(LEADS, leadsBody());
    sim.faults.dropConnectionAfterBytes = { afterBytes: 1000, times: 1 };
    await expect(fileOf(LEADS, id)).rejects.toThrow();
    expect((await fileOf(LEADS, id)).body.length).toBe((await statusOf(LEADS, id)).fileSize);
  });
});
