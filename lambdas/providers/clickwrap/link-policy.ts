// Which download links may be fetched, decided BEFORE connecting: a hostile or compromised answer must
// not turn the pipeline into a proxy for internal addresses (SSRF) or leak the token to a stranger.
import { ForbiddenLinkError, ValidationError } from '#shared/errors';
import { isLoopbackHostname } from '#shared/http/loopback';
import { redactUrl } from '#shared/http/redact-url';
import { registerUrlCredentials } from '#shared/redact';

export interface LinkPolicy {
  /** The API base: its origin is always trusted, and is the only one that receives the token. */
  readonly apiBaseUrl: URL;
  /** `host`, `host:port` or `*.domain` entries (lower case). */
  readonly allowedHosts: readonly string[];
}

function hostMatches(entry: string, url: URL): boolean {
  const hostname = url.hostname.toLowerCase();
  if (entry.startsWith('*.')) return hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1;
  if (entry.includes(':')) return entry === `${hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  return entry === hostname;
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/** Returns the parsed link, or throws ForbiddenLinkError saying why (never with its query string). */
export function assertLinkAllowed(link: string, policy: LinkPolicy): URL {
  let url: URL;
  try {
    url = new URL(link, policy.apiBaseUrl);
  } catch {
    throw new ForbiddenLinkError('download link is not a URL');
  }
  // Every link and redirect target passes here: its signature is learnt before anything can echo it.
  registerUrlCredentials(url);
  const shown = redactUrl(url);
  if (url.username || url.password) throw new ForbiddenLinkError(`download link ${shown} carries user credentials`);
  if (sameOrigin(url, policy.apiBaseUrl)) return url;

  const apiIsLoopback = isLoopbackHostname(policy.apiBaseUrl.hostname);
  const linkIsLoopback = isLoopbackHostname(url.hostname);
  if (linkIsLoopback && !apiIsLoopback)
    throw new ForbiddenLinkError(`download link ${shown} points at a loopback address`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && linkIsLoopback)) {
    throw new ForbiddenLinkError(`download link ${shown} is not https`);
  }
  if (!policy.allowedHosts.some((entry) => hostMatches(entry, url))) {
    throw new ForbiddenLinkError(
      `download link host ${url.host} is not allowed (add it to request.allowedLinkHosts if it is genuine)`,
    );
  }
  return url;
}

/**
 * Loopback entries in the allow-list are for a local API (a simulator) only: against a remote API they
 * could only ever point a link at this machine. Refused before any call.
 */
export function assertAllowListFitsApi(policy: LinkPolicy): void {
  if (isLoopbackHostname(policy.apiBaseUrl.hostname)) return;
  const index = policy.allowedHosts.findIndex((entry) => isLoopbackHostname(entry.replace(/:\d+$/, '')));
  if (index >= 0) {
    throw new ValidationError(
      `allowedLinkHosts[${index}]`,
      `${JSON.stringify(policy.allowedHosts[index])} is a loopback host, allowed only when the API itself is loopback (a local simulator)`,
    );
  }
}
