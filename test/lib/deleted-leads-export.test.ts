// A deleted-leads export is one config entry: the config checks its request at synth (naming a bad
// field), and the storage construct gives it a typed Glue table from the dataset's descriptor, nothing
// else in lib/ knowing the dataset.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ExportStorage } from '../../lib/constructs/storage';
import { marketoExport, testApp, testConfig } from './support/test-app';

const deletedLeads = {
  name: 'marketo-deleted-leads',
  provider: 'marketo',
  dataset: 'deleted-leads',
  secretName: 'bulk-export/marketo',
  window: { grain: 'day', lagMinutes: 60, firstStart: '2026-01-01' },
} as const;

describe('a Marketo deleted-leads export in the config', () => {
  it('gets a curated table with the typed columns of its descriptor', () => {
    const stack = new Stack(testApp(), 'StorageStack');
    new ExportStorage(stack, 'Storage', { exports: testConfig({ exports: [marketoExport, deletedLeads] }).exports });
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')) as {
      Properties: { TableInput: { Name: string; StorageDescriptor: { Columns: { Name: string; Type: string }[] } } };
    }[];
    const table = tables.find((t) => t.Properties.TableInput.Name === 'marketo_deleted_leads');
    expect(table?.Properties.TableInput.StorageDescriptor.Columns.map((c) => `${c.Name} ${c.Type}`)).toEqual([
      'marketoguid string',
      'id bigint',
      'leadid bigint',
      'activitydate timestamp',
      'activitytypeid int',
      'primaryattributevalueid bigint',
      'primaryattributevalue string',
      'attributes string',
    ]);
  });

  it('is refused at synth when its request holds an option, naming the export and the field', () => {
    expect(() =>
      testConfig({ exports: [{ ...deletedLeads, request: { sinceDatetime: '2026-01-01T00:00:00Z' } }] }),
    ).toThrow(/marketo-deleted-leads.*sinceDatetime/s);
  });
});
