// The Marketo analyst views over hand-made curated Parquet in DuckDB, with the SQL text the Glue views
// carry: names resolved through the right asset table (the activity type's primary attribute), NULL
// for a deleted asset, a real instance's names before a simulator's, merges one row per loser, and
// each lead's current state (newest values, deleted_at, merged_into followed to the final winner).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquetRows } from '../../../lambdas/curated/write-rows';
import { referenceTablesOf, tableLayout } from '../../../lambdas/providers/descriptors';
import { marketoViewsOf } from '../../../lambdas/providers/marketo-views';
import type { ExportDefinition } from '../../../lambdas/shared/export-definition';
import { parsePipelineConfig } from '../../../lib/config';
import { runLocalQuery } from '../../../local/query/run-query';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';

const config = parsePipelineConfig(
  {
    exports: [
      {
        name: 'marketo-activities',
        provider: 'marketo',
        secretName: 'bulk-export/marketo',
        window: { grain: 'day', firstStart: '2026-11-01' },
      },
      {
        name: 'marketo-leads',
        provider: 'marketo',
        dataset: 'leads',
        secretName: 'bulk-export/marketo',
        request: { fields: ['id', 'email', 'updatedAt'] },
        window: { grain: 'day', firstStart: '2026-11-01' },
      },
      {
        name: 'marketo-deleted-leads',
        provider: 'marketo',
        dataset: 'deleted-leads',
        secretName: 'bulk-export/marketo',
        window: { grain: 'day', firstStart: '2026-11-01' },
      },
    ],
  },
  'analyst views test',
);
const [activities, leads, deleted] = config.exports as [ExportDefinition, ExportDefinition, ExportDefinition];
const HOST = '123-abc-456.mktorest.com';
let out: string;
let store: LocalDirObjectStore;

type Row = Record<string, string | number | null>;

async function land(def: ExportDefinition, day: string, rows: Record<string, string | number | null>[]) {
  const columns = tableLayout(def).columns;
  const byColumn = rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.field] ?? null])));
  await writeParquetRows(store, `curated/${def.name}/dt=${day}/w-0001.parquet`, columns, byColumn);
}

async function reference(table: string, source: string, rows: Row[]) {
  const descriptor = referenceTablesOf(config.exports).find((t) => t.name === table)!;
  const full = rows.map((row) => ({ ...row, source }));
  await writeParquetRows(store, `curated/${table}/${source}.parquet`, descriptor.columns, full);
}

const act = (
  guid: string,
  lead: number,
  date: string,
  type: number,
  campaign: number | null,
  primary: number | null,
  attributes = '{}',
) => ({
  marketoGUID: guid,
  leadId: lead,
  activityDate: date,
  activityTypeId: type,
  campaignId: campaign,
  primaryAttributeValueId: primary,
  primaryAttributeValue: null,
  attributes,
});

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'analyst-views-'));
  store = new LocalDirObjectStore({ root: out });
  await reference('activity_types', HOST, [
    { id: 2, name: 'Fill Out Form', primary_attribute: 'Webform ID' },
    { id: 6, name: 'Send Email', primary_attribute: 'Mail ID' },
    { id: 32, name: 'Merge Leads', primary_attribute: 'Lead ID' },
  ]);
  await reference('activity_types', 'simulator', [
    { id: 2, name: 'Simulated Form Fill', primary_attribute: 'Webform ID' },
  ]);
  await reference('marketo_forms', HOST, [{ id: 2001, name: 'Contact Us' }]);
  await reference('marketo_forms', 'simulator', [{ id: 2001, name: 'Simulated form' }]);
  await reference('marketo_emails', HOST, [
    { id: 2001, name: 'An email with a form id' },
    { id: 4001, name: 'Welcome' },
  ]);
  await reference('marketo_smart_campaigns', HOST, [{ id: 1001, name: 'Nurture.Send' }]);
  await reference('marketo_programs', HOST, [{ id: 6000, name: 'Nurture' }]);
  await reference('marketo_landing_pages', HOST, [{ id: 1000, name: 'pricing' }]);
  await land(activities, '2026-11-01', [
    act('a1', 10, '2026-11-01T08:00:00Z', 2, null, 2001),
    act('a2', 10, '2026-11-01T09:00:00Z', 6, 1001, 4001),
    act('a3', 11, '2026-11-01T10:00:00Z', 2, null, 2999),
    act('a4', 10, '2026-11-01T11:00:00Z', 32, null, 10, '{"Merge ids":"[11]","Merge Source":"Web service API"}'),
  ]);
  await land(activities, '2026-11-02', [
    act('a5', 12, '2026-11-02T11:00:00Z', 32, null, 12, '{"Merge ids":"[10, 13]","Merged in Sales":false}'),
  ]);
  await land(leads, '2026-11-01', [
    { id: 10, email: 'ten@x.test', updatedAt: '2026-11-01T08:00:00Z' },
    { id: 11, email: 'eleven@x.test', updatedAt: '2026-11-01T08:00:00Z' },
    { id: 12, email: 'twelve@x.test', updatedAt: '2026-11-01T08:00:00Z' },
    { id: 13, email: 'thirteen@x.test', updatedAt: '2026-11-01T08:00:00Z' },
    { id: 14, email: 'fourteen@x.test', updatedAt: '2026-11-01T08:00:00Z' },
  ]);
  await land(leads, '2026-11-02', [{ id: 12, email: 'twelve-new@x.test', updatedAt: '2026-11-02T08:00:00Z' }]);
  await land(deleted, '2026-11-02', [
    {
      marketoGUID: 'd1',
      id: 900,
      leadId: 14,
      activityDate: '2026-11-02T10:00:00Z',
      activityTypeId: 37,
      primaryAttributeValueId: 14,
      primaryAttributeValue: 'fourteen',
      attributes: '[]',
    },
  ]);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function query(sql: string): Promise<readonly (readonly unknown[])[]> {
  return (await runLocalQuery(out, sql, config.exports)).rows;
}

