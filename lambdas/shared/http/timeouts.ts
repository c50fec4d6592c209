// One set of HTTP timeouts for every provider connection.

export interface HttpTimeouts {
  /** TCP + TLS handshake. */
  readonly connectMs: number;
  /** From the request sent to the response headers (an export endpoint can think for a while). */
  readonly headersMs: number;
  /** Longest silence inside a body before the read fails (a ranged download then resumes). */
  readonly bodyMs: number;
  /** How long an idle keep-alive socket is kept; below the usual 5 s server idle timeout, so a reused socket is not one the server is closing. */
  readonly keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyMs: 120_000,
  keepAliveMs: 4_000,
};

/** The options undici's Agent and Pool take. */
export function undiciTimeouts(timeouts: HttpTimeouts): {
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  keepAliveTimeout: number;
} {
  return {
    connectTimeout: timeouts.connectMs,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: timeouts.keepAliveMs,
  };
}
