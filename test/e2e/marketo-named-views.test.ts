// The demo's instance end to end (the local engine, the simulator's activities and asset listings, a
// local output directory): every named activity's names equal the simulator's assets (NULL exactly for
// the assets it deleted), each reference table has its manifest vouching for its object, and the
// merges the activities carry come out of marketo_merged_leads one row per loser.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MARKETO_ASSET_TABLES } from '../../lambdas/providers/marketo/asset-tables';
import { loadPipelineConfig } from '../../lib/config';
import { runLocalQuery } from '../../local/query/run-query';
import { assetPool, isDeletedAsset, type AssetType } from '../../local/simulators/marketo/asset-data';
import { cliInProcess } from '../support/cli-in-process';

const work = mkdtempSync(path.join(tmpdir(), 'named-views-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NO_CREDENTIALS = { MARKETO_BASE_URL: '', MARKETO_CLIENT_ID: '', MARKETO_CLIENT_SECRET: '' };
const TYPE_OF_ATTRIBUTE: Readonly<Record<string, AssetType>> = {
  'Program ID': 'programs',
  'Campaign ID': 'smartCampaigns',
  'List ID': 'staticLists',
  'Mail ID': 'emails',
  'Webform ID': 'forms',
  'Webpage ID': 'landingPages',
};

/** The name the instance lists for an asset id, or null: deleted, or never one of its assets. */
function listedName(type: AssetType, id: number): string | null {
  const pool = assetPool(type);
  const index = pool.findIndex((asset) => asset.id === id);
  return index < 0 || isDeletedAsset(index) ? null : pool[index]!.name;
}

it('names every activity of a demo day from the simulator’s assets, with a manifest per reference table', async () => {
  const out = path.join(work, 'exports');
  const res = await cliInProcess(['demo', '--size-mb', '2', '--out', out], NO_CREDENTIALS);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toMatch(/Form fills by form name[\s\S]*form\s+\| fills/);
  const exports = loadPipelineConfig('config/pipeline.json').exports;

  // Every table on by default landed for the simulator's instance, and its manifest vouches for it.
  for (const table of ['activity_types', ...MARKETO_ASSET_TABLES.filter((t) => t.onByDefault).map((t) => t.name)]) {
    const body = readFileSync(path.join(out, 'curated', table, 'simulator.parquet'));
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifests', table, 'simulator.json'), 'utf8')) as {
      bytes: number;
      sha256: string;
      rows: number;
      source: string;
    };
    expect(manifest).toMatchObject({ source: 'simulator', bytes: body.length });
    expect(manifest.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    const [[rows]] = (await runLocalQuery(out, `SELECT count(*) FROM ${table}`, exports)).rows as [[string]];
    expect(Number(rows)).toBe(manifest.rows);
  }

  const named = await runLocalQuery(
    out,
    'SELECT primary_attribute_name, primaryattributevalueid, primary_attribute_value_name, campaignid, campaign_name, activity_type_name FROM marketo_activities_named',
    exports,
  );
  expect(named.rows.length).toBeGreaterThan(1000);
  let resolved = 0;
  let gone = 0;
  for (const [attribute, valueId, valueName, campaignId, campaignName, typeName] of named.rows) {
    expect(typeName).not.toBeNull();
    const type = TYPE_OF_ATTRIBUTE[String(attribute)];
    // Static lists are off by default: their names stay NULL.
    const expected = type && type !== 'staticLists' && valueId !== null ? listedName(type, Number(valueId)) : null;
    expect(valueName, `${String(attribute)} ${String(valueId)}`).toBe(expected);
    if (expected === null && type && type !== 'staticLists') gone++;
    else if (expected !== null) resolved++;
    expect(campaignName).toBe(campaignId === null ? null : listedName('smartCampaigns', Number(campaignId)));
  }
  expect(resolved).toBeGreaterThan(100);
  expect(gone).toBeGreaterThan(0);

  // The Merge Leads activities, one row per losing lead.
  const merges = await runLocalQuery(
    out,
    'SELECT count(*) FROM marketo_merged_leads m JOIN marketo_activities a ON a.marketoguid = m.activity_guid AND a.leadid = m.winning_lead_id',
    exports,
  );
  expect(Number((merges.rows as [[string]])[0][0])).toBeGreaterThan(0);
});
