// Test helpers: a controllable clock and a minimal HTTP caller for the Marketo simulator (real HTTP
// through undici; nothing is mocked).
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Agent, request } from 'undici';
import type { MarketoSimulator } from '../../../../local/simulators/marketo/index';

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
  set(iso: string): void;
}

export function testClock(startIso: string): TestClock {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
}

export interface Envelope {
  requestId?: string;
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
  nextPageToken?: string;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const JOB_PATH = '/bulk/v1/activities/export';

/** One connection pool per test file, closed by the caller. */
export function simClient(sim: MarketoSimulator, agent = new Agent({ connections: 32 })) {
  let token: string | undefined;

  async function raw(
    method: 'GET' | 'POST',
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<RawAnswer> {
    const res = await request(`${sim.baseUrl}${path}`, {
      method,
      dispatcher: agent,
      headers: init.headers,
      body: init.body,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body };
  }

  async function fetchToken(id = sim.clientId, secret = sim.clientSecret): Promise<RawAnswer> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
    return raw('POST', '/identity/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }

  async function bearer(): Promise<string> {
    if (!token) {
      const answer = await fetchToken();
      token = (JSON.parse(answer.body.toString()) as { access_token: string }).access_token;
    }
    return token;
  }

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    retry = true,
  ): Promise<Envelope> {
    const auth = { authorization: `Bearer ${await bearer()}` };
    const init =
      body === undefined
        ? { headers: { ...auth, ...headers } }
        : { headers: { ...auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
    const answer = await raw(method, path, init);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.toString()}`);
    const envelope = JSON.parse(answer.body.toString()) as Envelope;
    // Tests move their clocks by days: renew an expired token once, as a real client would.
    if (retry && envelope.errors?.[0]?.code === '602') {
      token = undefined;
      return call(method, path, body, headers, false);
    }
    return envelope;
  }

  const first = (e: Envelope): Record<string, unknown> => {
    if (!e.success || !e.result?.[0]) throw new Error(`call failed: ${JSON.stringify(e.errors)}`);
    return e.result[0];
  };

  return {
    agent,
    raw,
    fetchToken,
    bearer,
    forgetToken: () => {
      token = undefined;
    },
    call,
    create: (body: unknown) => call('POST', `${JOB_PATH}/create.json`, body),
    enqueue: (id: string) => call('POST', `${JOB_PATH}/${id}/enqueue.json`),
    status: (id: string) => call('GET', `${JOB_PATH}/${id}/status.json`),
    cancel: (id: string) => call('POST', `${JOB_PATH}/${id}/cancel.json`),
    list: (query = '') => call('GET', `${JOB_PATH}.json${query}`),
    /** Creates and enqueues a job; returns its id. */
    async startJob(body: unknown): Promise<string> {
      const id = String(first(await this.create(body)).exportId);
      first(await this.enqueue(id));
      return id;
    },
    async statusOf(id: string): Promise<Record<string, unknown>> {
      return first(await this.status(id));
    },
    async file(id: string, range?: string): Promise<RawAnswer> {
      const headers: Record<string, string> = { authorization: `Bearer ${await bearer()}` };
      if (range) headers.range = range;
      return raw('GET', `${JOB_PATH}/${id}/file.json`, { headers });
    },
    first,
  };
}

export type SimClient = ReturnType<typeof simClient>;

/** A create-job body for [startAt, endAt) with optional extra filters and options. */
export function jobBody(
  startAt: string,
  endAt: string,
  extra: {
    format?: string;
    fields?: string[];
    columnHeaderNames?: Record<string, string>;
    filter?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  const { filter, ...options } = extra;
  return { format: 'CSV', ...options, filter: { createdAt: { startAt, endAt }, ...filter } };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses a whole export file; returns its records (header excluded) and header. */
export function parseExport(bytes: Buffer, delimiter = ','): { header: string[]; records: string[][] } {
  const rows = parse(bytes, { delimiter, record_delimiter: '\n', relax_column_count: false }) as string[][];
  const [header = [], ...records] = rows;
  return { header, records };
}
