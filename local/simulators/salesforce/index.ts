// A local stand-in for a Salesforce org's Bulk API 2.0 query jobs (and the token, /limits and describe
// endpoints a client needs), for tests and `npm start`: one HTTP server on 127.0.0.1, a random port.
// See README.md beside this file for the behaviour and the choices made where the docs are silent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { csvPage } from './csv';
import { advance, matchingRecords } from './jobs';
import { parseSoql } from './soql';
import { apiHandler } from './server';
import type { SalesforceFaults, SalesforceSimState, SalesforceSimulatorOptions, SimJobState } from './state';

export type { SalesforceFaults, SalesforceSimulatorOptions } from './state';

export interface SalesforceSimulator {
  /** The org's instance URL (what the token endpoint answers as `instance_url`). */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: SalesforceFaults;
  jobs(): Array<{
    id: string;
    state: SimJobState;
    operation: string;
    query: string;
    apiVersion: number;
    records: number;
    deleted: boolean;
    fetches: string[];
  }>;
  requests(): Array<{ method: string; path: string; query: Record<string, string> }>;
  /** The rows a job of this query would return now, as CSV with one header (the ground truth for a window). */
  expectedCsv(query: string, operation: 'query' | 'queryAll'): { csv: Buffer; records: number };
  stop(): Promise<void>;
}

export async function startSalesforceSimulator(options: SalesforceSimulatorOptions = {}): Promise<SalesforceSimulator> {
  const expire = () => {
    for (const session of state.sessions.values()) session.revoked = true;
  };
  const state: SalesforceSimState = {
    options: {
      seed: options.seed ?? 1,
      clientId: options.clientId ?? '3MVG9sim.client',
      clientSecret: options.clientSecret ?? 'sim-secret',
      recordsPerDay: options.recordsPerDay ?? 200,
      deletedEvery: options.deletedEvery ?? 17,
      queuedMs: options.queuedMs ?? 200,
      processingMs: options.processingMs ?? 500,
      maxRecordsPerPage: options.maxRecordsPerPage ?? 1000,
      gzip: options.gzip ?? 'always',
      sessionTimeoutMs: options.sessionTimeoutMs ?? 2 * 3_600_000,
      dailyBulkV2QueryJobs: options.dailyBulkV2QueryJobs ?? 10_000,
      dailyApiRequests: options.dailyApiRequests ?? 100_000,
      dailyFileStorageMb: options.dailyFileStorageMb ?? 1_000_000,
      latestApiVersion: options.latestApiVersion ?? 62,
    },
    now: options.now ?? (() => new Date()),
    faults: { expireSessions: expire },
    jobs: new Map(),
    sessions: new Map(),
    apiCalls: [],
    requests: [],
    jobCounter: 0,
    origin: '',
  };
  const server = createServer(apiHandler(state));
  state.origin = `http://127.0.0.1:${await listen(server)}`;

  return {
    baseUrl: state.origin,
    clientId: state.options.clientId,
    clientSecret: state.options.clientSecret,
    faults: state.faults,
    jobs: () =>
      [...state.jobs.values()].map((j) => {
        advance(state, j);
        return {
          id: j.id,
          state: j.state,
          operation: j.operation,
          query: j.query,
          apiVersion: j.apiVersion,
          records: j.records?.length ?? 0,
          deleted: j.deleted,
          fetches: [...j.fetches],
        };
      }),
    requests: () => [...state.requests],
    expectedCsv(query, operation) {
      const parsed = parseSoql(query);
      const rows = matchingRecords(state, { parsed, operation });
      return { csv: rows.length ? csvPage(parsed.fields, rows, 'COMMA', 'LF') : Buffer.alloc(0), records: rows.length };
    },
    stop: () => close(server),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
