// The HTTP face of the simulator: identity, the bulk export routes of every type, activity types and
// the describe routes, answering the way Marketo does (errors in HTTP 200 envelopes; files as 404
// plain text until ready).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeActivityType, ACTIVITY_TYPES } from './activity-types';
import type { BulkTarget } from './bulk-target';
import type { CallLimits } from './call-limits';
import { parseCreateRequest } from './create-request';
import { describeResult } from './describe-answer';
import { parseEntityCreateRequest } from './entity-request';
import { contentTypeFor } from './delimited-format';
import { sendFailure, sendJson, sendPlainText, sendSuccess } from './envelope';
import { takeConnectionDrop, takeInjectedError, takeStormRefusal, type CallKind, type MarketoFaults } from './faults';
import { writeBody } from './file-body';
import { openFileRange } from './file-range-stream';
import type { DeletedLeadsRoutes } from './deleted-leads';
import type { JobStore } from './job-store';
import { MarketoApiFailure, defaultMessage } from './marketo-errors';
import { resolveRange } from './range-header';
import { matchRoute, type Route } from './routes';
import type { TokenStore } from './token-store';

export interface ServerContext {
  readonly now: () => Date;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: MarketoFaults;
  readonly tokens: TokenStore;
  readonly limits: CallLimits;
  readonly store: JobStore;
  /** Get Paging Token and Get Deleted Leads (deleted-leads.ts). */
  readonly deletedLeads: DeletedLeadsRoutes;
  readonly requestId: () => string;
  readonly stats: { total: number; byKind: Record<string, number>; callTimes: number[] };
  /** Every request line (method and URL) as it arrived, so tests can check no credential rode in one. */
  readonly requestLog: string[];
}

const CREDENTIAL_QUERY_PARAMS = ['client_id', 'client_secret', 'grant_type', 'access_token'];

const MAX_BODY_BYTES = 1024 * 1024;
const LIST_STATUSES = ['Created', 'Queued', 'Processing', 'Completed', 'Failed', 'Cancelled'];
const MAX_BATCH_SIZE = 300;

class HttpAnswer extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpAnswer(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function answerTransportFault(req: IncomingMessage, res: ServerResponse, code: string): boolean {
  if (code === 'reset') {
    req.socket.destroy();
    return true;
  }
  const titles: Record<string, string> = {
    http500: '500 Internal Server Error',
    http502: '502 Bad Gateway',
    http503: '503 Service Temporarily Unavailable',
  };
  const title = titles[code];
  if (title === undefined) return false;
  const status = Number(title.slice(0, 3));
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(`<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`);
  return true;
}

export function createRequestHandler(ctx: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, req, res).catch(() => {
      if (!res.headersSent) sendFailure(res, ctx.requestId(), { code: '611', message: defaultMessage('611') });
      else res.destroy();
    });
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  ctx.requestLog.push(`${req.method ?? 'GET'} ${req.url ?? '/'}`);
  const route = matchRoute(url.pathname);
  ctx.stats.total += 1;
  const kind: CallKind | 'unknown' = route?.kind ?? 'unknown';
  ctx.stats.byKind[kind] = (ctx.stats.byKind[kind] ?? 0) + 1;
  if (!route) return sendPlainText(res, 404, 'Not Found');

  if (route.kind !== 'token') {
    ctx.stats.callTimes.push(ctx.now().getTime());
    const leave = ctx.limits.enter();
    res.on('close', leave);
  }

  const stormCode = takeStormRefusal(ctx.faults, route.kind, ctx.now().getTime());
  const injected = stormCode === undefined ? takeInjectedError(ctx.faults, route.kind) : { code: stormCode };
  if (injected) {
    if (answerTransportFault(req, res, injected.code)) return;
    return sendFailure(res, ctx.requestId(), {
      code: injected.code,
      message: injected.message ?? defaultMessage(injected.code),
    });
  }
  if (route.kind === 'token') return await issueToken(ctx, req, res, url);

  const requestId = ctx.requestId();
  try {
    ctx.limits.checkConcurrency();
    const token = ctx.tokens.check(bearerToken(req));
    if (token === 'invalid') throw new MarketoApiFailure('601');
    if (token === 'expired') throw new MarketoApiFailure('602');
    if (req.method !== route.method) throw new MarketoApiFailure('605');
    ctx.limits.admitToWindow();
    ctx.limits.checkDailyBudget();
  } catch (error) {
    if (error instanceof MarketoApiFailure)
      return sendFailure(res, requestId, { code: error.code, message: error.message });
    throw error;
  }

  try {
    await ctx.store.settle();
    await answer(ctx, route, req, res, url, requestId);
    ctx.limits.countTowardsDailyBudget();
  } catch (error) {
    if (error instanceof HttpAnswer) return sendPlainText(res, error.status, error.text);
    if (!(error instanceof MarketoApiFailure)) throw error;
    if (!error.code.startsWith('6')) ctx.limits.countTowardsDailyBudget();
    sendFailure(res, requestId, { code: error.code, message: error.message });
  }
}

/**
 * Client credentials only as an application/x-www-form-urlencoded POST body. Marketo also takes them
 * in a GET query string; the simulator refuses that (400 invalid_request) so a client that would leak
 * the secret into proxy and access logs fails its tests.
 */
