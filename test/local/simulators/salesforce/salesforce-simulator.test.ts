// The Salesforce simulator over real HTTP on 127.0.0.1: what a client must cope with, as the Bulk API
// 2.0 documentation describes it.
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { request, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startSalesforceSimulator,
  type SalesforceSimulator,
  type SalesforceSimulatorOptions,
} from '../../../../local/simulators/salesforce';

let sim: SalesforceSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

let clockMs = Date.parse('2026-11-10T12:00:00Z');
const clock = () => new Date(clockMs);

async function start(options: SalesforceSimulatorOptions = {}) {
  clockMs = Date.parse('2026-11-10T12:00:00Z');
  sim = await startSalesforceSimulator({ now: clock, recordsPerDay: 50, maxRecordsPerPage: 30, ...options });
  return sim;
}

async function token(s: SalesforceSimulator): Promise<string> {
  const res = await fetch(`${s.baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: s.clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    access_token: string;
    instance_url: string;
    token_type: string;
    issued_at: string;
  };
  expect(body).toMatchObject({ instance_url: s.baseUrl, token_type: 'Bearer' });
  expect(body).not.toHaveProperty('expires_in');
  expect(body).not.toHaveProperty('refresh_token');
  return body.access_token;
}

const WINDOW =
  'SELECT Id, Name, Description, IsDeleted, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-11-01T00:00:00Z AND SystemModstamp < 2026-11-02T00:00:00Z';

async function call(s: SalesforceSimulator, auth: string, path: string, init: RequestInit = {}, version = '58.0') {
  return fetch(`${s.baseUrl}/services/data/v${version}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

/** Every result set of a job, through undici (which, unlike fetch, leaves Content-Encoding to the caller). */
async function allResults(s: SalesforceSimulator, auth: string, id: string, version = '58.0') {
  const rows: string[][] = [];
  let locator: string | null = null;
  let sets = 0;
  let gzipped = 0;
  do {
    const res: Dispatcher.ResponseData = await request(
      `${s.baseUrl}/services/data/v${version}/jobs/query/${id}/results${locator ? `?locator=${locator}` : ''}`,
      {
        headers: { authorization: `Bearer ${auth}`, 'accept-encoding': 'gzip' },
      },
    );
    expect(res.statusCode).toBe(200);
    const body = Buffer.from(await res.body.arrayBuffer());
    const gzip = res.headers['content-encoding'] === 'gzip';
    gzipped += gzip ? 1 : 0;
    const page = parse(gzip ? gunzipSync(body) : body, { relax_quotes: false }) as string[][];
    expect(page[0]).toEqual(['Id', 'Name', 'Description', 'IsDeleted', 'SystemModstamp']);
    expect(page.length - 1).toBe(Number(res.headers['sforce-numberofrecords']));
    rows.push(...page.slice(1));
    locator = String(res.headers['sforce-locator']);
    sets += 1;
  } while (locator !== 'null');
  return { rows, sets, gzipped };
}

async function createJob(s: SalesforceSimulator, auth: string, body: Record<string, unknown>, version = '58.0') {
  return call(s, auth, '/jobs/query', { method: 'POST', body: JSON.stringify(body) }, version);
}

describe('Salesforce simulator: auth and limits', () => {
  it('issues tokens by client credentials (form or Basic) and refuses a wrong secret or grant', async () => {
    const s = await start();
    await token(s);
    const basic = await fetch(`${s.baseUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    const wrong = await fetch(`${s.baseUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${s.clientId}&client_secret=nope`,
    });
    expect([wrong.status, await wrong.json()]).toEqual([
      400,
      { error: 'invalid_client', error_description: 'invalid client credentials' },
    ]);
    const grant = await fetch(`${s.baseUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect((await grant.json()) as object).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('a session ends after its idle timeout or when expired, with INVALID_SESSION_ID', async () => {
    const s = await start({ sessionTimeoutMs: 60_000 });
    const t = await token(s);
    expect((await call(s, t, '/limits')).status).toBe(200);
    clockMs += 61_000;
    const expired = await call(s, t, '/limits');
    expect([expired.status, await expired.json()]).toEqual([
      401,
      [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
    ]);
    const t2 = await token(s);
    s.faults.expireSessions();
    expect((await call(s, t2, '/limits')).status).toBe(401);
  });

  it('reports the daily limits and the API usage header, and refuses past the daily request allocation', async () => {
    const s = await start({ dailyApiRequests: 3, dailyBulkV2QueryJobs: 1 });
    const t = await token(s);
    const limits = await call(s, t, '/limits');
    expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=1/3');
    expect(await limits.json()).toMatchObject({
      DailyBulkV2QueryJobs: { Max: 1, Remaining: 1 },
      DailyApiRequests: { Max: 3, Remaining: 2 },
    });
    expect((await createJob(s, t, { operation: 'query', query: WINDOW })).status).toBe(200);
    const second = await createJob(s, t, { operation: 'query', query: WINDOW });
    expect([second.status, ((await second.json()) as Array<{ errorCode: string }>)[0]?.errorCode]).toEqual([
      400,
      'LIMIT_EXCEEDED',
    ]);
    const over = await call(s, t, '/limits');
    expect([over.status, await over.json()]).toEqual([
      403,
      [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
    ]);
    clockMs += 86_400_000;
    expect((await call(s, await token(s), '/limits')).status).toBe(200);
  });
});

describe('Salesforce simulator: query jobs', () => {
  it('refuses what Bulk 2.0 refuses, by errorCode', async () => {
    const s = await start();
    const t = await token(s);
    const code = async (query: string) =>
      (
        (await (await createJob(s, t, { operation: 'query', query })).json()) as Array<{
          errorCode: string;
          message: string;
        }>
      )[0];
    expect(await code('SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    expect(await code('SELECT Id, Nope FROM Account')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope' on entity 'Account'.",
    });
    expect(await code('SELECT Id, BillingAddress FROM Account')).toMatchObject({
      message: 'Selecting compound data not supported in Bulk Query',
    });
    expect(await code('SELECT Id FROM AccountFeed')).toMatchObject({ errorCode: 'INVALIDENTITY' });
    expect(await code("SELECT Id FROM Account WHERE SystemModstamp >= '2026-11-01T00:00:00Z'")).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  it('runs a job to JobComplete by the clock, and pages its results by locator; the counts add up', async () => {
    const s = await start();
    const t = await token(s);
    const created = (await (await createJob(s, t, { operation: 'query', query: WINDOW })).json()) as {
      id: string;
      state: string;
      apiVersion: number;
    };
    expect(created).toMatchObject({ state: 'UploadComplete', apiVersion: 58 });
    const early = await call(s, t, `/jobs/query/${created.id}/results`);
    expect(((await early.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('JOB_NOT_COMPLETE');
    clockMs += 250;
    expect(((await (await call(s, t, `/jobs/query/${created.id}`)).json()) as { state: string }).state).toBe(
      'InProgress',
    );
    clockMs += 1000;
    const raw = await (await call(s, t, `/jobs/query/${created.id}`)).text();
    expect(raw).toContain('"apiVersion":58.0');
    const info = JSON.parse(raw) as { state: string; numberRecordsProcessed: number };
    expect(info.state).toBe('JobComplete');
    const { rows, sets, gzipped } = await allResults(s, t, created.id);
    expect(gzipped).toBe(sets);
    expect(sets).toBeGreaterThan(1);
    expect(rows.length).toBe(info.numberRecordsProcessed);
    expect(rows.every((r) => r[3] === 'false')).toBe(true);
    expect(rows.some((r) => (r[2] ?? '').includes('\n'))).toBe(true);
    expect(rows.some((r) => (r[2] ?? '').includes('\u0000'))).toBe(true);
  });

  it('queryAll adds the deleted rows; the results must be fetched with the job’s API version', async () => {
    const s = await start();
    const t = await token(s);
    const all = (await (await createJob(s, t, { operation: 'queryAll', query: WINDOW }, '60.0')).json()) as {
      id: string;
    };
    clockMs += 2000;
    const wrong = await call(s, t, `/jobs/query/${all.id}/results`);
    expect(wrong.status).toBe(409);
    const { rows } = await allResults(s, t, all.id, '60.0');
    expect(rows.some((r) => r[3] === 'true')).toBe(true);
    expect(s.expectedCsv(WINDOW, 'queryAll').records).toBe(rows.length);
  });

  it('aborts only unfinished jobs and deletes only finished ones', async () => {
    const s = await start();
    const t = await token(s);
    const job = (await (await createJob(s, t, { operation: 'query', query: WINDOW })).json()) as { id: string };
    const del = await call(s, t, `/jobs/query/${job.id}`, { method: 'DELETE' });
    expect(((await del.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('API_ERROR');
    const abort = await call(s, t, `/jobs/query/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(((await abort.json()) as { state: string }).state).toBe('Aborted');
    expect(
      (await call(s, t, `/jobs/query/${job.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'Aborted' }) }))
        .status,
    ).toBe(400);
    expect((await call(s, t, `/jobs/query/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(s, t, `/jobs/query/${job.id}`)).status).toBe(404);
  });

  it('a job can end Failed with an errorMessage; faults answer errors and cut a result set', async () => {
    const s = await start();
    const t = await token(s);
    s.faults.failNextJob = 'Retried more than 15 times';
    const failed = (await (await createJob(s, t, { operation: 'query', query: WINDOW })).json()) as { id: string };
    clockMs += 2000;
    expect(await (await call(s, t, `/jobs/query/${failed.id}`)).json()).toMatchObject({
      state: 'Failed',
      errorMessage: 'Retried more than 15 times',
    });
    s.faults.errorNext = { status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'maintenance', times: 1 };
    expect((await call(s, t, '/limits')).status).toBe(503);
    const ok = (await (await createJob(s, t, { operation: 'query', query: WINDOW })).json()) as { id: string };
    clockMs += 2000;
    s.faults.truncateSet = { set: 1, afterBytes: 100 };
    await expect(call(s, t, `/jobs/query/${ok.id}/results`).then((r) => r.arrayBuffer())).rejects.toThrow();
    expect((await call(s, t, `/jobs/query/${ok.id}/results`)).status).toBe(200);
  });
});
