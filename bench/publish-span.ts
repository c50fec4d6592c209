// `npm run bench:publish`: how long a reader could see part of a window — the publish's copy span, from
// its first copy under curated/ to its last removal — for a 4-split window, on moto_server (S3) and in
// the local store. Splits of 7 MiB: the Parquet of a 128 MiB CSV split (~5.5 %). A re-run's publish
// also removes what it supersedes: measured with 4 stale objects of an earlier run beside it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { systemClock } from '../lambdas/shared/clock';
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../lambdas/transfer/object-store';
import { S3ObjectStore } from '../lambdas/transfer/s3-object-store';
import { applyPublishIntent } from '../lambdas/window/apply-publish';
import { curatedSplitKey, stagedKey } from '../lambdas/window/keys';
import type { Manifest } from '../lambdas/window/manifest';
import { PUBLISH_INTENT_VERSION, type PublishIntent } from '../lambdas/window/publish-intent';
import { LocalDirObjectStore } from '../local/store/local-dir-object-store';
import { startMotoServer } from '../local/moto-server';
import { timedS3Client } from './bench-s3-client';

const SPLITS = 4;
const SPLIT_BYTES = 7 * 1024 * 1024;
const ROUNDS = 5;
const EXPORT = 'bench-activities';
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as never;

async function oneRound(store: ObjectStore, stale: boolean): Promise<number> {
  const parts = await Promise.all(
    Array.from({ length: SPLITS }, async (_, i) => {
      const body = randomBytes(SPLIT_BYTES);
      const key = curatedSplitKey(EXPORT, WINDOW, { index: 1 }, 1, i);
      await store.putObject(stagedKey(key), body, 'application/vnd.apache.parquet');
      return { key, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }),
  );
  const remove: string[] = [];
  if (stale) {
    for (let i = SPLITS; i < 2 * SPLITS; i++) {
      const key = curatedSplitKey(EXPORT, WINDOW, { index: 1 }, 1, i);
      await store.putObject(key, randomBytes(1024), 'application/vnd.apache.parquet');
      remove.push(key);
    }
  }
  const manifest = {
    manifestVersion: 2,
    export: EXPORT,
    provider: 'marketo',
    dataset: 'activities',
    window: WINDOW,
    job: { id: 'bench', createdAt: null, providerStatus: 'Completed', polls: 1 },
    files: [],
    records: { counted: 0, provider: 0, curated: 0 },
    bytes: 0,
    timings: { runStartedAt: WINDOW.end, finishedAt: WINDOW.end },
  } satisfies Manifest;
  const intent: PublishIntent = {
    intentVersion: PUBLISH_INTENT_VERSION,
    export: EXPORT,
    window: WINDOW,
    writtenAt: new Date().toISOString(),
    copies: parts.map((p) => ({ from: stagedKey(p.key), to: p.key, bytes: p.bytes, sha256: p.sha256 })),
    remove,
    manifest,
  };
  const published = await applyPublishIntent({ store, logger: quiet, clock: systemClock }, intent);
  return published.partialMs;
}

async function measure(name: string, store: ObjectStore): Promise<void> {
  for (const stale of [false, true]) {
    const spans: number[] = [];
    for (let round = 0; round < ROUNDS; round++) spans.push(await oneRound(store, stale));
    spans.sort((a, b) => a - b);
    console.log(
      `${name}, ${SPLITS} × ${SPLIT_BYTES / 1024 / 1024} MiB${stale ? ', replacing 4 stale objects' : ''}: copy span median ${spans[Math.floor(ROUNDS / 2)]} ms, max ${spans.at(-1)} ms (${ROUNDS} rounds)`,
    );
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'publish-bench-'));
try {
  await measure('local store', new LocalDirObjectStore({ root: dir }));
  const moto = await startMotoServer();
  try {
    const { client } = timedS3Client(moto.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'publish-bench' }));
    await measure('moto_server (S3)', new S3ObjectStore({ bucket: 'publish-bench', client }));
  } finally {
    moto.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
