// The HTTP face of the simulator: identity, the bulk export routes of every type, activity types and
// the describe routes, answering the way Marketo does (errors in HTTP 200 envelopes; files as 404
// plain text until ready).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeActivityType, ACTIVITY_TYPES } from './activity-types';
import { assetPage } from './asset-route';
import type { BulkTarget } from './bulk-target';
import { parseCreateRequest } from './create-request';
import { describeResult } from './describe-answer';
import { parseEntityCreateRequest } from './entity-request';
import { sendFailure, sendJson, sendPlainText, sendSuccess } from './envelope';
import { takeInjectedError, takeStormRefusal, type CallKind } from './faults';
import { sendFile } from './file-route';
import { HttpAnswer, bearerToken, readBody } from './http-request';
import { listJobs } from './list-route';
import { MarketoApiFailure, defaultMessage } from './marketo-errors';
import { matchRoute, type Route } from './routes';
import type { ServerContext } from './server-context';
import { issueToken } from './token-route';

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
    case 'assets': {
      const page = assetPage(route.asset ?? 'programs', url, ctx.faults.assetListing);
      return 'result' in page
        ? sendSuccess(res, requestId, page.result)
        : sendJson(res, 200, { requestId, success: true, ...page });
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
