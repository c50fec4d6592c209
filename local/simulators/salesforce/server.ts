// The simulated org's HTTP API: the OAuth token endpoint, /limits, sObject describe and Bulk 2.0 query
// jobs. Errors are JSON arrays `[{errorCode, message}]` with the statuses Salesforce answers; every data
// call reports `Sforce-Limit-Info` and counts against DailyApiRequests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { csvPage } from './csv';
import { abortJob, advance, ApiError, createJob, deleteJob, jobInfo, jobsInLastDay, locatorOf, offsetOf } from './jobs';
import { simObject } from './objects';
import { issueToken, liveSession } from './sessions';
import type { SalesforceSimState, SimJob } from './state';

const DAY_MS = 86_400_000;
const MIN_BULK_QUERY_VERSION = 47;

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string | number>,
): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  // The API writes versions as JSON numbers with a decimal (58.0); JSON.stringify would write 58.
  const text = JSON.stringify(body).replace(/"apiVersion":(\d+)(?=[,}])/g, '"apiVersion":$1.0');
  send(res, status, text, { 'content-type': 'application/json;charset=UTF-8', ...headers });
}

const sendError = (res: ServerResponse, error: ApiError, headers: Record<string, string | number> = {}) =>
  sendJson(res, error.status, [{ errorCode: error.errorCode, message: error.message }], headers);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function routeOf(method: string, path: string): string {
  return `${method} ${path
    .replace(/\/v\d+\.\d\//, '/vXX.X/')
    .replace(/\/750[0-9A-Z]+/, '/:id')
    .replace(/\/sobjects\/\w+\//, '/sobjects/:object/')}`;
}

export function apiHandler(state: SalesforceSimState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, [
          { errorCode: 'UNKNOWN_EXCEPTION', message: error instanceof Error ? error.message : String(error) },
        ]);
      else res.destroy();
    });
  };
}

