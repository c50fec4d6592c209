// The Marketo analyst views as Glue views: one of each for an instance with activities, leads and
// deleted-leads exports, typed, carrying the very SQL text DuckDB runs, created after the tables they
// read; their names claimed like every table's (an export that would take one is refused at synth).
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { marketoViewsOf } from '../../lambdas/providers/marketo-views';
import { ExportStorage } from '../../lib/constructs/storage';
import { clickwrapExport, marketoExport, testApp, testConfig } from './support/test-app';

const leads = {
  name: 'marketo-leads',
  provider: 'marketo',
  dataset: 'leads',
  secretName: 'bulk-export/marketo',
  request: { fields: ['id', 'email', 'updatedAt'] },
  window: { grain: 'day', firstStart: '2026-01-01' },
} as const;
const deletedLeads = {
  name: 'marketo-deleted-leads',
  provider: 'marketo',
  dataset: 'deleted-leads',
  secretName: 'bulk-export/marketo',
  window: { grain: 'day', firstStart: '2026-01-01' },
} as const;

type GlueResource = {
  DependsOn?: string[];
  Properties: {
    TableInput: {
      Name: string;
      TableType?: string;
      ViewOriginalText?: unknown;
      StorageDescriptor: { Columns: { Name: string; Type: string }[] };
    };
  };
};

function views(exports: readonly object[]): GlueResource[] {
  const stack = new Stack(testApp(), 'Views');
  new ExportStorage(stack, 'Storage', { exports: testConfig({ exports: [...exports] as never }).exports });
  return (Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')) as GlueResource[]).filter(
    (t) => t.Properties.TableInput.TableType === 'VIRTUAL_VIEW' && !t.Properties.TableInput.Name.endsWith('_latest'),
  );
}

describe('Marketo analyst views (Glue)', () => {
  it('an instance with activities, leads and deleted leads gets the named, merged and current views', () => {
    const found = views([marketoExport, leads, deletedLeads, clickwrapExport]);
    expect(found.map((v) => v.Properties.TableInput.Name)).toEqual([
      'marketo_activities_named',
      'marketo_merged_leads',
      'marketo_leads_current',
    ]);
    const columns = (name: string) =>
      found
        .find((v) => v.Properties.TableInput.Name === name)!
        .Properties.TableInput.StorageDescriptor.Columns.map((c) => `${c.Name} ${c.Type}`);
    expect(columns('marketo_merged_leads')).toEqual([
      'losing_lead_id bigint',
      'winning_lead_id bigint',
      'merged_at timestamp',
      'activity_guid string',
    ]);
    expect(columns('marketo_leads_current').slice(-3)).toEqual([
      'dt string',
      'deleted_at timestamp',
      'merged_into bigint',
    ]);
    expect(columns('marketo_activities_named').slice(-4)).toEqual([
      'activity_type_name string',
      'campaign_name string',
      'primary_attribute_name string',
      'primary_attribute_value_name string',
    ]);
    // Created after the tables they read.
    for (const view of found) expect(view.DependsOn?.length).toBeGreaterThan(0);
  });

  it('carries the SQL text DuckDB runs, as the Trino view in base64', () => {
    const found = views([marketoExport, leads, deletedLeads]);
    const sqlOf = Object.fromEntries(
      marketoViewsOf(testConfig({ exports: [marketoExport, leads, deletedLeads] as never }).exports).map((v) => [
        v.name,
        v.sql,
      ]),
    );
    for (const view of found) {
      const text = JSON.stringify(view.Properties.TableInput.ViewOriginalText);
      expect(text).toContain('"Fn::Base64"');
      // The SQL is inside the JSON the view's text encodes (quotes escaped twice: JSON in JSON).
      const sql = sqlOf[view.Properties.TableInput.Name]!;
      expect(text).toContain(JSON.stringify(JSON.stringify(sql)).slice(3, 60));
    }
  });

  it('an activities export alone gets the named and merged views; a leads export alone its current view', () => {
    expect(views([marketoExport]).map((v) => v.Properties.TableInput.Name)).toEqual([
      'marketo_activities_named',
      'marketo_merged_leads',
    ]);
    expect(views([leads]).map((v) => v.Properties.TableInput.Name)).toEqual(['marketo_leads_current']);
  });

  it('refuses an export whose table would take a view name', () => {
    expect(() =>
      testConfig({ exports: [marketoExport, { ...clickwrapExport, name: 'marketo-merged-leads' }] }),
    ).toThrow(
      /exports\[0\] "marketo-activities": name: Athena name "marketo_merged_leads" of the view "marketo_merged_leads" is also the table of exports\[1\] "marketo-merged-leads"/,
    );
  });
});