describe('the Marketo analyst views', () => {
  it('are one per instance, named after the exports, each reading what it names', () => {
    expect(marketoViewsOf(config.exports).map((v) => v.name)).toEqual([
      'marketo_activities_named',
      'marketo_merged_leads',
      'marketo_leads_current',
    ]);
  });

  it('name every activity through the asset table of its type’s primary attribute; NULL when the asset is gone', async () => {
    expect(
      await query(
        'SELECT marketoguid, activity_type_name, campaign_name, primary_attribute_name, primary_attribute_value_name FROM marketo_activities_named ORDER BY marketoguid',
      ),
    ).toEqual([
      ['a1', 'Fill Out Form', null, 'Webform ID', 'Contact Us'],
      ['a2', 'Send Email', 'Nurture.Send', 'Mail ID', 'Welcome'],
      ['a3', 'Fill Out Form', null, 'Webform ID', null],
      ['a4', 'Merge Leads', null, 'Lead ID', null],
      ['a5', 'Merge Leads', null, 'Lead ID', null],
    ]);
  });

  it('list each losing lead of every Merge Leads activity', async () => {
    expect(
      await query(
        'SELECT losing_lead_id, winning_lead_id, activity_guid FROM marketo_merged_leads ORDER BY losing_lead_id',
      ),
    ).toEqual([
      ['10', '12', 'a5'],
      ['11', '10', 'a4'],
      ['13', '12', 'a5'],
    ]);
  });

  it('give each lead its newest values, when it was deleted and the final winner it was merged into', async () => {
    expect(
      await query(
        "SELECT id, email, strftime(deleted_at, '%Y-%m-%dT%H:%M:%SZ'), merged_into FROM marketo_leads_current ORDER BY id",
      ),
    ).toEqual([
      ['10', 'ten@x.test', null, '12'],
      ['11', 'eleven@x.test', null, '12'],
      ['12', 'twelve-new@x.test', null, null],
      ['13', 'thirteen@x.test', null, '12'],
      ['14', 'fourteen@x.test', '2026-11-02T10:00:00Z', null],
    ]);
    expect(
      await query('SELECT id FROM marketo_leads_current WHERE deleted_at IS NULL AND merged_into IS NULL'),
    ).toEqual([['12']]);
  });

  it("answers queries shaped like the README's two examples", async () => {
    // Lead 10 got email 4001 and filled out form 2001, but was merged into 12 since: not a live lead.
    const emailsThatDroveFills = (
      live: string,
    ) => `SELECT e.primary_attribute_value_name AS email, count(DISTINCT f.leadid) AS leads_who_filled_a_form
        FROM marketo_activities_named e
        JOIN marketo_activities_named f
          ON f.leadid = e.leadid AND f.activity_type_name = 'Fill Out Form'
         AND f.activitydate BETWEEN e.activitydate - INTERVAL '7' DAY AND e.activitydate + INTERVAL '7' DAY
        JOIN marketo_leads_current l ON l.id = e.leadid ${live}
        WHERE e.activity_type_name = 'Send Email' AND e.dt >= '2026-11-01'
        GROUP BY 1 ORDER BY 2 DESC`;
    expect(await query(emailsThatDroveFills(''))).toEqual([['Welcome', '1']]);
    expect(await query(emailsThatDroveFills('AND l.deleted_at IS NULL AND l.merged_into IS NULL'))).toEqual([]);
    expect(
      await query(`SELECT a.leadid, a.activity_type_name, a.primary_attribute_value_name
        FROM marketo_activities_named a
        WHERE a.leadid = 12 OR a.leadid IN (SELECT id FROM marketo_leads_current WHERE merged_into = 12)
        ORDER BY a.activitydate`),
    ).toEqual([
      ['10', 'Fill Out Form', 'Contact Us'],
      ['10', 'Send Email', 'Welcome'],
      ['11', 'Fill Out Form', null],
      ['10', 'Merge Leads', null],
      ['12', 'Merge Leads', null],
    ]);
  });
});
