// One entry point for provider-specific request validation, pure (no I/O), so that `cdk synth`
// (lib/config.ts) and the Plan handler reject the same bad requests with the same messages.
import { validateClickwrapRequest } from './clickwrap/request';
import { validateMarketoRequest } from './marketo/request';
import type { ExportWindow, ProviderName, ProviderRequest } from './types';

type RequestValidator = (request: unknown, window?: ExportWindow) => ProviderRequest;

// Each provider registers its validator here (one line each; providers own their own request.ts).
const validators: Partial<Record<ProviderName, RequestValidator>> = {
  marketo: validateMarketoRequest,
  clickwrap: validateClickwrapRequest,
};

export function validateProviderRequest(provider: ProviderName, request: unknown, window?: ExportWindow): ProviderRequest {
  const validate = validators[provider];
  if (!validate) return (request ?? {}) as ProviderRequest;
  return validate(request, window);
}
