// RefreshReferences: the reference tables the export's dataset names (Marketo's activity types) are
// fetched once per run and replaced under curated/<table>/, so a query can JOIN names to ids. Best
// effort on purpose: a stale reference table is better than a run that lands no data because of it;
// only a spent daily quota is deferred like any other call's.
import { writeParquetRows } from '#curated/write-rows';
import { datasetDescriptor } from '#providers/descriptors';
import { QuotaExceededError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { referenceTableKey } from '#window/keys';
import type { WorkflowRuntime } from '../runtime';
import { RefreshReferencesInputSchema, type ReferenceRefresh } from '../state';

export async function refreshReferences(event: unknown, rt: WorkflowRuntime): Promise<ReferenceRefresh> {
  const { plan } = parseOrThrow(RefreshReferencesInputSchema, event, 'event');
  const def = rt.exports.definition(plan.export);
  const tables = datasetDescriptor(def).referenceTables ?? [];
  const outcome: ReferenceRefresh = { refreshed: [], failed: [] };
  if (tables.length === 0 || plan.windows.length === 0) return outcome;
  const provider = await rt.provider(def);
  for (const table of tables) {
    try {
      if (!provider.fetchReferenceTable) throw new Error(`${def.provider} does not serve reference tables`);
      const rows = await provider.fetchReferenceTable(table.name);
      // One object per connection: exports of one instance share its secret and write the same object.
      const written = await writeParquetRows(
        rt.store,
        referenceTableKey(table.name, def.secretName),
        table.columns,
        rows,
      );
      outcome.refreshed.push({ table: table.name, key: written.key, uri: rt.uri(written.key), rows: written.rows });
      rt.events({ export: def.name, step: 'RefreshReferences', message: `${table.name}: ${written.rows} rows` });
    } catch (err) {
      // A spent daily call quota is no failed refresh: the step waits for the reset (the windows could
      // not call Marketo before it either).
      if (err instanceof QuotaExceededError) throw err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      outcome.failed.push({ table: table.name, error: message });
      rt.logger.warn('reference table not refreshed; the previous copy stays', { table: table.name, error: message });
    }
  }
  return outcome;
}
