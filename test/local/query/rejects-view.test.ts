// The local `<export>_rejects` view: an export with badValues "null" has it as Athena has its table,
// typed like the rejects objects and empty until a value is rejected; an export that fails on bad
// values has none.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportDefinitionSchema } from '../../../lambdas/shared/export-definition';
import { openCuratedDatabase } from '../../../local/query/curated-views';

const out = mkdtempSync(path.join(tmpdir(), 'rejects-view-'));
mkdirSync(path.join(out, 'curated'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const definition = (name: string, badValues: 'fail' | 'null') =>
  ExportDefinitionSchema.parse({
    name,
    provider: 'marketo',
    secretName: 'bulk-export/marketo',
    window: { firstStart: '2026-01-01' },
    badValues,
  });

describe('local rejects view', () => {
  it('exists, typed and empty, for an export with badValues "null" before any reject; not for "fail"', async () => {
    const db = await openCuratedDatabase(out, [definition('mkto-null', 'null'), definition('mkto-fail', 'fail')]);
    try {
      // Beside the (empty) reference tables every Marketo export has: one rejects view, for "null" only.
      expect(db.tables.filter((t) => t.endsWith('_rejects'))).toEqual(['mkto_null_rejects']);
      const described = (await db.connection.runAndReadAll('DESCRIBE mkto_null_rejects')).getRowObjectsJS();
      expect(described.map((r) => `${String(r.column_name)} ${String(r.column_type)}`)).toEqual([
        'window_start TIMESTAMP WITH TIME ZONE',
        'window_end TIMESTAMP WITH TIME ZONE',
        'raw_file VARCHAR',
        'record BIGINT',
        'column_name VARCHAR',
        'column_type VARCHAR',
        'reason VARCHAR',
        'raw_value VARCHAR',
        'raw_length INTEGER',
        'dt VARCHAR',
      ]);
      expect(
        (await db.connection.runAndReadAll('SELECT count(*) AS n FROM mkto_null_rejects')).getRowObjectsJS(),
      ).toEqual([{ n: 0n }]);
    } finally {
      db.close();
    }
  });
});
