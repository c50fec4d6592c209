// The registry of provider descriptors, keyed by the one provider list: a provider without a
// descriptor is a compile error here. Its own module so that everything reads it through
// descriptors.ts, and a test can register a third provider the same way (test/e2e/third-provider.test.ts).
import type { ProviderName } from '#shared/provider-names';
import { CLICKWRAP_DESCRIPTOR } from './clickwrap/descriptor';
import type { ProviderDescriptor } from './descriptor';
import { MARKETO_DESCRIPTOR } from './marketo/descriptor';
import { SALESFORCE_DESCRIPTOR } from './salesforce/descriptor';

/** A registry of descriptors for the providers `Names`: one entry each, named after its key. */
export type DescriptorRegistry<Names extends string> = { readonly [P in Names]: ProviderDescriptor<string, P> };

export const PROVIDER_DESCRIPTORS = {
  marketo: MARKETO_DESCRIPTOR,
  clickwrap: CLICKWRAP_DESCRIPTOR,
  salesforce: SALESFORCE_DESCRIPTOR,
} as const satisfies DescriptorRegistry<ProviderName>;
