// Which hosts are this machine: plain http is allowed only for them (a local simulator), and a
// download link must not point at them unless the API itself does.

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '[::1]', '::1']);
const IPV4_LOOPBACK = /^127(\.\d{1,3}){3}$/;

/** `localhost`, 127.0.0.0/8 or ::1 (with or without the brackets URL.hostname keeps). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(host) || IPV4_LOOPBACK.test(host);
}

/** Whether `url` may be fetched as given: https anywhere, plain http only on a loopback host. */
export function isSafeBaseUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname));
}
