// A reference table's manifest: what one refresh of one instance's table wrote (rows, bytes, sha256,
// source), beside the windows' manifests under manifests/<table>/<instance>.json. A sibling of the
// window manifest (same version number, its own `kind`), so readers of window manifests never list it
// (they read manifests/<export>/ only, and export names cannot contain `_`) and it needs no window.
import { z } from 'zod';
import { redactDeep } from '#shared/redact';
import type { ObjectStore } from '#transfer/object-store';
import { MANIFEST_VERSION } from './manifest';

export const ReferenceManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  kind: z.literal('reference-table'),
  table: z.string().min(1),
  provider: z.string(),
  /** The instance the rows describe: `simulator` or the provider API's host. */
  source: z.string().min(1),
  /** The export whose run refreshed it. */
  export: z.string(),
  key: z.string(),
  uri: z.string(),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  rows: z.number().int().min(0),
  refreshedAt: z.string(),
});
export type ReferenceManifest = z.infer<typeof ReferenceManifestSchema>;

export async function putReferenceManifest(
  store: ObjectStore,
  key: string,
  manifest: ReferenceManifest,
): Promise<void> {
  const text = JSON.stringify(redactDeep(ReferenceManifestSchema.parse(manifest)), null, 2);
  await store.putObject(key, text, 'application/json');
}

/** The manifest at `key`, or undefined when there is none or it is not one. */
export async function readReferenceManifest(store: ObjectStore, key: string): Promise<ReferenceManifest | undefined> {
  const got = await store.getObject(key);
  if (!got) return undefined;
  try {
    const parsed = ReferenceManifestSchema.safeParse(JSON.parse(got.body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
