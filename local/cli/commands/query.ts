// `query <sql>`: SQL over the local curated Parquet (DuckDB), with the table names Athena uses.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadPipelineConfig, PipelineConfigError, type PipelineConfig } from '../../../lib/config';
import { MissingCuratedDataError } from '../../query/curated-views';
import { renderTable } from '../../query/render-table';
import { QueryFailedError, runLocalQuery } from '../../query/run-query';
import { UsageError } from '../usage-error';

export async function queryCommand(raw: unknown): Promise<number> {
  const opts = z.object({ sql: z.string(), out: z.string(), config: z.string() }).parse(raw);
  if (opts.sql.trim() === '')
    throw new UsageError('query needs SQL, e.g. query "SELECT count(*) FROM marketo_activities"');
  // The config only names the exports' <export>_latest views; the tables need the directory alone,
  // so a config that cannot be read matters only to SQL that fails without those views.
  let exports: PipelineConfig['exports'] = [];
  let configProblem: string | undefined;
  if (existsSync(opts.config)) {
    try {
      exports = loadPipelineConfig(opts.config).exports;
    } catch (err) {
      if (!(err instanceof PipelineConfigError)) throw err;
      configProblem = err.message.split('\n')[0];
    }
  }
  try {
    process.stdout.write(renderTable(await runLocalQuery(opts.out, opts.sql, exports)));
  } catch (err) {
    // The user's SQL or directory: a usage error (one line, exit 2), not a crash.
    if (err instanceof QueryFailedError && configProblem && /_latest\b/i.test(opts.sql)) {
      throw new UsageError(
        `${err.message.split('\n')[0]} — the <export>_latest views come from --config ${opts.config}, which was not usable: ${configProblem}`,
      );
    }
    if (err instanceof QueryFailedError || err instanceof MissingCuratedDataError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}
