// `query <sql>`: SQL over the local curated Parquet (DuckDB), with the table names Athena uses.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadPipelineConfig } from '../../../lib/config';
import { MissingCuratedDataError } from '../../query/curated-views';
import { renderTable } from '../../query/render-table';
import { QueryFailedError, runLocalQuery } from '../../query/run-query';
import { UsageError } from '../usage-error';

export async function queryCommand(raw: unknown): Promise<number> {
  const opts = z.object({ sql: z.string(), out: z.string(), config: z.string() }).parse(raw);
  if (opts.sql.trim() === '') throw new UsageError('query needs SQL, e.g. query "SELECT count(*) FROM marketo_activities"');
  // The config names the exports' latest views; the tables themselves need only the output directory.
  const exports = existsSync(opts.config) ? loadPipelineConfig(opts.config).exports : [];
  try {
    process.stdout.write(renderTable(await runLocalQuery(opts.out, opts.sql, exports)));
  } catch (err) {
    // The user's SQL or directory: a usage error (one line, exit 2), not a crash.
    if (err instanceof QueryFailedError || err instanceof MissingCuratedDataError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}
