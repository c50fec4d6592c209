// The one redaction point. Every string that leaves the process (log lines, error messages, events,
// manifests, CLI output) passes `redact`: it blanks the secrets registered so far (client secret,
// access tokens as they are issued, API tokens) and the credential shapes that need no registration
// (Authorization/Bearer values, pre-signed query parameters, credential-named fields). The registry is
// process-wide on purpose: one Lambda container serves one function, and a value learned anywhere (a
// secret read, a token issued) must be blanked by every sink without each sink being told.

export const REDACTED = '[redacted]';

/** Values shorter than this are not registered: blanking "ab" everywhere would shred ordinary text. */
const MIN_SECRET_LENGTH = 6;
/** Provider text quoted in an error or a log line is cut to this many characters (after redaction). */
export const MAX_QUOTED_CHARS = 300;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Registers a value to blank wherever it appears, as is and in its URL-encoded forms. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) return;
  const before = secrets.size;
  for (const form of [
    trimmed,
    encodeURIComponent(trimmed),
    new URLSearchParams({ v: trimmed }).toString().slice(2),
    JSON.stringify(trimmed).slice(1, -1),
  ]) {
    secrets.add(form);
  }
  // Longest first, so a secret that contains another is blanked whole.
  if (secrets.size !== before) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

const SECRET_FIELD = /secret|token|password|key/i;

/** Registers the string fields of a connection secret (or its environment form) named like credentials. */
export function registerSecretFields(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  for (const [field, item] of Object.entries(value)) {
    if (typeof item === 'string' && SECRET_FIELD.test(field)) registerSecret(item);
  }
}

/**
 * Registers the credential-bearing query values of a URL (a pre-signed link's signature, credential,
 * security token…), so a host that echoes them bare in an error body is still blanked.
 */
export function registerUrlCredentials(url: URL): void {
  for (const [name, value] of url.searchParams) {
    if (CREDENTIAL_PARAM_NAMES.has(name.toLowerCase())) registerSecret(value);
  }
}

// `Authorization: Bearer x`, `Bearer x`, `Basic x`: the scheme stays, the credential goes (a Salesforce
// session id holds a `!`: `00D…!AQ…`). Lengths and
// the mixed case a Basic credential shows keep ordinary words ("bearer token", "Basic authentication").
const AUTH_SCHEME =
  /\b(Bearer|bearer|BEARER)(\s+|%20|\+)(?!\[redacted\])[A-Za-z0-9._~+/=:!-]{8,}|\b(Basic)(\s+|%20|\+)(?=[A-Za-z0-9+/][a-z]*[A-Z0-9+/=])[A-Za-z0-9+/]{6,}={0,2}/g;
// `"authorization": "…"`, `authorization=…`, `Authorization: …` (whatever the scheme).
const AUTH_FIELD =
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|Bearer|bearer|BEARER|Basic)[^"'\s,;&}]+/gi;
// Query parameters and fields that carry a credential: pre-signed S3/CloudFront/Azure links, OAuth.
const CREDENTIAL_PARAMS = [
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'X-Goog-Signature',
  'X-Goog-Credential',
  'X-Signature',
  'Signature',
  'sig',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'api_key',
  'apikey',
  'api_token',
  // A Salesforce session id as a cookie or a frontdoor parameter.
  'sid',
  'apiToken',
  'clientSecret',
  'accessToken',
  'secret',
  'password',
  'Key-Pair-Id',
  'Policy',
  'AWSAccessKeyId',
];
const CREDENTIAL_PARAM_NAMES: ReadonlySet<string> = new Set(CREDENTIAL_PARAMS.map((p) => p.toLowerCase()));
const CREDENTIAL_PARAM = new RegExp(
  `(^|[?&\\s"'{,;(])(${CREDENTIAL_PARAMS.map((p) => p.replace(/-/g, '\\-')).join('|')})(["']?\\s*[=:]\\s*["']?)(?!\\[redacted\\])[^&\\s"',;)}]+`,
  'gi',
);

// A structured field named like a credential is blanked whatever its value looks like.
const CREDENTIAL_KEY = new RegExp(
  `^(${CREDENTIAL_PARAMS.map((p) => p.replace(/-/g, '\\-')).join('|')}|authorization|proxy-authorization)$`,
  'i',
);

/** `text` with every registered secret and every credential shape replaced by [redacted]. */
export function redact(text: string): string {
  let out = text;
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(
      AUTH_SCHEME,
      (_m, bearer?: string, bearerGap?: string, basic?: string, basicGap?: string) =>
        `${bearer ?? basic ?? ''}${bearerGap ?? basicGap ?? ''}${REDACTED}`,
    )
    .replace(AUTH_FIELD, (_m, field: string, sep: string) => `${field}${sep}${REDACTED}`)
    .replace(CREDENTIAL_PARAM, (_m, lead: string, name: string, sep: string) => `${lead}${name}${sep}${REDACTED}`);
}

/** Provider text fit to quote in a message: redacted, whitespace flattened, cut to `max` characters. */
export function quoteProviderText(text: string, max = MAX_QUOTED_CHARS): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
}

/**
 * A copy of `value` with every string in it redacted (keys too), for structured sinks: log fields,
 * events, manifests. Errors become `{name, message}` with the message redacted.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, new WeakSet()) as T;
}

function walk(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error)
    return { name: value.name, message: redact(value.message), ...(value.stack ? { stack: redact(value.stack) } : {}) };
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[redact(key)] = CREDENTIAL_KEY.test(key) && typeof item === 'string' ? REDACTED : walk(item, seen);
  return out;
}

/** The error itself, with its message (and its cause's) redacted in place, so a thrown error keeps its class. */
export function redactError<E>(error: E): E {
  if (error instanceof Error) {
    const clean = redact(error.message);
    if (clean !== error.message) {
      try {
        error.message = clean;
      } catch {
        // a frozen message stays; the sinks redact it again
      }
    }
    if (error.stack) error.stack = redact(error.stack);
    if (error.cause instanceof Error) redactError(error.cause);
  }
  return error;
}
