// A landing window supersedes what else claims its records: objects of its own earlier runs that its
// manifest does not list (a re-run can yield fewer files or splits: Clickwrap links vary), staged objects
// it does not publish, and every landed window of the export it overlaps (a change of grain). Either would
// be read by Athena as duplicates beside it. Only says what goes: the publish removes it (apply-publish.ts),
// in this order, so a replayed publish removes the same keys.
import type { ExportWindow } from '#providers/types';
import type { ObjectStore } from '#transfer/object-store';
import { manifestsPrefix } from './bucket-layout';
import { manifestKey, stagedWindowPrefixes, windowOfStem, windowPrefixes } from './keys';

/** The keys of `window` (raw, curated and staged) that `keep` does not list. */
export async function unlistedObjects(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const prefixes = [...windowPrefixes(exportName, window), ...stagedWindowPrefixes(exportName, window)];
  const keys = (await Promise.all(prefixes.map((prefix) => store.listKeys(prefix)))).flat();
  return keys.filter((k) => !keep.has(k));
}

/**
 * Every object of each landed window of the export that overlaps `window` (other than `window` itself):
 * its curated objects, raw files and, last of each window, its manifest, so a half-removed window is
 * still recognised as one to clean up while its manifest stands.
 */
export async function overlappingWindowObjects(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
): Promise<{ windows: ExportWindow[]; keys: string[] }> {
  const windows = await overlappingWindows(store, exportName, window);
  const keys: string[] = [];
  for (const other of windows) {
    // What readers see goes first (the Parquet objects and their rejects), then the raw files.
    for (const prefix of windowPrefixes(exportName, other).reverse()) {
      keys.push(...(await store.listKeys(prefix)));
    }
    keys.push(manifestKey(exportName, other));
  }
  return { windows, keys };
}

/** Windows with a manifest that overlap `window` (other than `window` itself). */
async function overlappingWindows(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
): Promise<ExportWindow[]> {
  const prefix = manifestsPrefix(exportName);
  const ownKey = manifestKey(exportName, window);
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const found: ExportWindow[] = [];
  for (const key of await store.listKeys(prefix)) {
    if (key === ownKey || !key.endsWith('.json')) continue;
    const other = windowOfStem(key.slice(prefix.length, -'.json'.length));
    if (other && Date.parse(other.start) < end && start < Date.parse(other.end)) found.push(other);
  }
  return found;
}
