// The provider for leads, program members and a custom object, over real HTTP against the simulator:
// each lands its window (or snapshot) as a verified file; bad requests make no call; 1035 is named;
// the queue and the daily export quota are the instance's, shared with activities.
import { describe, expect, it } from 'vitest';
import { listMarketoFields } from '../../../../lambdas/providers/marketo';
import { MARKETO_DESCRIPTOR } from '../../../../lambdas/providers/marketo/descriptor';
import type { MarketoProviderOptions } from '../../../../lambdas/providers/marketo';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { createProvider } from '../../../../lambdas/providers/registry';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { closeAllAfterTests, harness, readAll, runToEnd, WINDOW, type Harness } from './support/harness';

closeAllAfterTests();

const LEADS = {
  fields: ['id', 'email', 'updatedAt', 'accountNotes__c', 'isCustomer__c'],
  fieldTypes: { isCustomer__c: 'boolean' },
};
const MEMBERS = {
  fields: ['leadId', 'programId', 'progressionStatus', 'updatedAt'],
  filter: { programIds: [1001, 1004] },
};
const CARS = { apiName: 'car_c', fields: ['marketoGUID', 'leadId', 'vin', 'updatedAt'] };

const leads: MarketoProviderOptions = { dataset: MARKETO_DESCRIPTOR.datasets.leads, request: LEADS };
const members: MarketoProviderOptions = { dataset: MARKETO_DESCRIPTOR.datasets['program-members'], request: MEMBERS };
const cars: MarketoProviderOptions = { dataset: MARKETO_DESCRIPTOR.datasets['custom-objects'], request: CARS };

async function land(h: Harness, options: MarketoProviderOptions, request: unknown) {
  const provider = h.providerWith(options);
  const started = await provider.startJob(WINDOW, provider.validate(request));
  if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
  h.clock.advance(1000);
  const done = await provider.checkJob(started.job, 1);
  expect(done.state).toBe('succeeded');
  const file = done.files[0] as RemoteFile;
  const bytes = await readAll((await provider.openRange(file, { start: 0 })).body);
  return {
    provider,
    job: started.job,
    done,
    file,
    bytes,
    simJob: h.sim.jobs().find((j) => j.exportId === started.job.id)!,
  };
}

