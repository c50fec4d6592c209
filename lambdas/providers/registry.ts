// Builds the runtime adapter (HTTP client and all) of the provider an export names. One factory per
// provider, keyed by the one provider list: a provider without a factory is a compile error here.
import type { ExportDefinition } from '#shared/export-definition';
import type { ProviderName } from '#shared/provider-names';
import { createClickwrapProvider } from './clickwrap';
import { MARKETO_DESCRIPTOR, type MarketoDatasetDescriptor } from './marketo/descriptor';
import { createDeletedLeadsProvider, createMarketoProvider } from './marketo';
import { createSalesforceProvider } from './salesforce';
import { datasetDescriptor } from './descriptors';
import type { ExportProvider, ProviderContext } from './types';

export type ProviderFactory = (
  def: Pick<ExportDefinition, 'provider' | 'dataset' | 'request'>,
  credentials: unknown,
  ctx: ProviderContext,
) => ExportProvider;

/** A registry of adapter factories for the providers `Names`. */
export type FactoryRegistry<Names extends string> = { readonly [P in Names]: ProviderFactory };

export const PROVIDER_FACTORIES = {
  // The dataset's descriptor entry says which adapter serves it: a bulk export, or the deleted-leads route.
  marketo: (def, credentials, ctx) => {
    datasetDescriptor(def);
    const dataset: MarketoDatasetDescriptor =
      MARKETO_DESCRIPTOR.datasets[def.dataset as keyof typeof MARKETO_DESCRIPTOR.datasets];
    const marketoCredentials = credentials as Parameters<typeof createMarketoProvider>[0];
    if (dataset.kind === 'deleted-leads') return createDeletedLeadsProvider(marketoCredentials, ctx);
    // The dataset's entry says where its jobs live and what they send; the request may place them (a custom object's apiName).
    return createMarketoProvider(marketoCredentials, ctx, { dataset, request: def.request });
  },
  // `request`: Clickwrap needs the export's link allow-list beyond startJob.
  clickwrap: (def, credentials, ctx) => {
    datasetDescriptor(def);
    return createClickwrapProvider(credentials as Parameters<typeof createClickwrapProvider>[0], ctx, {
      request: def.request,
    });
  },
  // `request`: the result sets' size is needed beyond startJob.
  salesforce: (def, credentials, ctx) => {
    datasetDescriptor(def);
    return createSalesforceProvider(credentials as Parameters<typeof createSalesforceProvider>[0], ctx, {
      request: def.request,
    });
  },
} as const satisfies FactoryRegistry<ProviderName>;

export function createProvider(
  def: Pick<ExportDefinition, 'provider' | 'dataset' | 'request'>,
  credentials: unknown,
  ctx: ProviderContext,
): ExportProvider {
  return PROVIDER_FACTORIES[def.provider](def, credentials, ctx);
}
