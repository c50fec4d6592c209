// What an `allowedLinkHosts` entry may be. PURE (no network list): the config check runs it at synth
// time and the provider again before any call.
//
// - `name`, `name:port` (port 1-65535) or `*.domain` (any subdomain of domain, not domain itself).
// - No IP literals (v4, v6, or the numeric shorthands URL parsers read as IPv4): a link to an address
//   bypasses every name-based trust and is how SSRF reaches metadata endpoints (169.254.169.254).
//   The one exception is loopback (127.0.0.0/8, [::1], localhost), which the link policy accepts only
//   when the API base itself is loopback: a local simulator.
// - No wildcard over a public suffix: `*.com` or `*.co.uk` would trust every domain anyone can
//   register. A suffix counts as public when it is a single label (any TLD), matches the common
//   `<co|com|net|org|gov|edu|ac|ne|or|go|ltd|plc>.<country>` pattern, or is in the short list below
//   of multi-label ICANN suffixes and shared-hosting suffixes under which anyone gets a subdomain.
//   `*.amazonaws.com` is allowed: amazonaws.com is a registrable domain (Amazon's), and it is the
//   default for pre-signed S3 links; a stricter deployment names its bucket host instead.
import { isLoopbackHostname } from '#shared/http/loopback';

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const GENERIC_SECOND_LEVEL = /^(co|com|net|org|gov|edu|ac|ne|or|go|ltd|plc|mil|nom|sch)\.[a-z]{2}$/;

/** Multi-label public suffixes that the generic pattern above does not catch. */
export const BUILT_IN_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  // ICANN
  'me.uk',
  'net.uk',
  'nhs.uk',
  'police.uk',
  'com.de',
  'gv.at',
  'k12.ca.us',
  'lg.jp',
  'ad.jp',
  'gr.jp',
  'kiev.ua',
  // shared hosting: anyone can get a subdomain of these
  'github.io',
  'githubusercontent.com',
  'gitlab.io',
  'herokuapp.com',
  'appspot.com',
  'firebaseapp.com',
  'web.app',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'workers.dev',
  'azurewebsites.net',
  'cloudapp.net',
  'blob.core.windows.net',
  'cloudfront.net',
  's3.amazonaws.com',
  'elasticbeanstalk.com',
  'storage.googleapis.com',
  'blogspot.com',
  'ngrok.io',
  'ngrok-free.app',
]);

/** Whether `domain` (lower case, no wildcard) is a public suffix by the rules above. */
export function isPublicSuffix(domain: string): boolean {
  return !domain.includes('.') || GENERIC_SECOND_LEVEL.test(domain) || BUILT_IN_PUBLIC_SUFFIXES.has(domain);
}

function isIpv4Like(hostname: string): boolean {
  // WHATWG URL parsing reads a host whose last label is numeric (decimal, 0x hex or octal) as IPv4:
  // `2852039166`, `0xa9.254.169.254` and `169.254.169.254` all reach the same address.
  const last = hostname.split('.').at(-1) ?? '';
  return /^(0x[0-9a-f]*|[0-9]+)$/.test(last);
}

/** What is wrong with one allow-list entry (lower-cased, trimmed), or undefined when it is fine. */
export function linkHostProblem(entry: string): string | undefined {
  if (entry === '') return 'is empty (a host is "name", "name:port" or "*.domain")';
  if (entry.includes('/') || entry.includes('@'))
    return `${JSON.stringify(entry)}: a host is "name", "name:port" or "*.domain", not a URL`;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed || (entry.match(/:/g)?.length ?? 0) > 1) {
    const address = bracketed?.[1] ?? entry;
    if (bracketed && isLoopbackHostname(`[${address}]`)) return portProblem(entry, bracketed[2]);
    return `${JSON.stringify(entry)}: IP addresses are not allowed (name the host), except loopback for a local API`;
  }
  const [host = '', port, ...rest] = entry.split(':');
  if (rest.length > 0) return `${JSON.stringify(entry)}: a host is "name", "name:port" or "*.domain"`;
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (!NAME_PATTERN.test(name))
    return `${JSON.stringify(entry)}: a host is "name", "name:port" or "*.domain" (letters, digits, "-" and ".")`;
  if (isIpv4Like(name)) {
    if (!wildcard && isLoopbackHostname(name)) return portProblem(entry, port);
    return `${JSON.stringify(entry)}: IP addresses are not allowed (name the host), except loopback for a local API`;
  }
  if (wildcard && isPublicSuffix(name)) {
    return `${JSON.stringify(entry)}: a wildcard over the public suffix "${name}" would trust every domain registered under it; name the domain (e.g. "*.example.${name}")`;
  }
  return portProblem(entry, port);
}

function portProblem(entry: string, port: string | undefined): string | undefined {
  if (port === undefined) return undefined;
  const n = /^[0-9]{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) return `${JSON.stringify(entry)}: port ${port} is out of range 1-65535`;
  return undefined;
}
