// A third provider that exists only in tests ("fake"), described like the real ones: a pure
// descriptor and an adapter factory. test/lambdas/providers/registries.test.ts proves the compiler
// wants it in every registry; test/e2e/third-provider.test.ts registers it and runs a whole export.
import type { ProviderDescriptor } from '../../lambdas/providers/descriptor';
import type { ProviderFactory } from '../../lambdas/providers/registry';
import { validateFakeRequest, type FakeProvider } from './fake-provider';

export const FAKE_PROVIDER_NAME = 'fake';

export const FAKE_DESCRIPTOR = {
  name: FAKE_PROVIDER_NAME,
  title: 'A test-only provider',
  limits: { maxWindowDays: 7, maxConcurrentJobs: 1, minPollSeconds: 1, fileRetentionDays: 1, cancelsJobs: true },
  datasets: {
    events: {
      name: 'events',
      description: 'Rows of a fake export: an id, an instant and a free text.',
      validate: validateFakeRequest,
      layout: () => ({
        columns: [
          { header: 'id', field: 'id', type: 'bigint' as const },
          { header: 'at', field: 'at', type: 'timestamp' as const },
          { header: 'note', field: 'note', type: 'string' as const },
        ],
        format: 'csv' as const,
        nullTokens: [''],
        columnsField: 'fields',
      }),
    },
  },
  credentials: {
    secretFields: ['token'],
    envVariables: ['FAKE_TOKEN'],
    fromEnv: (env: NodeJS.ProcessEnv) => (env.FAKE_TOKEN ? { token: env.FAKE_TOKEN } : undefined),
  },
} as const satisfies ProviderDescriptor<'events', typeof FAKE_PROVIDER_NAME>;

/** The factory of the registry entry: every step of a run talks to the same in-memory "remote" provider. */
export function fakeFactoryOf(provider: () => FakeProvider): ProviderFactory {
  return (def) => {
    if (def.provider !== (FAKE_PROVIDER_NAME as string))
      throw new Error(`the fake factory was asked for ${def.provider}`);
    return provider();
  };
}