async function handle(state: SalesforceSimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = req.method ?? 'GET';
  const path = url.pathname;
  state.requests.push({ method, path, query: Object.fromEntries(url.searchParams) });
  const body = await readBody(req);

  if (path === '/services/oauth2/token') {
    if (method !== 'POST')
      return sendJson(res, 405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
    const answer = issueToken(state, req.headers, body);
    return sendJson(res, answer.status, answer.body);
  }

  const data = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(path);
  if (!data) return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  const version = Number(data[1]);
  const rest = data[2] ?? '';
  const route = routeOf(method, path);

  const fault = state.faults.errorNext;
  if (fault && fault.times > 0 && (!fault.route || fault.route === route)) {
    fault.times -= 1;
    return sendError(res, new ApiError(fault.status, fault.errorCode, fault.message));
  }
  if (!liveSession(state, req.headers.authorization)) {
    return sendError(res, new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
  }
  const used = apiRequestsInLastDay(state);
  const limitInfo = { 'sforce-limit-info': `api-usage=${used + 1}/${state.options.dailyApiRequests}` };
  if (used >= state.options.dailyApiRequests)
    return sendError(res, new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), limitInfo);
  state.apiCalls.push(state.now().getTime());
  if (version > state.options.latestApiVersion)
    return sendError(res, new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist'), limitInfo);

  try {
    if (method === 'GET' && rest === '/limits') return sendJson(res, 200, limits(state), limitInfo);
    const describe = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
    if (method === 'GET' && describe) return sendJson(res, 200, describeObject(describe[1] ?? ''), limitInfo);
    if (!rest.startsWith('/jobs/query') || version < MIN_BULK_QUERY_VERSION)
      throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

    if (rest === '/jobs/query' && method === 'POST') {
      if (!/^application\/json/i.test(req.headers['content-type'] ?? ''))
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new ApiError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the JSON body');
      }
      return sendJson(res, 200, jobInfo(state, createJob(state, version, parsed)), limitInfo);
    }
    if (rest === '/jobs/query' && method === 'GET') {
      const records = [...state.jobs.values()].filter((j) => !j.deleted).map((j) => jobInfo(state, advance(state, j)));
      return sendJson(res, 200, { done: true, records, nextRecordsUrl: null }, limitInfo);
    }
    const jobMatch = /^\/jobs\/query\/([0-9A-Za-z]+)(\/results)?$/.exec(rest);
    const job = jobMatch ? state.jobs.get(jobMatch[1] ?? '') : undefined;
    if (!jobMatch || !job || job.deleted) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    advance(state, job);

    if (jobMatch[2]) {
      if (method !== 'GET')
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`);
      return sendResults(state, req, res, job, version, url.searchParams, limitInfo);
    }
    if (method === 'GET') return sendJson(res, 200, jobInfo(state, job), limitInfo);
    if (method === 'PATCH') {
      const wanted = (JSON.parse(body || '{}') as { state?: unknown }).state;
      if (wanted !== 'Aborted') throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(wanted)}`);
      abortJob(state, job);
      return sendJson(res, 200, jobInfo(state, job), limitInfo);
    }
    if (method === 'DELETE') {
      deleteJob(state, job);
      res.writeHead(204, limitInfo);
      return void res.end();
    }
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`);
  } catch (error) {
    if (error instanceof ApiError) return sendError(res, error, limitInfo);
    throw error;
  }
}

function sendResults(
  state: SalesforceSimState,
  req: IncomingMessage,
  res: ServerResponse,
  job: SimJob,
  version: number,
  query: URLSearchParams,
  headers: Record<string, string>,
): void {
  if (version !== job.apiVersion)
    throw new ApiError(
      409,
      'CONFLICT',
      `The job was created with API version ${job.apiVersion.toFixed(1)}: fetch its results with that version`,
    );
  if (job.state !== 'JobComplete') throw new ApiError(400, 'JOB_NOT_COMPLETE', `Job is not complete: ${job.state}`);
  const records = job.records ?? [];
  const offset = offsetOf(query.get('locator'));
  const asked = Number(query.get('maxRecords') ?? state.options.maxRecordsPerPage);
  if (!Number.isInteger(asked) || asked < 1)
    throw new ApiError(400, 'INVALID_QUERY_PARAMETER', `Invalid maxRecords: ${query.get('maxRecords')}`);
  const size = Math.min(asked, state.options.maxRecordsPerPage);
  const rows = records.slice(offset, offset + size);
  const next = offset + size < records.length ? locatorOf(offset + size) : 'null';
  job.fetches.push(query.get('locator') ?? '');
  // An empty job answers an empty body, not even a header (connectors have tripped on this).
  const csv =
    records.length === 0 ? Buffer.alloc(0) : csvPage(job.parsed.fields, rows, job.columnDelimiter, job.lineEnding);
  const setNumber = Math.floor(offset / size) + 1;
  const gzip =
    /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) &&
    (state.options.gzip === 'always' || (state.options.gzip === 'sometimes' && setNumber % 2 === 1));
  const payload = gzip ? gzipSync(csv) : csv;
  const out = {
    ...headers,
    'content-type': 'text/csv; charset=UTF-8',
    'sforce-numberofrecords': rows.length,
    'sforce-locator': next,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  const cut = state.faults.truncateSet;
  if (cut && cut.set === setNumber) {
    delete state.faults.truncateSet;
    res.writeHead(200, { ...out, 'content-length': payload.length });
    res.write(payload.subarray(0, Math.min(cut.afterBytes, payload.length - 1)));
    setImmediate(() => res.destroy());
    return;
  }
  send(res, 200, payload, out);
}

function apiRequestsInLastDay(state: SalesforceSimState): number {
  const since = state.now().getTime() - DAY_MS;
  while (state.apiCalls.length > 0 && state.apiCalls[0]! <= since) state.apiCalls.shift();
  return state.apiCalls.length;
}

function limits(state: SalesforceSimState): Record<string, { Max: number; Remaining: number }> {
  const jobs = jobsInLastDay(state);
  const resultMb = Math.ceil(jobs.reduce((sum, j) => sum + (j.records ? j.records.length * 200 : 0), 0) / 1_000_000);
  return {
    DailyApiRequests: {
      Max: state.options.dailyApiRequests,
      Remaining: Math.max(0, state.options.dailyApiRequests - apiRequestsInLastDay(state)),
    },
    DailyBulkV2QueryJobs: {
      Max: state.options.dailyBulkV2QueryJobs,
      Remaining: Math.max(0, state.options.dailyBulkV2QueryJobs - jobs.length),
    },
    DailyBulkV2QueryFileStorageMB: {
      Max: state.options.dailyFileStorageMb,
      Remaining: Math.max(0, state.options.dailyFileStorageMb - resultMb),
    },
  };
}

function describeObject(name: string): Record<string, unknown> {
  const object = simObject(name);
  if (!object) throw new ApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
  return {
    name: object.name,
    keyPrefix: object.keyPrefix,
    queryable: true,
    fields: object.fields.map((f) => ({
      name: f.name,
      type: f.compound ? 'address' : f.type,
      nillable: f.nillable,
      label: f.name,
    })),
  };
}
