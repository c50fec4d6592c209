// What a failed connection did, in words a person can act on: which host, and in which phase it timed
// out (connect, headers, body), so a server that never answers is told apart from one that is slow
// to send, and neither ends as a bare timeout of the whole step.

export type TimeoutPhase = 'connect' | 'headers' | 'body';

const PHASE_OF_CODE: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

const WHAT_TIMED_OUT: Readonly<Record<TimeoutPhase, string>> = {
  connect: 'did not accept the connection in time',
  headers: 'sent no response headers in time',
  body: 'went silent in the middle of the body',
};

/** The phase an undici timeout happened in (its own code or its cause's), or undefined for any other failure. */
export function timeoutPhase(error: unknown): TimeoutPhase | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in PHASE_OF_CODE) return PHASE_OF_CODE[code];
  }
  return undefined;
}

/** `host` as `name:port` of a URL, without path or query (a pre-signed link's query is a credential). */
export function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
}

/** "headers timeout: api.example sent no response headers in time", or "<host>: <error>" for other failures. */
export function describeTransportFailure(error: unknown, host: string): string {
  const phase = timeoutPhase(error);
  if (phase) return `${phase} timeout: ${host} ${WHAT_TIMED_OUT[phase]}`;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${host}: ${text}`;
}
