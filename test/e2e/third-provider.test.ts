// A provider the code base has never heard of, registered only through the provider list, the
// descriptor registry and the factory registry (the modules are swapped for versions with one more
// entry), runs a whole export: the synthesized state machine on the local engine with the real
// handlers, into moto S3. Nothing else names the provider, so this is what "adding a provider is its
// descriptor, its adapter and a registry entry each" means in practice.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { ExportSucceededDetail } from '../../lambdas/workflow/events';
import { memoryLogger } from '../support/memory-logger';
import { parsePipelineConfig } from '../../lib/config';
import { runExport } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { compareCuratedWithRaw } from '../support/curated-check';
import { csvBytes, FakeProvider } from '../support/fake-provider';
import { describeWithMoto, freshBucket, useMotoEnv } from '../support/moto';
import { bucketState, objectText, sha256OfObject } from '../support/scenario';
import { FAKE_PROVIDER_NAME } from '../support/third-provider';
import type { ProviderName } from '../../lambdas/shared/provider-names';
import type * as ProviderNamesModule from '../../lambdas/shared/provider-names';
import type * as DescriptorRegistryModule from '../../lambdas/providers/descriptor-registry';
import type * as RegistryModule from '../../lambdas/providers/registry';

const remote = vi.hoisted(() => ({ provider: undefined as unknown }));

vi.mock('../../lambdas/shared/provider-names', async (importOriginal) => {
  const original = await importOriginal<typeof ProviderNamesModule>();
  return { ...original, PROVIDER_NAMES: [...original.PROVIDER_NAMES, 'fake'] };
});
vi.mock('../../lambdas/providers/descriptor-registry', async (importOriginal) => {
  const original = await importOriginal<typeof DescriptorRegistryModule>();
  const { FAKE_DESCRIPTOR } = await import('../support/third-provider');
  return { ...original, PROVIDER_DESCRIPTORS: { ...original.PROVIDER_DESCRIPTORS, fake: FAKE_DESCRIPTOR } };
});
vi.mock('../../lambdas/providers/registry', async (importOriginal) => {
  const original = await importOriginal<typeof RegistryModule>();
  const { fakeFactoryOf } = await import('../support/third-provider');
  const factories = { ...original.PROVIDER_FACTORIES, fake: fakeFactoryOf(() => remote.provider as FakeProvider) };
  return {
    ...original,
    PROVIDER_FACTORIES: factories,
    createProvider: (def: { provider: keyof typeof factories }, credentials: unknown, ctx: never) =>
      factories[def.provider](def as never, credentials, ctx),
  };
});

// One quoted line break, one empty (null) note: the same hazards the real providers' files carry.
const FILE = csvBytes(
  ['id', 'at', 'note'],
  [
    ['1', '2026-11-01T00:10:00Z', '"two\nlines"'],
    ['2', '2026-11-01T05:00:00Z', ''],
    ['3', '2026-11-01T23:59:59Z', 'plain'],
  ],
);
remote.provider = new FakeProvider({
  name: FAKE_PROVIDER_NAME as ProviderName,
  limits: { minPollSeconds: 1, maxConcurrentJobs: 1, cancelsJobs: true },
  script: [{ state: 'queued' }, { state: 'succeeded', files: [{ bytes: FILE }], records: 3 }],
  now: () => new Date(),
});

const config = parsePipelineConfig(
  {
    exports: [
      {
        name: 'fake-events',
        provider: 'fake',
        dataset: 'events',
        secretName: 'fake/token',
        window: { grain: 'day', firstStart: '2026-10-01' },
      },
    ],
  },
  'test config',
);

describeWithMoto('a third, test-only provider registered through the registries', () => {
  beforeAll(() => {
    useMotoEnv();
    // Credentials from the environment, read by the fake's descriptor: no simulator exists for it.
    vi.stubEnv('FAKE_TOKEN', 'test-token');
  });
  afterAll(() => vi.unstubAllEnvs());

  it('runs a whole export: raw file verified, typed Parquet equal to the strict parse, manifest and event naming it', async () => {
    const bucket = await freshBucket();
    const result = await runExport({
      config,
      exportName: 'fake-events',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      store: { kind: 's3', bucket },
      logger: memoryLogger(),
      source: 'auto',
      workflow: synthesizeLocalWorkflow(config),
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.source).toBe('api');

    const rawKey = 'raw/fake-events/dt=2026-11-01/20261101T000000Z_20261102T000000Z.csv';
    const state = await bucketState(bucket);
    expect(state.rawKeys).toEqual([rawKey]);
    expect(state.pendingUploads).toBe(0);
    expect((await sha256OfObject(bucket, rawKey)).bytes).toBe(FILE.length);

    const def = config.exports[0]!;
    const curated = await compareCuratedWithRaw(bucket, def, rawKey);
    expect(curated.parquetRows).toHaveLength(3);
    expect(curated.parquetRows).toEqual(curated.rawRows);

    const manifest = JSON.parse(await objectText(bucket, state.manifests[0]!)) as unknown;
    expect(manifest).toMatchObject({ provider: 'fake', records: { counted: 3, curated: 3, provider: 3 } });
    const succeeded = result.succeeded as ExportSucceededDetail;
    expect(succeeded).toMatchObject({ provider: 'fake', export: 'fake-events' });
    // The remote provider saw one job, created once and enqueued once.
    expect((remote.provider as FakeProvider).count('create')).toBe(1);
  });
});
