// RefreshReferences: the reference tables of the export's instance (Marketo's activity types and asset
// listings) are fetched once per run and replaced under curated/<table>/<instance>.parquet, each with
// its manifest, so a query can JOIN names to ids. Keyed by the data's source (the API host, or
// `simulator`): every export of one instance writes the same object, and a simulator's rows never
// replace a real instance's. Best effort on purpose: a stale reference table is better than a run
// that lands no data because of it (the failure is logged and metered); only a spent daily quota is
// deferred like any other call's.
import { writeParquetRows } from '#curated/write-rows';
import { enabledReferenceTables } from '#providers/descriptors';
import { QuotaExceededError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { referenceManifestKey, referenceTableKey } from '#window/keys';
import { putReferenceManifest } from '#window/reference-manifest';
import { dataSourceOf } from '../data-source';
import { recordReferenceRefresh } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { RefreshReferencesInputSchema, type ReferenceRefresh } from '../state';

export async function refreshReferences(event: unknown, rt: WorkflowRuntime): Promise<ReferenceRefresh> {
  const { plan } = parseOrThrow(RefreshReferencesInputSchema, event, 'event');
  const def = rt.exports.definition(plan.export);
  const tables = enabledReferenceTables(def);
  const outcome: ReferenceRefresh = { refreshed: [], failed: [] };
  if (tables.length === 0 || plan.windows.length === 0) return outcome;
  const provider = await rt.provider(def);
  const source = plan.source ?? dataSourceOf(rt, provider);
  for (const table of tables) {
    try {
      if (!provider.fetchReferenceTable) throw new Error(`${def.provider} does not serve reference tables`);
      const rows = await provider.fetchReferenceTable(table.name);
      const written = await writeParquetRows(rt.store, referenceTableKey(table.name, source), table.columns, rows);
      const uri = rt.uri(written.key);
      await putReferenceManifest(rt.store, referenceManifestKey(table.name, source), {
        manifestVersion: 2,
        kind: 'reference-table',
        table: table.name,
        provider: def.provider,
        source,
        export: def.name,
        key: written.key,
        uri,
        bytes: written.bytes,
        sha256: written.sha256,
        rows: written.rows,
        refreshedAt: rt.clock.now().toISOString(),
      });
      outcome.refreshed.push({ table: table.name, key: written.key, uri, rows: written.rows });
      recordReferenceRefresh(rt, def, table.name, written.rows);
      rt.events({ export: def.name, step: 'RefreshReferences', message: `${table.name}: ${written.rows} rows` });
    } catch (err) {
      // A spent daily call quota is no failed refresh: the step waits for the reset (the windows could
      // not call Marketo before it either).
      if (err instanceof QuotaExceededError) throw err;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      outcome.failed.push({ table: table.name, error: message });
      recordReferenceRefresh(rt, def, table.name, 'failed');
      rt.logger.warn('reference table not refreshed; the previous copy stays', { table: table.name, error: message });
    }
  }
  return outcome;
}
