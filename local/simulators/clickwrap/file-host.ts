// The separate host that serves the CSV links, like a pre-signed object store: no Bearer (an extra
// Authorization header is an error, as on S3), signed expiring URLs, Range honoured or not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendS3Error, serveBytes } from './http-util';
import { count } from './state';
import type { SimState } from './state';
import { verifyLink } from './tasks';

export function fileHostHandler(state: SimState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://files.invalid');
    const method = req.method ?? 'GET';
    count(state, `FILES ${method} /files/:id/:n`, {
      host: 'files',
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    req.resume();

    if (req.headers.authorization !== undefined) {
      state.stats.authHeadersOnFileHost += 1;
      return sendS3Error(
        res,
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      );
    }
    if ((state.faults.rateLimitFilesNext ?? 0) > 0) {
      state.faults.rateLimitFilesNext = (state.faults.rateLimitFilesNext ?? 1) - 1;
      state.stats.rateLimited += 1;
      res.setHeader('retry-after', String(state.retryAfterSeconds));
      return sendS3Error(res, 429, 'SlowDown', 'Please reduce your request rate.');
    }
    const m = /^\/files\/([0-9a-f]+)\/(\d+)\.csv$/.exec(url.pathname);
    if (!m?.[1] || !m[2] || (method !== 'GET' && method !== 'HEAD'))
      return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    const verdict = verifyLink(state, m[1], Number(m[2]), url.searchParams);
    if ('refused' in verdict) {
      if (verdict.refused === 'missing') return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      if (verdict.refused === 'expired') return sendS3Error(res, 403, 'AccessDenied', 'Request has expired');
      return sendS3Error(
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    serveBytes(req, res, verdict.file, {
      honourRange: state.honourRange,
      ...(state.faults.wrongContentRange ? { wrongContentRange: true } : {}),
    });
  };
}
