// A window's manifest: the one object whose presence says "this window landed completely", listing
// every raw file and Parquet object of the window with its size, checksum and counts. One versioned
// schema serves the writer (WriteManifest) and every reader (the undo, Cleanup's report), so what is
// read back is exactly what was written. A manifest of a version this code does not know is refused by
// name rather than half-read: a newer writer's window is never mistaken for an incomplete one.
import { z } from 'zod';
import { redactDeep } from '#shared/redact';
import type { ObjectStore } from '#transfer/object-store';
import { RejectsObjectSchema } from './rejects-ref';
import { JobRefSchema, WindowSchema } from './window-ref';

/** The version this code writes; the reader knows exactly this one. */
export const MANIFEST_VERSION = 2;

const CuratedObjectSchema = z.object({
  key: z.string(),
  uri: z.string(),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  rows: z.number().int().min(0),
  /** The values of this object written as NULL (`badValues: "null"`), listed in the rejects table. Optional: version 2 still. */
  rejects: RejectsObjectSchema.optional(),
});

const ManifestFileSchema = z.object({
  key: z.string(),
  uri: z.string(),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  records: z.number().int().min(0),
  /** The raw file's header, as the provider sent it. */
  columns: z.array(z.string()),
  /** What was compared with the provider's own figures (false: it gave nothing to compare). */
  verified: z.object({ bytes: z.boolean(), sha256: z.boolean(), records: z.boolean() }),
  curated: z.array(CuratedObjectSchema),
});

export const ManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  export: z.string(),
  provider: z.string(),
  dataset: z.string(),
  /** Where the data came from: `simulator` or the provider API's host. */
  source: z.string().min(1).optional(),
  window: WindowSchema,
  job: z.object({
    id: JobRefSchema.shape.id,
    createdAt: z.string().nullable(),
    providerStatus: z.string(),
    polls: z.number().int().min(0),
  }),
  files: z.array(ManifestFileSchema),
  records: z.object({
    counted: z.number().int().min(0),
    provider: z.number().int().min(0).nullable(),
    curated: z.number().int().min(0),
  }),
  bytes: z.number().int().min(0),
  /** Values written as NULL across the window (`badValues: "null"`); absent when none. */
  rejectedValues: z.number().int().min(1).optional(),
  timings: z.object({ runStartedAt: z.string(), finishedAt: z.string() }),
});
export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** schemas/window-manifest.schema.json (JSON Schema draft 2020-12), generated: do not edit the file. */
export function renderManifestSchema(): string {
  const schema = z.toJSONSchema(ManifestSchema, { target: 'draft-2020-12', io: 'output' });
  const titled = {
    ...schema,
    title: 'Bulk export window manifest',
    description:
      'manifests/<export>/<window-start>_<window-end>.json: written once a window landed completely (every raw file verified, every Parquet object written and counted); lists every object of the window. Generated from lambdas/window/manifest.ts by config/write-schema.ts: do not edit.',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

export class UnknownManifestVersionError extends Error {
  override readonly name = 'UnknownManifestVersionError';
}

/** A manifest's JSON, checked against the one schema; a version other than ours is refused by name. */
export function parseManifest(json: unknown): Manifest {
  const version = z.looseObject({ manifestVersion: z.unknown() }).safeParse(json);
  const found = version.success ? version.data.manifestVersion : undefined;
  if (found !== MANIFEST_VERSION) {
    throw new UnknownManifestVersionError(
      `manifest version ${JSON.stringify(found) ?? 'missing'} is not the version ${MANIFEST_VERSION} this code reads`,
    );
  }
  return ManifestSchema.parse(json);
}

/** The JSON text of a manifest, checked before it is written, redacted like every output. */
export function manifestText(manifest: Manifest): string {
  // Column names and counts come from the provider's bytes: the manifest leaves redacted like any output.
  return JSON.stringify(redactDeep(ManifestSchema.parse(manifest)), null, 2);
}

export async function putManifest(store: ObjectStore, key: string, manifest: Manifest): Promise<void> {
  await store.putObject(key, manifestText(manifest), 'application/json');
}

/**
 * The manifest at `key`; undefined when there is none or it cannot be read as one (not JSON, not the
 * shape of its version): such a window counts as not landed. A manifest of an unknown version throws.
 */
export async function readManifest(store: ObjectStore, key: string): Promise<Manifest | undefined> {
  const got = await store.getObject(key);
  if (!got) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(got.body.toString('utf8'));
  } catch {
    return undefined;
  }
  try {
    return parseManifest(json);
  } catch (err) {
    if (err instanceof UnknownManifestVersionError) throw err;
    return undefined;
  }
}

/** Every object a manifest lists (raw files, their Parquet objects and those objects' rejects) with its size. */
export function listedObjects(manifest: Manifest): Map<string, number> {
  return new Map(
    manifest.files.flatMap((f) => [
      [f.key, f.bytes] as const,
      ...f.curated.flatMap((p) => [
        [p.key, p.bytes] as const,
        ...(p.rejects ? [[p.rejects.key, p.rejects.bytes] as const] : []),
      ]),
    ]),
  );
}
