// Publishing a window from its intent (publish-intent.ts): copy each verified staged object to its final
// key under curated/, remove what the window supersedes, write the manifest, then delete the staged
// objects, the job record and the intent. Every action is idempotent and the intent goes last, so a
// replay after a crash at any point finishes the same publish. Readers see part of the window only
// between the first copy and the last removal: that span is measured and reported.
import type { ExportWindow } from '#providers/types';
import type { ObjectStore } from '#transfer/object-store';
import { BUCKET_PREFIXES } from './bucket-layout';
import { deleteJobRecord } from './job-record';
import { manifestKey, stagedWindowPrefixes, windowPrefixes } from './keys';
import { putManifest } from './manifest';
import { deletePublishIntent, PublishIntentBrokenError, type PublishCopy, type PublishIntent } from './publish-intent';
import type { WindowDeps } from './window-deps';

/** Copies and removals in flight at once: the publish span shrinks with it; S3 takes far more. */
const IN_FLIGHT = 8;

export interface PublishOutcome {
  readonly copied: number;
  readonly removed: number;
  /** From the first copy to the last removal: the longest a reader could see part of the window. */
  readonly partialMs: number;
}

export async function applyPublishIntent(deps: WindowDeps, intent: PublishIntent): Promise<PublishOutcome> {
  const { store } = deps;
  const started = performance.now();
  await eachInFlight(intent.copies, (copy) => copyOnce(store, copy));
  // A superseded window's manifest goes after its objects: while it stands the window is still known.
  const manifests = intent.remove.filter((k) => k.startsWith(BUCKET_PREFIXES.manifests));
  await eachInFlight(
    intent.remove.filter((k) => !k.startsWith(BUCKET_PREFIXES.manifests)),
    (key) => store.deleteObject(key),
  );
  for (const key of manifests) await store.deleteObject(key);
  const partialMs = Math.round(performance.now() - started);
  for (const key of intent.remove) {
    deps.logger.warn('removed an object this window supersedes (an earlier run of it, or an overlapping window)', {
      key,
    });
  }
  await putManifest(store, manifestKey(intent.export, intent.window), intent.manifest);
  await eachInFlight(intent.copies, (copy) => store.deleteObject(copy.from));
  // The window is done: its job needs neither resuming nor cancelling any more.
  await deleteJobRecord(store, intent.export, intent.window);
  await deletePublishIntent(store, intent.export, intent.window);
  return { copied: intent.copies.length, removed: intent.remove.length, partialMs };
}

/**
 * A publish that cannot be finished (its staged objects are gone and not copied): the window comes down
 * whole (curated, staged, raw, manifest) with its intent, as any window that did not land. The job
 * record is left to the caller (the undo settles the job). Returns how many objects went.
 */
export async function abandonPublish(deps: WindowDeps, exportName: string, window: ExportWindow): Promise<number> {
  const { store } = deps;
  // What readers see first (Parquet and rejects), then the staged objects, then the raw files.
  const prefixes = [...windowPrefixes(exportName, window).reverse(), ...stagedWindowPrefixes(exportName, window)];
  const keys = (await Promise.all(prefixes.map((prefix) => store.listKeys(prefix)))).flat();
  await eachInFlight(keys, (key) => store.deleteObject(key));
  await store.deleteObject(manifestKey(exportName, window));
  await deletePublishIntent(store, exportName, window);
  deps.logger.error('a publish could not be finished: the window was removed whole', {
    export: exportName,
    window,
    removedObjects: keys.length,
  });
  return keys.length;
}

/**
 * While the staged object exists it is the truth: copy it (a key an earlier run left is overwritten).
 * Staged objects are deleted only after every copy and the manifest, so one that is gone means its copy
 * was made: the final object must then be there at the size verified.
 */
async function copyOnce(store: ObjectStore, copy: PublishCopy): Promise<void> {
  const staged = await store.headObject(copy.from);
  if (staged) {
    if (staged.size !== copy.bytes)
      throw new PublishIntentBrokenError(`${copy.from} is ${staged.size} bytes, not the ${copy.bytes} verified`);
    await store.copyObject(copy.from, copy.to);
    return;
  }
  const published = await store.headObject(copy.to);
  if (published?.size !== copy.bytes)
    throw new PublishIntentBrokenError(`${copy.from} is gone and ${copy.to} is not its ${copy.bytes}-byte copy`);
}

async function eachInFlight<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
}
