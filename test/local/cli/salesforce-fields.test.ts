// `fields <export>` for Salesforce: the describe of the simulated org over HTTP, and a snippet that,
// pasted into the request, validates and types each column as describe says.
import { afterEach, describe, expect, it } from 'vitest';
import { listSalesforceFields } from '../../../lambdas/providers/salesforce';
import { SALESFORCE_DESCRIPTOR } from '../../../lambdas/providers/salesforce/descriptor';
import { systemClock } from '../../../lambdas/shared/clock';
import { silentLogger } from '../../../lambdas/shared/logger';
import { renderSalesforceFields, salesforceFieldsSnippet } from '../../../local/cli/salesforce-fields';
import { startSalesforceSimulator, type SalesforceSimulator } from '../../../local/simulators/salesforce';

let sim: SalesforceSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('fields of a Salesforce object', () => {
  it('lists describe with the column each field becomes; the snippet leaves compound fields out and types the rest', async () => {
    sim = await startSalesforceSimulator();
    const fields = await listSalesforceFields(
      { instanceUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      'Account',
      { clock: systemClock, logger: silentLogger },
    );
    expect(fields.find((f) => f.name === 'BillingAddress')).toMatchObject({ type: 'address', selectable: false });
    expect(fields.find((f) => f.name === 'AnnualRevenue')).toMatchObject({ type: 'currency', columnType: 'double' });
    const snippet = salesforceFieldsSnippet(fields);
    expect(snippet.fields).not.toContain('BillingAddress');
    const dataset = SALESFORCE_DESCRIPTOR.datasets.sobject;
    const request = dataset.validate({ object: 'Account', ...snippet });
    const types = Object.fromEntries(dataset.layout(request).columns.map((c) => [c.field, c.type]));
    expect(types).toMatchObject({
      Id: 'string',
      IsDeleted: 'boolean',
      SystemModstamp: 'timestamp',
      AnnualRevenue: 'double',
      NumberOfEmployees: 'int',
      Name: 'string',
    });
    expect(renderSalesforceFields(fields)).toMatch(/BillingAddress\s+address\s+\(compound: select its components\)/);
  });
});
