// `fields`: the fields a Marketo export's dataset or a Salesforce export's object can export (their
// describe routes), or a Clickwrap site's.
import { z } from 'zod';
import { listExportFields } from '#providers/clickwrap/index';
import { listSalesforceFields, type SalesforceCredentials } from '#providers/salesforce/index';
import { silentLogger } from '#shared/logger';
import type { ExportDefinition } from '#shared/export-definition';
import { ScaledSleepClock, systemClock } from '#shared/clock';
import { credentialsFromEnv, SIMULATOR_SLEEP_SCALE } from '../../local-runtime';
import { startSimulatorFor } from '../../simulators/start-simulator';
import { draftExportDefinition, marketoFieldsOf, renderMarketoFields } from '../marketo-fields';
import { renderSalesforceFields } from '../salesforce-fields';
import { UsageError } from '../usage-error';

export async function fieldsCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({
      exportName: z.string().optional(),
      config: z.string(),
      site: z.string().min(1).optional(),
      simulator: z.boolean().optional(),
    })
    .parse(raw);
  if (opts.site === undefined) {
    if (opts.exportName === undefined)
      throw new UsageError(
        'fields needs a Marketo export name (fields <export>) or a Clickwrap site (fields --site <id>)',
      );
    const def = draftExportDefinition(opts.config, opts.exportName);
    if (!def) throw new UsageError(`no export named "${opts.exportName}" in ${opts.config}`);
    if (def.provider === 'salesforce') return salesforceFieldsCommand(def, Boolean(opts.simulator));
    if (def.provider !== 'marketo')
      throw new UsageError(`export "${def.name}" is a ${def.provider} export: list its fields with fields --site <id>`);
    return marketoFieldsCommand(def, Boolean(opts.simulator));
  }
  const env = opts.simulator ? undefined : credentialsFromEnv('clickwrap');
  const sim = env ? undefined : await startSimulatorFor('clickwrap', {});
  try {
    const credentials = (env ?? sim!.credentials) as Parameters<typeof listExportFields>[0];
    const fields = await listExportFields(credentials, opts.site, {
      clock: sim ? new ScaledSleepClock(systemClock, SIMULATOR_SLEEP_SCALE) : systemClock,
      logger: silentLogger,
    });
    if (sim)
      process.stderr.write(
        '(from the bundled simulator, whose one site is 5193: set CLICKWRAP_API_TOKEN to ask your account)\n',
      );
    for (const f of fields) process.stdout.write(`${JSON.stringify(f)}\n`);
    return 0;
  } finally {
    await sim?.stop();
  }
}

async function marketoFieldsCommand(def: ExportDefinition, simulator: boolean): Promise<number> {
  const env = simulator ? undefined : credentialsFromEnv('marketo');
  const sim = env ? undefined : await startSimulatorFor('marketo', {});
  try {
    const credentials = env ?? sim!.credentials;
    const fields = await marketoFieldsOf(def, credentials, {
      clock: sim ? new ScaledSleepClock(systemClock, SIMULATOR_SLEEP_SCALE) : systemClock,
      logger: silentLogger,
    });
    if (sim)
      process.stderr.write(
        '(from the bundled simulator: set MARKETO_BASE_URL, MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET to ask your instance)\n',
      );
    process.stdout.write(renderMarketoFields(def.dataset, fields));
    return 0;
  } finally {
    await sim?.stop();
  }
}

async function salesforceFieldsCommand(def: ExportDefinition, simulator: boolean): Promise<number> {
  const object = (def.request as { object?: unknown } | undefined)?.object;
  if (typeof object !== 'string' || object === '')
    throw new UsageError(`export "${def.name}" names no request.object (the sObject, e.g. Account)`);
  const env = simulator ? undefined : credentialsFromEnv('salesforce');
  const sim = env ? undefined : await startSimulatorFor('salesforce', {});
  try {
    const credentials = (env ?? sim!.credentials) as SalesforceCredentials;
    const fields = await listSalesforceFields(credentials, object, {
      clock: sim ? new ScaledSleepClock(systemClock, SIMULATOR_SLEEP_SCALE) : systemClock,
      logger: silentLogger,
    });
    if (sim)
      process.stderr.write(
        '(from the bundled simulator: set SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET to ask your org)\n',
      );
    process.stdout.write(renderSalesforceFields(fields));
    return 0;
  } finally {
    await sim?.stop();
  }
}
