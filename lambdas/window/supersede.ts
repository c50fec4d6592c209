// A landing window supersedes what else claims its records: objects of its own earlier runs that its
// manifest does not list (a re-run can yield fewer files or splits: Clickwrap links vary), and every
// landed window of the export it overlaps (a change of grain). Either would be read by Athena as
// duplicates beside it. Runs before the window's manifest is written.
import type { ExportWindow } from '#providers/types';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from '#transfer/object-store';
import { manifestsPrefix } from './bucket-layout';
import { manifestKey, windowOfStem, windowPrefixes } from './keys';

/** Removes the objects of `window` that `keep` does not list; returns their keys. */
export async function removeUnlistedObjects(
  store: ObjectStore,
  logger: Logger,
  exportName: string,
  window: ExportWindow,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const removed: string[] = [];
  for (const prefix of windowPrefixes(exportName, window)) {
    for (const stale of (await store.listKeys(prefix)).filter((k) => !keep.has(k))) {
      await store.deleteObject(stale);
      removed.push(stale);
      logger.warn('removed an object of an earlier run of this window that the new manifest does not list', {
        key: stale,
      });
    }
  }
  return removed;
}

/** Takes down every landed window of the export that overlaps `window` (other than `window` itself). */
export async function removeOverlappingWindows(
  store: ObjectStore,
  logger: Logger,
  exportName: string,
  window: ExportWindow,
): Promise<ExportWindow[]> {
  const superseded = await overlappingWindows(store, exportName, window);
  for (const other of superseded) {
    const removed = await removeWindow(store, exportName, other);
    logger.warn('removed an overlapping window of another grain: this window supersedes it', {
      superseded: other,
      removedObjects: removed,
    });
  }
  return superseded;
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

/** Removes a window's curated objects, raw files and (last) manifest; returns how many objects went. */
async function removeWindow(store: ObjectStore, exportName: string, window: ExportWindow): Promise<number> {
  let removed = 0;
  // What readers see goes first: the curated objects and their rejects, then the raw files.
  for (const prefix of windowPrefixes(exportName, window).reverse()) {
    for (const key of await store.listKeys(prefix)) {
      await store.deleteObject(key);
      removed += 1;
    }
  }
  // Last: while the manifest stands, a half-removed window is still recognised as one to clean up.
  await store.deleteObject(manifestKey(exportName, window));
  return removed;
}
