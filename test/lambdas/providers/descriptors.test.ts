import { describe, expect, it } from 'vitest';
import {
  allDatasets,
  datasetDescriptor,
  exportMode,
  latestView,
  providerDescriptor,
  tableLayout,
  validateExportRequest,
} from '../../../lambdas/providers/descriptors';
import { latestViewOf } from '../../../lambdas/providers/latest-view';
import { ValidationError } from '../../../lambdas/shared/errors';

describe('dataset descriptors', () => {
  it('list every dataset of every provider', () => {
    expect(allDatasets().map((d) => `${d.provider}/${d.dataset.name}`)).toEqual([
      'marketo/activities',
      'marketo/deleted-leads',
      'marketo/leads',
      'marketo/program-members',
      'marketo/custom-objects',
      'clickwrap/activities',
      'salesforce/sobject',
    ]);
  });

  it('refuse a dataset the provider does not have, naming the known ones', () => {
    expect(() => datasetDescriptor({ provider: 'clickwrap', dataset: 'leads' })).toThrow(
      new ValidationError('dataset', 'clickwrap has no dataset "leads" (known: activities)'),
    );
    // Inherited object keys are not datasets.
    expect(() => datasetDescriptor({ provider: 'marketo', dataset: 'constructor' })).toThrow(ValidationError);
  });

  it("validate a request by the dataset's own rules", () => {
    expect(() =>
      validateExportRequest({ provider: 'marketo', dataset: 'activities', request: { format: 'XLS' } }),
    ).toThrow(ValidationError);
    expect(validateExportRequest({ provider: 'clickwrap', dataset: 'activities', request: {} })).toMatchObject({
      fields: expect.arrayContaining(['id', 'signer_id', 'created_time']),
    });
  });

  it('give typed table columns in file order', () => {
    const layout = tableLayout({
      provider: 'marketo',
      dataset: 'activities',
      request: { fields: ['leadId', 'activityDate', 'attributes'], format: 'TSV' },
    });
    expect(layout).toEqual({
      columns: [
        { name: 'leadid', field: 'leadId', type: 'bigint' },
        { name: 'activitydate', field: 'activityDate', type: 'timestamp' },
        { name: 'attributes', field: 'attributes', type: 'string' },
      ],
      format: 'tsv',
      nullTokens: ['null'],
    });
  });

  it('give deleted leads the columns the adapter renders, typed like activities, and refuse any option', () => {
    const layout = tableLayout({ provider: 'marketo', dataset: 'deleted-leads', request: {} });
    expect(layout.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'marketoguid:string',
      'id:bigint',
      'leadid:bigint',
      'activitydate:timestamp',
      'activitytypeid:int',
      'primaryattributevalueid:bigint',
      'primaryattributevalue:string',
      'attributes:string',
    ]);
    expect(layout).toMatchObject({ format: 'csv', nullTokens: ['null'] });
    expect(() =>
      validateExportRequest({ provider: 'marketo', dataset: 'deleted-leads', request: { batchSize: 100 } }),
    ).toThrow(new ValidationError('batchSize', 'unknown field'));
  });
});

describe('credentials from the environment', () => {
  it('reads each provider its own variables, or nothing when none is set', () => {
    expect(providerDescriptor('marketo').credentials.fromEnv({})).toBeUndefined();
    expect(providerDescriptor('clickwrap').credentials.fromEnv({ CLICKWRAP_API_TOKEN: 't' })).toEqual({
      apiToken: 't',
    });
    expect(
      providerDescriptor('marketo').credentials.fromEnv({
        MARKETO_BASE_URL: 'https://x.example',
        MARKETO_CLIENT_ID: 'i',
        MARKETO_CLIENT_SECRET: 's',
      }),
    ).toEqual({
      baseUrl: 'https://x.example',
      clientId: 'i',
      clientSecret: 's',
    });
  });

  it('refuse half a set and plain http to a remote host', () => {
    expect(() => providerDescriptor('marketo').credentials.fromEnv({ MARKETO_CLIENT_ID: 'i' })).toThrow(
      ValidationError,
    );
    expect(() =>
      providerDescriptor('clickwrap').credentials.fromEnv({
        CLICKWRAP_API_TOKEN: 't',
        CLICKWRAP_BASE_URL: 'http://api.example',
      }),
    ).toThrow(/https/);
    expect(
      providerDescriptor('clickwrap').credentials.fromEnv({
        CLICKWRAP_API_TOKEN: 't',
        CLICKWRAP_BASE_URL: 'http://127.0.0.1:9/v1.1',
      }),
    ).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1.1' });
  });
});

describe('export modes and latest views', () => {
  const activities = { provider: 'marketo', dataset: 'activities', request: {} } as const;

  it('an activity export is incremental: declaring it a snapshot is refused, naming mode', () => {
    expect(exportMode(activities)).toBe('incremental');
    expect(exportMode({ ...activities, mode: 'incremental' })).toBe('incremental');
    expect(() => exportMode({ ...activities, mode: 'snapshot' })).toThrow(
      /^mode: "snapshot" needs a request without a date filter/,
    );
  });

  it('events have no latest view', () => {
    expect(latestView(activities)).toBeUndefined();
    expect(latestViewOf({ ...activities, mode: 'incremental' }, 'marketo_activities')).toBeUndefined();
    expect(latestView({ provider: 'clickwrap', dataset: 'activities', request: {} })).toBeUndefined();
  });
});
