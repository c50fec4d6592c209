// URLs in messages and logs: a pre-signed query string is a credential, and so is a user:password.

/** `protocol//host/path` of a URL, without user, query or fragment. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<unparseable URL>';
  }
}
