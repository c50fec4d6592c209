// A third provider, test-only, registered through the descriptor path: the compiler accepts it only
// in registries that have an entry for it. The `@ts-expect-error` lines are the proof: `tsc` (part of
// `npm test`) fails if a registry lacking the provider stops being an error.
import { describe, expect, it } from 'vitest';
import { PROVIDER_DESCRIPTORS, type DescriptorRegistry } from '../../../lambdas/providers/descriptors';
import { PROVIDER_FACTORIES, type FactoryRegistry } from '../../../lambdas/providers/registry';
import { FakeProvider } from '../../support/fake-provider';
import { FAKE_DESCRIPTOR, fakeFactoryOf } from '../../support/third-provider';
import { PROVIDER_NAMES, type ProviderName } from '../../../lambdas/shared/provider-names';
import { SIMULATOR_STARTERS, type SimulatorRegistry } from '../../../local/simulators/start-simulator';

type WithFake = ProviderName | 'fake';

const fakeFactory = fakeFactoryOf(() => new FakeProvider({ name: 'fake' as ProviderName }));

describe('provider registries', () => {
  it('take a new provider when every registry has it, and refuse it where one is missing', () => {
    const descriptors = { ...PROVIDER_DESCRIPTORS, fake: FAKE_DESCRIPTOR } satisfies DescriptorRegistry<WithFake>;
    const factories = { ...PROVIDER_FACTORIES, fake: fakeFactory } satisfies FactoryRegistry<WithFake>;
    const simulators = { ...SIMULATOR_STARTERS, fake: async () => ({}) } satisfies SimulatorRegistry<WithFake>;

    // @ts-expect-error the descriptor registry lacks the new provider
    const noDescriptor = { ...PROVIDER_DESCRIPTORS } satisfies DescriptorRegistry<WithFake>;
    // @ts-expect-error the factory registry lacks the new provider
    const noFactory = { ...PROVIDER_FACTORIES } satisfies FactoryRegistry<WithFake>;
    // @ts-expect-error the simulator registry lacks the new provider
    const noSimulator = { ...SIMULATOR_STARTERS } satisfies SimulatorRegistry<WithFake>;
    const misnamed = {
      ...PROVIDER_DESCRIPTORS,
      // @ts-expect-error a descriptor registered under another provider's key
      fake: PROVIDER_DESCRIPTORS.marketo,
    } satisfies DescriptorRegistry<WithFake>;

    expect(Object.keys(descriptors).sort()).toEqual([...PROVIDER_NAMES, 'fake'].sort());
    expect(Object.keys(factories).sort()).toEqual(Object.keys(simulators).sort());
    expect(
      [noDescriptor, noFactory, noSimulator, misnamed].every(
        (r) => !('fake' in r) || r.fake === PROVIDER_DESCRIPTORS.marketo,
      ),
    ).toBe(true);
  });

  it('have exactly the providers of the one list', () => {
    for (const registry of [PROVIDER_DESCRIPTORS, PROVIDER_FACTORIES, SIMULATOR_STARTERS]) {
      expect(Object.keys(registry).sort()).toEqual([...PROVIDER_NAMES].sort());
    }
    for (const name of PROVIDER_NAMES) expect(PROVIDER_DESCRIPTORS[name].name).toBe(name);
  });
});
