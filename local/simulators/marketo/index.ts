// Marketo Bulk Extract simulator (activities, leads, program members, custom objects): a real HTTP
// server on 127.0.0.1 that behaves like the API (envelopes, limits, quotas, job lifecycle, ranged
// files, describe routes) with switches for every fault a client must survive. Used by the client's tests and by local runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { CallLimits } from './call-limits';
import { requestIdFactory } from './envelope';
import type { MarketoFaults } from './faults';
import { openFileRange } from './file-range-stream';
import { DeletedLeadsRoutes, type DeletedLeadsSimulator } from './deleted-leads';
import { InstanceTimeline } from './instance-timeline';
import { groundTruthBetween, mergesBetween, type LeadTruth, type MergeTruth } from './instance-truth';
import type { SimulatedJob } from './job-record';
import { JobStore } from './job-store';
import { createRequestHandler } from './marketo-server';
import { MarketoSimulatorOptionsSchema, type MarketoSimulatorOptions } from './options';
import { TokenStore } from './token-store';

export type { MarketoSimulatorOptions } from './options';
export type { LeadTruth, MergeTruth } from './instance-truth';
export type { MarketoFaults, InjectedError, CallKind } from './faults';
export type { SimulatedJob, JobStatusName, JobView } from './job-record';
export type { DeletedLeadRecord, DeletedLeadsFaults, DeletedLeadsSimulator } from './deleted-leads';
export { DELETED_LEAD_HAZARDS } from './deleted-leads';
export { nextChicagoMidnight, chicagoDay, MARKETO_TIME_ZONE } from './marketo-time';

export interface SimulatedInstance {
  /** Every lead the leads export wrote in [start, end) (whole days): newest values, deletion, final winner. */
  groundTruth(start: string, end: string): Map<number, LeadTruth>;
  /** Every merge in [start, end), as the activities export writes them. */
  merges(start: string, end: string): MergeTruth[];
}

export interface MarketoSimulatorStats {
  readonly total: number;
  readonly byKind: Record<string, number>;
  readonly maxConcurrent: number;
  /** Epoch ms (from `now`) of every API call, token requests excluded (they are not REST calls). */
  readonly callTimes: number[];
}

export interface MarketoSimulator {
  /** http://127.0.0.1:<port>; the identity service is at `${baseUrl}/identity`. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Mutable switches, read when they matter. */
  readonly faults: MarketoFaults;
  /** Get Deleted Leads: its records, fault switches and paging tokens. */
  readonly deletedLeads: DeletedLeadsSimulator;
  /** Ground truth of the simulated instance (instance-truth.ts); absent when `recordsPerDay` is 0. */
  readonly instance?: SimulatedInstance;
  /** All jobs with their current status. */
  jobs(): SimulatedJob[];
  stats(): MarketoSimulatorStats;
  /** Every request line (`METHOD /path?query`) received, in order. */
  requestLog(): string[];
  /** Request lines that carried the client secret, the client id or an issued token in the URL (should be none). */
  credentialsInUrls(): string[];
  /** Every issued token now answers 602. */
  expireTokens(): void;
  /** Sum of fileSize of jobs completed today (America/Chicago), as of the last API call. */
  exportedBytesToday(): number;
  /** The exact bytes of a completed job's file (streamed; never faulted). */
  fileStream(exportId: string): Readable;
  stop(): Promise<void>;
}

export async function startMarketoSimulator(options: MarketoSimulatorOptions = {}): Promise<MarketoSimulator> {
  const o = MarketoSimulatorOptionsSchema.parse(options);
  const now = o.now ?? (() => new Date());
  const faults: MarketoFaults = {};
  const tokens = new TokenStore(now, o.tokenTtlSeconds);
  const limits = new CallLimits({
    now,
    rateLimit: o.rateLimit,
    maxConcurrentCalls: o.maxConcurrentCalls,
    dailyCallLimit: o.dailyCallLimit,
  });
  // One instance over time: leads, activities and deleted leads all follow it (instance-timeline.ts).
  const timeline = o.recordsPerDay > 0 ? new InstanceTimeline(o.seed, o.recordsPerDay) : undefined;
  const store = new JobStore({
    now,
    queuedMs: o.queuedMs,
    processingMs: o.processingMs,
    maxProcessing: o.maxProcessing,
    maxQueued: o.maxQueued,
    dailyExportQuotaBytes: o.dailyExportQuotaBytes,
    seed: o.seed,
    recordsPerDay: o.recordsPerDay,
    ...(o.bytesPerJob !== undefined ? { bytesPerJob: o.bytesPerJob } : {}),
    checkpointBytes: o.fileCheckpointBytes,
    fileRetentionMs: o.fileRetentionDays * 86_400_000,
    faults,
    ...(timeline ? { timeline } : {}),
  });
  const deletedLeads = new DeletedLeadsRoutes(now, o.seed, o.deletedLeads, timeline);
  const stats = { total: 0, byKind: {} as Record<string, number>, callTimes: [] as number[] };
  const requestLog: string[] = [];
  const server = createServer(
    createRequestHandler({
      now,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      faults,
      tokens,
      limits,
      store,
      deletedLeads,
      requestId: requestIdFactory(now),
      stats,
      requestLog,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    faults,
    deletedLeads,
    ...(timeline
      ? {
          instance: {
            groundTruth: (start: string, end: string) =>
              groundTruthBetween(timeline, Date.parse(start), Date.parse(end), deletedLeads.recordsBetween(start, end)),
            merges: (start: string, end: string) => mergesBetween(timeline, Date.parse(start), Date.parse(end)),
          },
        }
      : {}),
    jobs: () => store.snapshot(),
    stats: () => ({
      total: stats.total,
      byKind: { ...stats.byKind },
      maxConcurrent: limits.maxConcurrent,
      callTimes: [...stats.callTimes],
    }),
    requestLog: () => [...requestLog],
    credentialsInUrls: () => {
      const credentials = [o.clientId, o.clientSecret, ...tokens.issuedTokens()];
      return requestLog.filter((line) => {
        const decoded = safeDecode(line);
        return credentials.some((c) => line.includes(c) || decoded.includes(c) || line.includes(encodeURIComponent(c)));
      });
    },
    expireTokens: () => tokens.expireAll(),
    exportedBytesToday: () => store.exportedBytesToday(),
    fileStream: (exportId) => {
      const file = store.fileOf(exportId);
      if (!file) throw new Error(`export ${exportId} has no completed file`);
      return openFileRange(file.generator, file.index, 0, file.index.size - 1);
    },
    stop: async () => {
      store.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
