// `demo` (the default command): the bundled Marketo simulator, one day of activity into ./exports,
// then the answers to two SQL queries over the curated Parquet: by activity type, and form fills by
// form name through the named view.
import * as path from 'node:path';
import { z } from 'zod';
import { loadPipelineConfig } from '../../../lib/config';
import { renderTable } from '../../query/render-table';
import { runLocalQuery } from '../../query/run-query';
import { executeExport } from '../execute-export';
import { checkRunTargets, DEFAULT_CONFIG, DEFAULT_EVENTS, DEFAULT_MAX_WAIT } from '../run-checks';
import { tableNameOf } from '#window/table-names';

const DEMO_EXPORT = 'marketo-activities';

const DemoOptionsSchema = z.object({
  out: z.string(),
  sizeMb: z.number().int().positive(),
  maxWait: z.string().default(DEFAULT_MAX_WAIT),
  verbose: z.boolean().optional(),
  simulatorBytesPerSecond: z.number().int().positive().optional(),
});

export async function demoCommand(raw: unknown): Promise<number> {
  const opts = DemoOptionsSchema.parse(raw);
  checkRunTargets({ out: opts.out, events: DEFAULT_EVENTS });
  const config = loadPipelineConfig(DEFAULT_CONFIG);
  // Yesterday (UTC), one day: a complete window the simulator fills with opts.sizeMb of activity.
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const from = new Date(today.getTime() - 86_400_000).toISOString().replace('.000Z', 'Z');
  const to = today.toISOString().replace('.000Z', 'Z');
  process.stderr.write(
    `Demo: export "${DEMO_EXPORT}" for ${from} → ${to} from the bundled Marketo simulator (${opts.sizeMb} MiB of activity) into ${path.resolve(opts.out)}/\n`,
  );
  const code = await executeExport(config, DEMO_EXPORT, {
    from,
    to,
    store: { kind: 'dir', dir: opts.out },
    source: 'simulator',
    events: DEFAULT_EVENTS,
    maxWait: opts.maxWait,
    resume: ['demo', '--out', opts.out, '--size-mb', String(opts.sizeMb), '--max-wait', opts.maxWait],
    ...(opts.verbose ? { verbose: true } : {}),
    simulatorSettings: {
      marketo: { bytesPerJob: opts.sizeMb * 1024 * 1024 },
      ...(opts.simulatorBytesPerSecond ? { slowBytesPerSecond: opts.simulatorBytesPerSecond } : {}),
    },
    // Small chunks so the demo shows the cursor crossing invocations, as a multi-GiB file does on Lambda.
    maxChunkBytes: Math.max(8, Math.ceil(opts.sizeMb / 4)) * 1024 * 1024,
  });
  if (code !== 0) return code;
  // The data as a user reads it: the same SQL as on Athena, over the curated Parquet just written.
  const sql = `SELECT t.name AS activity_type, count(*) AS records FROM ${tableNameOf(DEMO_EXPORT)} a JOIN activity_types t ON t.id = a.activitytypeid WHERE a.dt = '${from.slice(0, 10)}' GROUP BY 1 ORDER BY 2 DESC, 1`;
  process.stdout.write(
    `\nRecords per activity type (npm start -- query "${sql}"):\n${renderTable(await runLocalQuery(opts.out, sql))}\n`,
  );
  // Names instead of ids: the named view resolves each form fill's form through the forms reference
  // table (NULL: a form deleted since, which the instance no longer lists).
  const named = `SELECT primary_attribute_value_name AS form, count(*) AS fills FROM ${tableNameOf(DEMO_EXPORT)}_named WHERE activity_type_name = 'Fill Out Form' AND dt = '${from.slice(0, 10)}' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`;
  process.stdout.write(
    `\nForm fills by form name (npm start -- query "${named}"):\n${renderTable(await runLocalQuery(opts.out, named, config.exports))}\n`,
  );
  return 0;
}
