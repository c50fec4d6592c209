import { describe, expect, it } from 'vitest';
import { allDatasets, datasetDescriptor, providerDescriptor, tableLayout, validateExportRequest } from '../../../lambdas/providers/descriptors';
import { ValidationError } from '../../../lambdas/shared/errors';

describe('dataset descriptors', () => {
  it('list every dataset of every provider', () => {
    expect(allDatasets().map((d) => `${d.provider}/${d.dataset.name}`)).toEqual(['marketo/activities', 'marketo/leads', 'marketo/program-members', 'marketo/custom-objects', 'clickwrap/activities']);
  });

  it('refuse a dataset the provider does not have, naming the known ones', () => {
    expect(() => datasetDescriptor({ provider: 'clickwrap', dataset: 'leads' })).toThrow(new ValidationError('dataset', 'clickwrap has no dataset "leads" (known: activities)'));
    // Inherited object keys are not datasets.
    expect(() => datasetDescriptor({ provider: 'marketo', dataset: 'constructor' })).toThrow(ValidationError);
  });

  it("validate a request by the dataset's own rules", () => {
    expect(() => validateExportRequest({ provider: 'marketo', dataset: 'activities', request: { format: 'XLS' } })).toThrow(ValidationError);
    expect(validateExportRequest({ provider: 'clickwrap', dataset: 'activities', request: {} })).toMatchObject({ fields: expect.arrayContaining(['id', 'signer_id', 'created_time']) });
  });

  it('give typed table columns in file order', () => {
    const layout = tableLayout({ provider: 'marketo', dataset: 'activities', request: { fields: ['leadId', 'activityDate', 'attributes'], format: 'TSV' } });
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
});

describe('credentials from the environment', () => {
  it('reads each provider its own variables, or nothing when none is set', () => {
    expect(providerDescriptor('marketo').credentials.fromEnv({})).toBeUndefined();
    expect(providerDescriptor('clickwrap').credentials.fromEnv({ CLICKWRAP_API_TOKEN: 't' })).toEqual({ apiToken: 't' });
    expect(providerDescriptor('marketo').credentials.fromEnv({ MARKETO_BASE_URL: 'https://x.example', MARKETO_CLIENT_ID: 'i', MARKETO_CLIENT_SECRET: 's' })).toEqual({
      baseUrl: 'https://x.example',
      clientId: 'i',
      clientSecret: 's',
    });
  });

  it('refuse half a set and plain http to a remote host', () => {
    expect(() => providerDescriptor('marketo').credentials.fromEnv({ MARKETO_CLIENT_ID: 'i' })).toThrow(ValidationError);
    expect(() => providerDescriptor('clickwrap').credentials.fromEnv({ CLICKWRAP_API_TOKEN: 't', CLICKWRAP_BASE_URL: 'http://api.example' })).toThrow(/https/);
    expect(providerDescriptor('clickwrap').credentials.fromEnv({ CLICKWRAP_API_TOKEN: 't', CLICKWRAP_BASE_URL: 'http://127.0.0.1:9/v1.1' })).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1.1' });
  });
});
