// Builds the provider an export names from its connection credentials (parsed by each provider).
import { createClickwrapProvider } from './clickwrap';
import { createMarketoProvider } from './marketo';
import type { ExportProvider, ProviderContext, ProviderName } from './types';

/** `request` is the export's own request: some providers need it beyond startJob (Clickwrap's link allowlist). */
export function createProvider(
  def: { readonly provider: ProviderName; readonly request: Readonly<Record<string, unknown>> },
  credentials: unknown,
  ctx: ProviderContext,
): ExportProvider {
  switch (def.provider) {
    case 'marketo':
      return createMarketoProvider(credentials as Parameters<typeof createMarketoProvider>[0], ctx);
    case 'clickwrap':
      return createClickwrapProvider(credentials as Parameters<typeof createClickwrapProvider>[0], ctx, { request: def.request });
  }
}
