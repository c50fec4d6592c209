// A window's publish, written down before any of it happens (`state/<export>/publish/<window>.json`):
// which verified staged object is copied to which final key, which keys it supersedes, and the manifest
// that ends it. Whoever finds it (the publish step retried, CleanupWindow, the stopped-executions
// function, the next run's ReclaimDeadRuns) replays it to the end (apply-publish.ts), so a publish that
// began always finishes: readers never keep a mix of old and new objects.
import { z } from 'zod';
import type { ExportWindow } from '#providers/types';
import type { ObjectStore } from '#transfer/object-store';
import { publishIntentKey, publishIntentsPrefix } from './keys';
import { ManifestSchema, manifestText } from './manifest';
import { WindowSchema } from './window-ref';

export const PUBLISH_INTENT_VERSION = 1;

const CopySchema = z.object({
  /** The staged object, verified (size and SHA-256) before the intent was written. */
  from: z.string().min(1),
  to: z.string().min(1),
  bytes: z.number().int().min(0),
  sha256: z.string(),
});
export type PublishCopy = z.infer<typeof CopySchema>;

export const PublishIntentSchema = z.object({
  intentVersion: z.literal(PUBLISH_INTENT_VERSION),
  export: z.string(),
  window: WindowSchema,
  writtenAt: z.string(),
  copies: z.array(CopySchema),
  /** Keys the window supersedes, removed in this order after the copies (a superseded manifest last of its window). */
  remove: z.array(z.string()),
  /** Written once the copies and removals are done; its key follows from export and window. */
  manifest: ManifestSchema,
});
export type PublishIntent = z.infer<typeof PublishIntentSchema>;

/** A replay found the staged objects neither there nor already copied: the publish cannot be finished. */
export class PublishIntentBrokenError extends Error {
  override readonly name = 'PublishIntentBrokenError';
}

export async function writePublishIntent(store: ObjectStore, intent: PublishIntent): Promise<void> {
  const checked = PublishIntentSchema.parse(intent);
  // The manifest inside is redacted like the manifest itself: the same text goes to manifests/ later.
  const text = JSON.stringify({ ...checked, manifest: JSON.parse(manifestText(checked.manifest)) as unknown });
  await store.putObject(publishIntentKey(checked.export, checked.window), text, 'application/json');
}

/** The intent of a window; undefined when there is none. One that cannot be read is broken. */
export async function readPublishIntent(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
): Promise<PublishIntent | undefined> {
  return readIntentAt(store, publishIntentKey(exportName, window));
}

/** Every publish intent of an export (publishes that began and did not finish), and the keys of unreadable ones. */
export async function listPublishIntents(
  store: ObjectStore,
  exportName: string,
): Promise<{ intents: PublishIntent[]; unreadable: string[] }> {
  const intents: PublishIntent[] = [];
  const unreadable: string[] = [];
  for (const key of await store.listKeys(publishIntentsPrefix(exportName))) {
    try {
      const intent = await readIntentAt(store, key);
      if (intent) intents.push(intent);
    } catch (err) {
      if (!(err instanceof PublishIntentBrokenError)) throw err;
      unreadable.push(key);
    }
  }
  return { intents, unreadable };
}

export async function deletePublishIntent(store: ObjectStore, exportName: string, window: ExportWindow): Promise<void> {
  await store.deleteObject(publishIntentKey(exportName, window));
}

async function readIntentAt(store: ObjectStore, key: string): Promise<PublishIntent | undefined> {
  const got = await store.getObject(key);
  if (!got) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(got.body.toString('utf8'));
  } catch (err) {
    throw new PublishIntentBrokenError(`${key} is not JSON`, { cause: err });
  }
  const parsed = PublishIntentSchema.safeParse(json);
  if (!parsed.success) throw new PublishIntentBrokenError(`${key} is not a publish intent this code reads`);
  return parsed.data;
}

/** Whether two intents publish the same objects (a retried publish step meets its own earlier intent). */
export function samePublish(a: PublishIntent, b: PublishIntent): boolean {
  const copies = (i: PublishIntent) => JSON.stringify([...i.copies].sort((x, y) => x.to.localeCompare(y.to)));
  return copies(a) === copies(b) && a.manifest.job.id === b.manifest.job.id;
}
