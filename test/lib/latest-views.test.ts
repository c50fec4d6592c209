// An incremental entity export (Marketo leads) gets an Athena view `<export>_latest` beside its table:
// a Glue VIRTUAL_VIEW whose original text is the Trino view (SQL and column types) as base64 JSON,
// encoded at deploy time (Fn::Base64) because the database name is only known then. A snapshot export
// and an activity export get none.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { latestViewOf } from '../../lambdas/providers/latest-view';
import { ExportStorage } from '../../lib/constructs/storage';
import { marketoExport, testApp, testConfig } from './support/test-app';

const leads = {
  name: 'marketo-leads',
  provider: 'marketo',
  dataset: 'leads',
  secretName: 'bulk-export/marketo',
  request: { fields: ['id', 'email', 'updatedAt', 'score'], fieldTypes: { score: 'integer' } },
  window: { grain: 'day', lagMinutes: 60, firstStart: '2026-01-01' },
} as const;
const leadsSnapshot = {
  ...leads,
  name: 'marketo-list',
  mode: 'snapshot',
  request: { ...leads.request, filter: { staticListId: 7 } },
} as const;

type GlueTable = {
  Properties: {
    TableInput: {
      Name: string;
      TableType?: string;
      Parameters?: Record<string, string>;
      ViewOriginalText?: unknown;
      ViewExpandedText?: string;
      StorageDescriptor: { Columns: { Name: string; Type: string }[] };
    };
  };
};

function glueTables(exports: readonly object[]): GlueTable[] {
  const stack = new Stack(testApp(), 'StorageStack');
  new ExportStorage(stack, 'Storage', { exports: testConfig({ exports: [...exports] as never }).exports });
  return Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')) as GlueTable[];
}

describe('latest views', () => {
  it('an incremental leads export gets marketo_leads_latest: a Presto view over its table, typed like it plus dt', () => {
    const tables = glueTables([marketoExport, leads, leadsSnapshot]);
    const views = tables.filter(
      (t) => t.Properties.TableInput.TableType === 'VIRTUAL_VIEW' && t.Properties.TableInput.Name.endsWith('_latest'),
    );
    expect(views.map((v) => v.Properties.TableInput.Name)).toEqual(['marketo_leads_latest']);
    const view = views[0]!.Properties.TableInput;
    expect(view.Parameters).toEqual({ presto_view: 'true', comment: 'Presto View' });
    expect(view.ViewExpandedText).toBe('/* Presto View */');
    expect(view.StorageDescriptor.Columns.map((c) => `${c.Name} ${c.Type}`)).toEqual([
      'id bigint',
      'email string',
      'updatedat timestamp',
      'score int',
      'dt string',
    ]);
    // '/* Presto View: ' + base64(JSON with the SQL and the database) + ' */', encoded by CloudFormation.
    const text = JSON.stringify(view.ViewOriginalText);
    expect(text).toContain('"Fn::Base64"');
    expect(text).toContain('/* Presto View: ');
    expect(text).toContain('row_number() OVER (PARTITION BY');
    expect(text).toContain('WHERE latest_rank = 1');
    expect(text).toContain('\\"columns\\":[{\\"name\\":\\"id\\",\\"type\\":\\"bigint\\"}');
  });

  it('the same SQL is what DuckDB runs locally: newest per id by updatedat, then dt', () => {
    const sql = latestViewOf(testConfig({ exports: [leads] as never }).exports[0]!, 'marketo_leads')!.sql;
    expect(sql).toBe(
      'SELECT "id", "email", "updatedat", "score", "dt" FROM (SELECT *, row_number() OVER (PARTITION BY "id" ORDER BY "updatedat" DESC NULLS LAST, "dt" DESC) AS latest_rank FROM "marketo_leads") ranked WHERE latest_rank = 1',
    );
  });
});
