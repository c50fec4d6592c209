// Before a window is published: every raw file it lists must still be there at its verified size, and
// every staged Parquet object at its size and SHA-256 as ConvertSplit wrote it; then the intent is
// written (what to copy where, what the window supersedes, the manifest). A retried publish step finds
// its own earlier intent and carries on with it rather than checking staged objects it may have moved.
import { createHash } from 'node:crypto';
import { ChecksumMismatchError, SizeMismatchError } from '#shared/errors';
import type { ObjectStore } from '#transfer/object-store';
import { stagedKey } from './keys';
import type { Manifest } from './manifest';
import {
  PUBLISH_INTENT_VERSION,
  PublishIntentBrokenError,
  readPublishIntent,
  samePublish,
  writePublishIntent,
  type PublishCopy,
  type PublishIntent,
} from './publish-intent';
import { overlappingWindowObjects, unlistedObjects } from './supersede';
import type { WindowDeps } from './window-deps';

/** The intent to publish `manifest`'s window: an earlier attempt's, or a new one over verified objects. */
export async function preparePublish(deps: WindowDeps, manifest: Manifest): Promise<PublishIntent> {
  const { store } = deps;
  // Every object the window publishes: each split's Parquet and, under badValues "null", its rejects.
  const copies: PublishCopy[] = manifest.files.flatMap((f) =>
    f.curated.flatMap((p) =>
      [p, ...(p.rejects ? [p.rejects] : [])].map((o) => ({
        from: stagedKey(o.key),
        to: o.key,
        bytes: o.bytes,
        sha256: o.sha256,
      })),
    ),
  );
  const fresh = {
    intentVersion: PUBLISH_INTENT_VERSION,
    export: manifest.export,
    window: manifest.window,
    writtenAt: deps.clock.now().toISOString(),
    copies,
    remove: [] as string[],
    manifest,
  } satisfies PublishIntent;
  const earlier = await readPublishIntent(store, manifest.export, manifest.window).catch((err: unknown) => {
    if (err instanceof PublishIntentBrokenError) return undefined;
    throw err;
  });
  if (earlier && samePublish(earlier, fresh)) return earlier;

  // The objects must still be there as the steps left them: a concurrent failed run of the same window
  // may have removed them, and a manifest must never list what is not there.
  for (const f of manifest.files) {
    const head = await store.headObject(f.key);
    if (head?.size !== f.bytes) throw gone(f.key, head?.size, f.bytes);
  }
  for (const copy of copies) await verifyStaged(store, copy);

  const keep = new Set([...manifest.files.map((f) => f.key), ...copies.flatMap((c) => [c.from, c.to])]);
  const unlisted = await unlistedObjects(store, manifest.export, manifest.window, keep);
  const overlapping = await overlappingWindowObjects(store, manifest.export, manifest.window);
  if (overlapping.windows.length > 0)
    deps.logger.warn('this window supersedes overlapping windows of another grain', {
      export: manifest.export,
      superseded: overlapping.windows,
    });
  const intent: PublishIntent = { ...fresh, remove: [...unlisted, ...overlapping.keys] };
  await writePublishIntent(store, intent);
  return intent;
}

async function verifyStaged(store: ObjectStore, copy: PublishCopy): Promise<void> {
  const head = await store.headObject(copy.from);
  if (head?.size !== copy.bytes) throw gone(copy.from, head?.size, copy.bytes);
  const hash = createHash('sha256');
  for await (const chunk of await store.openRead(copy.from)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  if (sha256 !== copy.sha256)
    throw new ChecksumMismatchError(`${copy.from}: SHA-256 ${sha256}, not the ${copy.sha256} written`);
}

function gone(key: string, size: number | undefined, expected: number): SizeMismatchError {
  return new SizeMismatchError(
    `${key} is ${size === undefined ? 'gone' : `${size} bytes`}, not the ${expected} bytes verified: another run changed the window`,
  );
}
