// The connection secret (`{"apiToken"}` in Secrets Manager, CLICKWRAP_* locally), parsed with zod.
import { z } from 'zod';
import { ValidationError } from '#shared/errors';
import { isSafeBaseUrl } from '#shared/http/loopback';
import { registerSecret } from '#shared/redact';
import { toValidationError } from '#shared/validation';
import { DEFAULT_CLICKWRAP_BASE_URL } from './constants';

export type ClickwrapCredentials = {
  readonly apiToken: string;
  /** API base including the version, e.g. https://api.pactsafe.com/v1.1 (the default). */
  readonly baseUrl?: string;
};

export type ParsedCredentials = { readonly apiToken: string; readonly baseUrl: URL };

const CredentialsSchema = z.object({
  apiToken: z.string().trim().min(1, 'is empty'),
  baseUrl: z.url().optional(),
});

export function parseCredentials(credentials: unknown): ParsedCredentials {
  const parsed = CredentialsSchema.safeParse(credentials);
  // zod's messages name what was expected, never the value (which may be the token itself).
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['credentials'] });
  registerSecret(parsed.data.apiToken);
  const baseUrl = new URL((parsed.data.baseUrl ?? DEFAULT_CLICKWRAP_BASE_URL).replace(/\/+$/, ''));
  if (!isSafeBaseUrl(baseUrl)) {
    throw new ValidationError('credentials.baseUrl', 'must be https (plain http only for a loopback simulator)');
  }
  if (baseUrl.username || baseUrl.password || baseUrl.search || baseUrl.hash) {
    throw new ValidationError('credentials.baseUrl', 'must be a plain base URL without user, query or fragment');
  }
  return { apiToken: parsed.data.apiToken, baseUrl };
}

/** The API base joined with a path that starts with `/` (and may carry a query). */
export function apiUrl(baseUrl: URL, pathAndQuery: string): URL {
  return new URL(`${baseUrl.href.replace(/\/+$/, '')}${pathAndQuery}`);
}
