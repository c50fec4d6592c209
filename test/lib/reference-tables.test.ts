// The infrastructure of the Marketo reference tables: one Glue table per table the instance refreshes
// (the defaults, or the config's switches), names that collide with an export's refused at synth, the
// switches checked, and the refresh function's grants (its objects and manifests, the call budget).
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PipelineConfigError } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { marketoExport, testApp, testConfig } from './support/test-app';

type Statement = { Action: string | string[]; Resource: unknown };

/** The tables, not the views (test/lib/analyst-views.test.ts covers those). */
function glueTables(template: Template): string[] {
  return Object.values(template.findResources('AWS::Glue::Table'))
    .map((t) => (t as { Properties: { TableInput: { Name: string; TableType?: string } } }).Properties.TableInput)
    .filter((input) => input.TableType !== 'VIRTUAL_VIEW')
    .map((input) => input.Name)
    .sort();
}

function refreshStatements(template: Template): Statement[] {
  const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
    id.startsWith('WorkflowRefreshReferencesFunctionRoleDefaultPolicy'),
  );
  expect(policy).toBeDefined();
  return (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

describe('Marketo reference tables (infrastructure)', () => {
  it('has a Glue table for each table on by default, and one more per table the config switches on', () => {
    const defaults = Template.fromStack(new PipelineStack(testApp(), 'Defaults', { config: testConfig() }));
    expect(glueTables(defaults).filter((name) => !name.startsWith('clickwrap'))).toEqual([
      'activity_types',
      'marketo_activities',
      'marketo_emails',
      'marketo_forms',
      'marketo_landing_pages',
      'marketo_programs',
      'marketo_smart_campaigns',
    ]);
    const config = testConfig({
      exports: [{ ...marketoExport, referenceTables: { marketo_static_lists: true, marketo_landing_pages: false } }],
    });
    const switched = Template.fromStack(new PipelineStack(testApp(), 'Switched', { config }));
    expect(glueTables(switched)).toContain('marketo_static_lists');
    expect(glueTables(switched)).not.toContain('marketo_landing_pages');
  });

  it('lets the refresh write only its objects under curated/ and their manifests, plus the call budget', () => {
    const template = Template.fromStack(new PipelineStack(testApp(), 'Grants', { config: testConfig() }));
    const statements = refreshStatements(template);
    const puts = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    const resources = JSON.stringify(puts.flatMap((s) => [s.Resource].flat()));
    expect(resources).toMatch(/\/curated\/\*"/);
    expect(resources).toMatch(/\/manifests\/\*"/);
    expect(resources).toMatch(/\/call-budgets\/\*"/);
    expect(resources).not.toMatch(/\/raw\/\*"|\/state\/\*"/);
    expect(JSON.stringify(statements)).not.toContain('s3:DeleteObject');
  });

  it('refuses a switch naming no reference table, and two exports of one instance that disagree', () => {
    expect(() => testConfig({ exports: [{ ...marketoExport, referenceTables: { marketo_segments: true } }] })).toThrow(
      /exports\[0\] "marketo-activities": referenceTables\.marketo_segments: marketo activities has no such reference table/,
    );
    const leads = {
      ...marketoExport,
      name: 'marketo-leads',
      dataset: 'leads',
      request: { fields: ['id', 'email', 'updatedAt'] },
      referenceTables: { marketo_forms: false },
    };
    expect(() => testConfig({ exports: [marketoExport, leads] })).toThrow(PipelineConfigError);
    expect(() => testConfig({ exports: [marketoExport, leads] })).toThrow(
      /exports\[1\] "marketo-leads": referenceTables: .* exports\[0\] of the same instance/,
    );
  });

  it('refuses an export whose table would take a reference table name', () => {
    expect(() => testConfig({ exports: [marketoExport, { ...marketoExport, name: 'marketo-programs' }] })).toThrow(
      /Athena name "marketo_programs" .* is also the reference table "marketo_programs": rename the export/,
    );
  });
});