describe('Marketo provider: leads, program members, custom objects', () => {
  it('leads: the window becomes filter.updatedAt; the file lands under /bulk/v1/leads, verified', async () => {
    const h = await harness({ queuedMs: 0, processingMs: 0 });
    const { done, file, bytes, simJob } = await land(h, leads, LEADS);
    expect(simJob).toMatchObject({
      target: { type: 'leads' },
      filter: { updatedAt: { startAt: WINDOW.start, endAt: WINDOW.end } },
      fields: LEADS.fields,
    });
    expect(file.source).toEqual({ kind: 'api', path: `/bulk/v1/leads/export/${simJob.exportId}/file.json` });
    expect(bytes.length).toBe(file.size);
    expect(done.records).toBe(simJob.numberOfRecords);
    expect(bytes.toString('utf8').split('\n')[0]).toBe(LEADS.fields.join(','));
    // The pipeline's own options (fieldTypes, windowFilter) never reach Marketo: the simulator would refuse them.
    expect(h.sim.stats().byKind.create).toBe(1);
  });

  it('leads: windowFilter createdAt windows new leads; a list filter is a snapshot whatever the window', async () => {
    const h = await harness({ queuedMs: 0, processingMs: 0, recordsPerDay: 10 });
    const created = await land(h, leads, { ...LEADS, windowFilter: 'createdAt' });
    expect(created.simJob.filter).toEqual({ createdAt: { startAt: WINDOW.start, endAt: WINDOW.end } });
    const list = await land(h, leads, { ...LEADS, filter: { smartListId: 4001 } });
    expect(list.simJob.filter).toEqual({ smartListId: 4001 });
    expect(
      MARKETO_DESCRIPTOR.datasets.leads.mode(list.provider.validate({ ...LEADS, filter: { smartListId: 4001 } })),
    ).toBe('snapshot');
  });

  it('program members: programIds and the narrowing filters go as given; the window only with windowFilter', async () => {
    const h = await harness({ queuedMs: 0, processingMs: 0, recordsPerDay: 20 });
    const snapshot = await land(h, members, { ...MEMBERS, filter: { ...MEMBERS.filter, isExhausted: true } });
    expect(snapshot.simJob).toMatchObject({
      target: { type: 'programMembers' },
      filter: { programIds: [1001, 1004], isExhausted: true },
    });
    expect(snapshot.simJob.filter).not.toHaveProperty('updatedAt');
    expect(snapshot.file.source).toMatchObject({
      path: `/bulk/v1/program/members/export/${snapshot.simJob.exportId}/file.json`,
    });
    const lines = snapshot.bytes.toString('utf8').trim().split('\n').slice(1);
    expect(new Set(lines.map((l) => l.split(',')[1]))).toEqual(new Set(['1001', '1004']));
    const windowed = await land(h, members, { ...MEMBERS, windowFilter: 'updatedAt' });
    expect(windowed.simJob.filter).toEqual({
      programIds: [1001, 1004],
      updatedAt: { startAt: WINDOW.start, endAt: WINDOW.end },
    });
  });

  it("custom objects: every job path is under the object's apiName; openRange refuses another object's file", async () => {
    const h = await harness({ queuedMs: 0, processingMs: 0 });
    const { provider, file, simJob, bytes } = await land(h, cars, CARS);
    expect(simJob.target).toEqual({ type: 'customObjects', apiName: 'car_c' });
    expect(file.source).toEqual({
      kind: 'api',
      path: `/bulk/v1/customobjects/car_c/export/${simJob.exportId}/file.json`,
    });
    expect(bytes.length).toBe(file.size);
    await expect(
      provider.openRange(
        { ...file, source: { kind: 'api', path: `/bulk/v1/leads/export/${simJob.exportId}/file.json` } },
        { start: 0 },
      ),
    ).rejects.toMatchObject({ name: 'ForbiddenLinkError' });
    await expect(provider.startJob(WINDOW, { ...CARS, apiName: 'boat_c' })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'apiName',
    });
    await provider.cancelJob({ id: simJob.exportId });
    // The registry builds the adapter from the export's dataset and request.
    const viaRegistry = createProvider(
      { provider: 'marketo', dataset: 'custom-objects', request: CARS },
      { baseUrl: h.sim.baseUrl, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret },
      { clock: h.clock, logger: h.logger },
    );
    expect((await viaRegistry.checkJob({ id: simJob.exportId }, 0)).files[0]?.source).toEqual(file.source);
  });

  it('a bad request is refused before any call, naming the field', async () => {
    const h = await harness();
    const before = h.sim.stats().total;
    const provider = h.providerWith(leads);
    const refused = async (request: Readonly<Record<string, unknown>>) => {
      try {
        await provider.startJob(WINDOW, request);
      } catch (error) {
        if (error instanceof ValidationError) return error.field;
        throw error;
      }
      throw new Error('not refused');
    };
    expect(await refused({})).toBe('fields');
    expect(await refused({ fields: ['id', 'updatedAt', 'id'] })).toBe('fields[2]');
    expect(await refused({ fields: ['email', 'updatedAt'] })).toBe('fields');
    expect(await refused({ ...LEADS, fieldTypes: { vin: 'string' } })).toBe('fieldTypes.vin');
    expect(await refused({ ...LEADS, filter: { staticListId: 3001, smartListId: 4001 } })).toBe('filter.smartListId');
    expect(
      await refused({
        ...LEADS,
        filter: { updatedAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-02T00:00:00Z' } },
      }),
    ).toBe('filter.updatedAt');
    const memberProvider = h.providerWith(members);
    await expect(
      memberProvider.startJob(WINDOW, { ...MEMBERS, filter: { programIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } }),
    ).rejects.toMatchObject({ field: 'filter.programIds' });
    expect(() =>
      h.providerWith({ dataset: MARKETO_DESCRIPTOR.datasets['custom-objects'], request: { fields: ['vin'] } }),
    ).toThrow(expect.objectContaining({ field: 'apiName' }));
    expect(h.sim.stats().total).toBe(before);
  });

  it('1035: a filter this subscription lacks fails the start with FilterNotSupportedError, not retried', async () => {
    const h = await harness();
    h.sim.faults.unsupportedFilters = ['smartListName'];
    const provider = h.providerWith(leads);
    await expect(
      provider.startJob(WINDOW, { ...LEADS, filter: { smartListName: 'Active prospects' } }),
    ).rejects.toMatchObject({
      name: 'FilterNotSupportedError',
      code: '1035',
      retryable: false,
      message: expect.stringContaining('smartListName'),
    });
    expect(h.sim.stats().byKind.create).toBe(1);
    expect(h.sim.jobs()).toEqual([]);
  });

  it("describe: listMarketoFields reads each dataset's fields and data types", async () => {
    const h = await harness();
    const credentials = { baseUrl: h.sim.baseUrl, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret };
    const ctx = { clock: h.clock, logger: h.logger };
    const leadFields = await listMarketoFields(credentials, 'leads', {}, ctx);
    expect(leadFields.find((f) => f.name === 'renewalDate__c')).toEqual({
      name: 'renewalDate__c',
      dataType: 'date',
      columnType: 'date',
    });
    expect(leadFields.find((f) => f.name === 'id')).toEqual({ name: 'id', dataType: 'integer', columnType: 'bigint' });
    const carFields = await listMarketoFields(credentials, 'custom-objects', { apiName: 'car_c' }, ctx);
    expect(carFields.map((f) => f.name)).toContain('vin');
    expect(
      (await listMarketoFields(credentials, 'program-members', {}, ctx)).find((f) => f.name === 'reachedSuccess')
        ?.columnType,
    ).toBe('boolean');
    await expect(listMarketoFields(credentials, 'custom-objects', { apiName: 'boat_c' }, ctx)).rejects.toMatchObject({
      name: 'ProviderApiError',
      code: '1013',
    });
    expect(h.sim.stats().byKind.describe).toBe(4);
    // describe2.json missing on an instance: describe.json answers the same fields.
    h.sim.faults.injectErrors = [{ code: '610', times: 1, kinds: ['describe'] }];
    expect((await listMarketoFields(credentials, 'leads', {}, ctx)).map((f) => f.name)).toEqual(
      leadFields.map((f) => f.name),
    );
  });

  it("the queue is the instance's: a lead export waits (busy) while activity jobs fill it, then starts", async () => {
    const h = await harness({ queuedMs: 0, processingMs: 60_000, maxQueued: 2 });
    const activities = h.providerWith();
    for (const day of ['2026-02-01', '2026-02-02']) {
      const started = await activities.startJob({ start: `${day}T00:00:00Z`, end: `${day}T12:00:00Z` }, {});
      expect(started.kind).toBe('started');
    }
    const provider = h.providerWith(leads);
    const busy = await provider.startJob(WINDOW, LEADS);
    expect(busy).toMatchObject({ kind: 'busy', job: { enqueued: false } });
    if (busy.kind !== 'busy' || !busy.job) throw new Error('not busy');
    h.clock.advance(61_000);
    const started = await provider.startJob(WINDOW, LEADS, busy.job);
    expect(started).toMatchObject({ kind: 'started', job: { id: busy.job.id } });
    expect(h.sim.jobs().filter((j) => j.target.type === 'leads')).toHaveLength(1);
  });

  it("the export quota is the instance's: exportQuotaUse counts every type's files, and a spent quota defers a lead export", async () => {
    const h = await harness({ queuedMs: 0, processingMs: 0 });
    const activity = h.providerWith();
    const act = await activity.startJob(WINDOW, {});
    if (act.kind !== 'started') throw new Error('not started');
    await runToEnd(h, act.job.id);
    const lead = await land(h, leads, LEADS);
    const car = await land(h, cars, CARS);
    const size = (id: string) => h.sim.jobs().find((j) => j.exportId === id)!.fileSize!;
    const fixedTypes = size(act.job.id) + size(lead.simJob.exportId);
    const total = fixedTypes + size(car.simJob.exportId);
    expect(h.sim.exportedBytesToday()).toBe(total);
    // A custom object export counts every type's files; the others cannot list objects they do not name.
    expect(await car.provider.exportQuotaUse!()).toEqual({ usedBytes: total, limitBytes: 500 * 1024 * 1024 });
    for (const provider of [activity, lead.provider, h.providerWith(members)])
      expect((await provider.exportQuotaUse!()).usedBytes).toBe(fixedTypes);

    const spent = await harness({ queuedMs: 0, processingMs: 0, dailyExportQuotaBytes: 1024 });
    const first = await land(spent, cars, CARS);
    expect(first.file.size).toBeGreaterThan(1024);
    const deferred = await spent.providerWith(leads).startJob(WINDOW, LEADS);
    expect(deferred).toMatchObject({ kind: 'deferred', until: '2026-03-03T06:00:00Z' });
  });
});