async function issueToken(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (CREDENTIAL_QUERY_PARAMS.some((name) => url.searchParams.has(name))) {
    return sendJson(res, 400, {
      error: 'invalid_request',
      error_description: 'Client credentials must be sent in the request body, not the URL',
    });
  }
  if (req.method !== 'POST')
    return sendJson(res, 405, { error: 'invalid_request', error_description: 'Method not allowed' });
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 400, {
      error: 'invalid_request',
      error_description: 'Content-Type must be application/x-www-form-urlencoded',
    });
  }
  const q = new URLSearchParams(await readBody(req));
  if (q.get('grant_type') !== 'client_credentials') {
    return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' });
  }
  if (q.get('client_id') !== ctx.clientId || q.get('client_secret') !== ctx.clientSecret) {
    return sendJson(res, 401, { error: 'unauthorized', error_description: 'Bad client credentials' });
  }
  const { token, expiresIn } = ctx.tokens.issue();
  sendJson(res, 200, {
    access_token: token,
    token_type: 'bearer',
    expires_in: expiresIn,
    scope: 'apiuser@sim.example.com',
  });
}

async function answer(
  ctx: ServerContext,
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
): Promise<void> {
  const { store } = ctx;
  const exportId = route.exportId ?? '';
  const target: BulkTarget = route.target ?? { type: 'activities' };
  switch (route.kind) {
    case 'create': {
      const job = store.create(await createRequestOf(ctx, target, req), target);
      return sendSuccess(res, requestId, [store.describe(job)]);
    }
    case 'enqueue':
      return sendSuccess(res, requestId, [store.describe(store.enqueue(exportId, target))]);
    case 'cancel':
      return sendSuccess(res, requestId, [store.describe(store.cancel(exportId, target))]);
    case 'status':
      return sendSuccess(res, requestId, [store.describe(store.status(exportId, target))]);
    case 'list':
      return listJobs(ctx, target, res, url, requestId);
    case 'types':
      return sendSuccess(res, requestId, ACTIVITY_TYPES.map(describeActivityType));
    case 'pagingtoken':
      return sendSuccess(res, requestId, [], ctx.deletedLeads.pagingToken(url));
    case 'deletedleads': {
      const { result, ...paging } = ctx.deletedLeads.page(url);
      return sendSuccess(res, requestId, result, paging);
    }
    case 'describe':
      return sendSuccess(
        res,
        requestId,
        route.describe ? describeResult(route.describe.shape, route.describe.apiName) : [],
      );
    case 'file':
      return sendFile(ctx, exportId, target, req, res);
    default:
      throw new MarketoApiFailure('610');
  }
}

async function createRequestOf(ctx: ServerContext, target: BulkTarget, req: IncomingMessage) {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new MarketoApiFailure('612');
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MarketoApiFailure('609');
  }
  if (target.type === 'activities') return parseCreateRequest(body);
  return parseEntityCreateRequest(
    target.type,
    target.apiName,
    body,
    ctx.now().getTime(),
    ctx.faults.unsupportedFilters,
  );
}

function listJobs(ctx: ServerContext, target: BulkTarget, res: ServerResponse, url: URL, requestId: string): void {
  const q = url.searchParams;
  const wanted = q
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === 'Canceled' ? 'Cancelled' : s));
  const unknown = wanted.find((s) => !LIST_STATUSES.includes(s));
  if (unknown) throw new MarketoApiFailure('1003', `Invalid status: '${unknown}'`);
  const batchText = q.get('batchSize');
  const batchSize = batchText === null ? MAX_BATCH_SIZE : Number(batchText);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new MarketoApiFailure('1003', `Invalid batchSize: '${batchText}' (1 to ${MAX_BATCH_SIZE})`);
  }
  const pageToken = q.get('nextPageToken');
  let offset = 0;
  if (pageToken !== null) {
    const decoded = Number(
      Buffer.from(pageToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw new MarketoApiFailure('1003', 'Invalid nextPageToken');
    offset = decoded;
  }
  const jobs = ctx.store.recent(target).filter((j) => wanted.length === 0 || wanted.includes(j.status));
  const page = jobs.slice(offset, offset + batchSize).map((j) => ctx.store.describe(j));
  const more = offset + batchSize < jobs.length;
  const extra = more ? { nextPageToken: Buffer.from(`offset:${offset + batchSize}`).toString('base64url') } : {};
  sendSuccess(res, requestId, page, extra);
}

async function sendFile(
  ctx: ServerContext,
  exportId: string,
  target: BulkTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const file = ctx.store.fileOf(exportId, target);
  if (!file) throw new HttpAnswer(404, 'Not Found');
  const { generator, index } = file;
  const { faults } = ctx;
  const size = index.size;
  const contentType = contentTypeFor(generator.format);
  const range = faults.ignoreRange ? { kind: 'whole' as const } : resolveRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, {
      'content-range': `bytes */${size}`,
      'content-type': 'text/plain;charset=UTF-8',
      'content-length': 0,
    });
    res.end();
    return;
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size - 1;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': end - start + 1,
    'accept-ranges': 'bytes',
  };
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
  const dropAfterBytes = takeConnectionDrop(faults);
  await writeBody(res, openFileRange(generator, index, start, end), {
    startOffset: start,
    ...(faults.corruptByteAt !== undefined ? { corruptByteAt: faults.corruptByteAt } : {}),
    ...(faults.slowBytesPerSecond ? { bytesPerSecond: faults.slowBytesPerSecond } : {}),
    ...(dropAfterBytes !== undefined ? { dropAfterBytes } : {}),
  });
}
