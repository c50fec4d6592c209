// What makes up a landed window in the bucket (its manifest, raw files, curated objects), and how a
// window that another supersedes is taken down whole.
import { z } from 'zod';
import type { ExportWindow } from '../providers/types';
import type { ObjectStore } from '../transfer/object-store';
import { curatedWindowPrefix, manifestKey, rawWindowPrefix, windowOfStem } from './keys';

/** Windows with a manifest under `prefix` that overlap `window` (other than `window` itself). */
export async function supersededWindows(store: ObjectStore, prefix: string, window: ExportWindow, ownKey: string): Promise<ExportWindow[]> {
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
export async function removeWindow(store: ObjectStore, exportName: string, window: ExportWindow): Promise<number> {
  let removed = 0;
  for (const prefix of [curatedWindowPrefix(exportName, window), rawWindowPrefix(exportName, window)]) {
    for (const key of await store.listKeys(prefix)) {
      await store.deleteObject(key);
      removed += 1;
    }
  }
  // Last: while the manifest stands, a half-removed window is still recognised as one to clean up.
  await store.deleteObject(manifestKey(exportName, window));
  return removed;
}

const ManifestObjectsSchema = z.object({
  files: z.array(z.object({ key: z.string(), bytes: z.number(), curated: z.array(z.object({ key: z.string(), bytes: z.number() })).default([]) })),
});

/** The objects a manifest lists (raw and curated) with their sizes, or undefined when there is no readable manifest. */
export async function manifestObjects(store: ObjectStore, key: string): Promise<Map<string, number> | undefined> {
  const got = await store.getObject(key);
  if (!got) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(got.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = ManifestObjectsSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return new Map(parsed.data.files.flatMap((f) => [[f.key, f.bytes] as const, ...f.curated.map((p) => [p.key, p.bytes] as const)]));
}
