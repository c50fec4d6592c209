// The local `query` command: DuckDB views named like the Athena tables over curated Parquet laid out
// like the bucket (hive partition dt, activity_types), answered as an aligned table; bad input exits 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertSplit } from '../../../lambdas/curated/convert-split';
import type { CuratedColumn } from '../../../lambdas/curated/curated-column';
import { hyparquetEncoder } from '../../../lambdas/curated/hyparquet-encoder';
import { StreamingObjectUpload } from '../../../lambdas/curated/object-upload';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { openCuratedDatabase } from '../../../local/query/curated-views';
import { renderTable } from '../../../local/query/render-table';
import { runLocalQuery } from '../../../local/query/run-query';
import { cliInProcess } from '../../support/cli-in-process';

const HEADER = ['marketoGUID', 'leadId', 'activityDate', 'activityTypeId', 'attributes'];
const COLUMNS: CuratedColumn[] = [
  { name: 'marketoguid', type: 'string', nullTokens: ['null'] },
  { name: 'leadid', type: 'bigint', nullTokens: ['null'] },
  { name: 'activitydate', type: 'timestamp', nullTokens: ['null'] },
  { name: 'activitytypeid', type: 'int', nullTokens: ['null'] },
  { name: 'attributes', type: 'string', nullTokens: ['null'] },
];

let out: string;

async function landDay(store: LocalDirObjectStore, day: string, rows: string[]): Promise<void> {
  const raw = Buffer.from(`${HEADER.join(',')}\n${rows.join('\n')}\n`);
  const rawKey = `raw/marketo-activities/dt=${day}/w.csv`;
  await store.putObject(rawKey, raw, 'text/csv');
  await convertSplit({
    store,
    rawKey,
    format: 'csv',
    header: HEADER,
    columns: COLUMNS,
    split: { index: 0, start: raw.indexOf('\n') + 1, end: raw.length },
    outputKey: `curated/marketo-activities/dt=${day}/w-0.parquet`,
  });
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'query-'));
  const store = new LocalDirObjectStore({ root: out });
  await landDay(store, '2026-11-01', [
    'g1,10,2026-11-01T08:00:00Z,1,"{""a"":1}"',
    'g2,11,2026-11-01T09:00:00.250Z,2,"two\nlines"',
    'g3,10,2026-11-01T10:00:00Z,1,null',
  ]);
  await landDay(store, '2026-11-02', ['g4,12,2026-11-02T08:00:00Z,2,{}']);
  // A window converted but not published: its Parquet waits under staging/, which no view reads.
  await store.copyObject(
    'curated/marketo-activities/dt=2026-11-02/w-0.parquet',
    'staging/curated/marketo-activities/dt=2026-11-03/w-0.parquet',
  );
  // activity_types as the pipeline will write it: one small Parquet object.
  const types: CuratedColumn[] = [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
  ];
  const upload = new StreamingObjectUpload(
    store,
    'curated/activity_types/activity_types.parquet',
    'application/vnd.apache.parquet',
  );
  const encoder = hyparquetEncoder(types, (b) => upload.append(b));
  await encoder.writeRowGroup(
    [
      [1, 2],
      ['Visit Webpage', 'Fill Out Form'],
    ],
    2,
  );
  await encoder.finish();
  await upload.complete();
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('local SQL over curated Parquet', () => {
  it('names views like the Athena tables, with dt from the partition path', async () => {
    const db = await openCuratedDatabase(out);
    try {
      expect(db.tables).toEqual(['activity_types', 'marketo_activities']);
    } finally {
      db.close();
    }
    const perDay = await runLocalQuery(out, 'SELECT dt, count(*) AS n FROM marketo_activities GROUP BY dt ORDER BY dt');
    expect(perDay.columns).toEqual(['dt', 'n']);
    expect(perDay.rows).toEqual([
      ['2026-11-01', '3'],
      ['2026-11-02', '1'],
    ]);
  });

  it('reads nothing staged: a window is readable only once published under curated/', async () => {
    const days = await runLocalQuery(out, 'SELECT DISTINCT dt FROM marketo_activities ORDER BY dt');
    expect(days.rows).toEqual([['2026-11-01'], ['2026-11-02']]);
  });

  it('joins activity types by id, and keeps types (bigint, timestamp with ms, NULL)', async () => {
    const joined = await runLocalQuery(
      out,
      "SELECT t.name, count(*) AS activities FROM marketo_activities a JOIN activity_types t ON t.id = a.activitytypeid WHERE dt = '2026-11-01' GROUP BY t.name ORDER BY activities DESC",
    );
    expect(joined.rows).toEqual([
      ['Visit Webpage', '2'],
      ['Fill Out Form', '1'],
    ]);
    const typed = await runLocalQuery(
      out,
      "SELECT leadid + 1 AS next, epoch_ms(activitydate) AS ms, attributes FROM marketo_activities WHERE marketoguid IN ('g2', 'g3') ORDER BY marketoguid",
    );
    expect(typed.rows).toEqual([
      ['12', String(Date.UTC(2026, 10, 1, 9, 0, 0, 250)), 'two\nlines'],
      ['11', String(Date.UTC(2026, 10, 1, 10)), null],
    ]);
    expect(typed.numeric).toEqual([true, true, false]);
  });

  it('renders an aligned table: one line per row, numbers right-aligned, NULL spelled out', () => {
    const text = renderTable({
      columns: ['name', 'n', 'note'],
      numeric: [false, true, false],
      rows: [
        ['Visit Webpage', '2', 'two\nlines'],
        ['Fill', '10', null],
      ],
    });
    expect(text).toBe(
      [
        'name          |  n | note',
        '--------------+----+-----------',
        'Visit Webpage |  2 | two\\nlines',
        'Fill          | 10 | NULL',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });
});

/** The query command's checks and answers, in this process. */
const cli = (args: readonly string[]) => cliInProcess(args);

describe('npm start -- query', () => {
  it('prints the answer as a table', async () => {
    const res = await cli([
      'query',
      'SELECT dt, count(*) AS n FROM marketo_activities GROUP BY dt ORDER BY dt',
      '--out',
      out,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(
      ['dt         | n', '-----------+--', '2026-11-01 | 3', '2026-11-02 | 1', '(2 rows)', ''].join('\n'),
    );
  });

  it('bad SQL and a directory without curated data are usage errors: one line, exit 2', async () => {
    const bad = await cli(['query', 'SELECT nope FROM marketo_activities', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /^error: .*nope.*\(tables: activity_types, marketo_activities, marketo_emails, .*marketo_merged_leads.*\)/,
    );
    const missing = await cli(['query', 'SELECT 1', '--out', path.join(out, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no curated data under .*nowhere/);
    expect((await cli(['query'])).code).toBe(2);
  });

  it('needs no config when the SQL needs none; a latest view without a usable config says why', async () => {
    const broken = path.join(out, 'broken-config.json');
    writeFileSync(broken, '{"exports": 3}');
    const res = await cli(['query', 'SELECT count(*) AS n FROM marketo_activities', '--out', out, '--config', broken]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('(1 row)');
    const latest = await cli([
      'query',
      'SELECT count(*) FROM marketo_activities_latest',
      '--out',
      out,
      '--config',
      broken,
    ]);
    expect(latest.code).toBe(2);
    expect(latest.stderr.trim().split('\n')).toHaveLength(1);
    expect(latest.stderr).toMatch(
      /the <export>_latest views come from --config .*broken-config\.json, which was not usable: .*exports/,
    );
  });
});
