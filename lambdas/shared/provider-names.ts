// The one list of providers. ProviderName, the config's zod enum and every registry keyed by provider
// (descriptors, factories, simulators) derive from it: a provider added here is a compile error in each
// registry until it has an entry there (see docs/architecture.md, "Adding a provider or a dataset").
export const PROVIDER_NAMES = ['marketo', 'clickwrap', 'salesforce'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];
