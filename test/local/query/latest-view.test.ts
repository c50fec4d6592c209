// `<export>_latest` over a leads export's curated Parquet: one row per lead, the newest by updatedAt
// (a later partition breaks a tie), the same SQL text the Glue view carries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertSplit } from '../../../lambdas/curated/convert-split';
import { latestViewOf } from '../../../lambdas/providers/latest-view';
import { tableLayout } from '../../../lambdas/providers/descriptors';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { parsePipelineConfig } from '../../../lib/config';
import { runLocalQuery } from '../../../local/query/run-query';

const config = parsePipelineConfig(
  {
    exports: [
      {
        name: 'marketo-leads',
        provider: 'marketo',
        dataset: 'leads',
        secretName: 'bulk-export/marketo',
        request: { fields: ['id', 'email', 'updatedAt', 'notes__c'], fieldTypes: { notes__c: 'text' } },
        window: { grain: 'day', firstStart: '2026-11-01' },
      },
    ],
  },
  'latest view test',
);
const def = config.exports[0]!;
const layout = tableLayout(def);
const columns = layout.columns.map((c) => ({ name: c.name, type: c.type, nullTokens: layout.nullTokens }));
let out: string;

async function landDay(store: LocalDirObjectStore, day: string, rows: string[]): Promise<void> {
  const raw = Buffer.from(`id,email,updatedAt,notes__c\n${rows.join('\n')}\n`);
  const rawKey = `raw/marketo-leads/dt=${day}/w.csv`;
  await store.putObject(rawKey, raw, 'text/csv');
  await convertSplit({
    store,
    rawKey,
    format: 'csv',
    header: ['id', 'email', 'updatedAt', 'notes__c'],
    columns,
    split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
    outputKey: `curated/marketo-leads/dt=${day}/w-0001.parquet`,
  });
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'latest-'));
  const store = new LocalDirObjectStore({ root: out });
  await landDay(store, '2026-11-01', [
    '1,a@x.test,2026-11-01T08:00:00Z,"first\nnote"',
    '2,b@x.test,2026-11-01T09:00:00Z,null',
    '3,c@x.test,2026-11-01T23:00:00Z,kept',
  ]);
  // Lead 1 changed again the next day; lead 3 was re-exported unchanged (same updatedAt, later day).
  await landDay(store, '2026-11-02', [
    '1,a2@x.test,2026-11-02T07:00:00Z,second',
    '3,c-again@x.test,2026-11-01T23:00:00Z,kept',
  ]);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the latest view', () => {
  it('is built for an incremental entity export, keyed by its table columns', () => {
    const view = latestViewOf(def, 'marketo_leads');
    expect(view?.name).toBe('marketo_leads_latest');
    expect(view?.sql).toContain('PARTITION BY "id" ORDER BY "updatedat" DESC NULLS LAST, "dt" DESC');
    expect(view?.columns.map((c) => c.name)).toEqual(['id', 'email', 'updatedat', 'notes__c']);
  });

  it('answers one row per lead, the newest; the table keeps every version', async () => {
    const latest = await runLocalQuery(
      out,
      'SELECT id, email, notes__c, dt FROM marketo_leads_latest ORDER BY id',
      config.exports,
    );
    expect(latest.rows).toEqual([
      ['1', 'a2@x.test', 'second', '2026-11-02'],
      ['2', 'b@x.test', null, '2026-11-01'],
      ['3', 'c-again@x.test', 'kept', '2026-11-02'],
    ]);
    const all = await runLocalQuery(out, 'SELECT count(*) AS n FROM marketo_leads', config.exports);
    expect(all.rows).toEqual([['5']]);
  });

  it('is absent without the definition (only the tables need nothing but the directory)', async () => {
    await expect(runLocalQuery(out, 'SELECT * FROM marketo_leads_latest')).rejects.toThrow(/marketo_leads_latest/);
  });

  it('needs the key and order fields exported, naming fields', () => {
    const withoutKey = { ...def, request: { fields: ['email', 'updatedAt'] } };
    expect(() => latestViewOf(withoutKey, 'marketo_leads')).toThrow(/fields/);
  });
});
