// The connection secret ({"baseUrl","clientId","clientSecret"}), parsed before use. Messages name the
// field but never echo a value: the secret must not reach a log line or an error.
import { z } from 'zod';
import { isSafeBaseUrl } from '#shared/http/loopback';
import { registerSecret } from '#shared/redact';
import { toValidationError } from '#shared/validation';
import { MARKETO_DAILY_CALL_QUOTA } from '#shared/metric-catalog';

const BaseUrlSchema = z.string({ error: 'must be a URL string' }).transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://123-ABC-456.mktorest.com' });
    return z.NEVER;
  }
  if (!isSafeBaseUrl(url)) {
    ctx.addIssue({ code: 'custom', message: 'must use https (plain http only for 127.0.0.1, localhost or [::1])' });
    return z.NEVER;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be the bare instance URL (no path, query or user info), e.g. https://123-ABC-456.mktorest.com',
    });
    return z.NEVER;
  }
  return url.origin;
});

const CredentialsSchema = z
  .object(
    {
      baseUrl: BaseUrlSchema,
      clientId: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
      clientSecret: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
      /**
       * The pipeline's share of the instance's 50,000 REST calls a day: past it, every step defers to
       * the reset as on a 607, leaving the rest of the quota to the instance's other integrations.
       */
      dailyCallBudget: z.coerce
        .number({ error: 'must be a whole number of calls from 1 to 50000' })
        .int('must be a whole number of calls from 1 to 50000')
        .min(1, 'must be a whole number of calls from 1 to 50000')
        .max(MARKETO_DAILY_CALL_QUOTA, 'must be a whole number of calls from 1 to 50000')
        .optional(),
    },
    { error: 'must be an object {baseUrl, clientId, clientSecret}' },
  )
  .strip();

export interface MarketoCredentials {
  /** The REST instance origin, e.g. https://123-ABC-456.mktorest.com (identity lives at `${baseUrl}/identity`). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The pipeline's daily share of the instance's REST calls (see the schema); unset: no cap of ours. */
  readonly dailyCallBudget?: number;
}

export function parseMarketoCredentials(input: unknown): MarketoCredentials {
  const parsed = CredentialsSchema.safeParse(input);
  if (parsed.success) {
    registerSecret(parsed.data.clientSecret);
    return parsed.data;
  }
  throw toValidationError(parsed.error, { under: ['credentials'] });
}
