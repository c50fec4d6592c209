// The connection secret ({"instanceUrl","clientId","clientSecret"} in Secrets Manager, SALESFORCE_*
// locally), parsed before use. Messages name the field but never echo a value.
import { z } from 'zod';
import { isSafeBaseUrl } from '#shared/http/loopback';
import { registerSecret } from '#shared/redact';
import { toValidationError } from '#shared/validation';
import { DEFAULT_SALESFORCE_API_VERSION } from './constants';

const InstanceUrlSchema = z.string({ error: 'must be a URL string' }).transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be the My Domain URL, e.g. https://acme.my.salesforce.com' });
    return z.NEVER;
  }
  if (!isSafeBaseUrl(url)) {
    ctx.addIssue({ code: 'custom', message: 'must use https (plain http only for 127.0.0.1, localhost or [::1])' });
    return z.NEVER;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    ctx.addIssue({ code: 'custom', message: 'must be the bare My Domain URL (no path, query or user info)' });
    return z.NEVER;
  }
  // The client credentials flow is refused on the shared login hosts: only the org's My Domain serves it.
  if (/^(login|test)\.salesforce\.com$/i.test(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be the org My Domain (client credentials are refused on login/test.salesforce.com)',
    });
    return z.NEVER;
  }
  return url.origin;
});

const CredentialsSchema = z
  .object(
    {
      instanceUrl: InstanceUrlSchema,
      clientId: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
      clientSecret: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
      /** The API version new jobs are created with (`58.0` or later: query jobs with resultPages). */
      apiVersion: z
        .string()
        .regex(/^\d{2,3}\.0$/, 'must be a version such as 58.0')
        .refine((v) => Number(v) >= 58, 'must be 58.0 or later')
        .default(DEFAULT_SALESFORCE_API_VERSION),
    },
    { error: 'must be an object {instanceUrl, clientId, clientSecret}' },
  )
  .strip();

export interface SalesforceCredentials {
  /** The org's My Domain origin; the token endpoint is `${instanceUrl}/services/oauth2/token`. */
  readonly instanceUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiVersion?: string;
}

export type ParsedSalesforceCredentials = Required<SalesforceCredentials>;

export function parseSalesforceCredentials(input: unknown): ParsedSalesforceCredentials {
  const parsed = CredentialsSchema.safeParse(input);
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['credentials'] });
  registerSecret(parsed.data.clientSecret);
  // HTTP Basic carries id:secret base64-encoded: that form is a credential too.
  registerSecret(Buffer.from(`${parsed.data.clientId}:${parsed.data.clientSecret}`).toString('base64'));
  return parsed.data;
}
