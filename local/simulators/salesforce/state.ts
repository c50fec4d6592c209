// The simulator's options, fault switches and mutable state.
import type { ColumnDelimiter, LineEnding } from './csv';
import type { ParsedQuery } from './soql';

export interface SalesforceSimulatorOptions {
  readonly seed?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Records a UTC day, per object. @default 200 */
  readonly recordsPerDay?: number;
  /** Every n-th record is deleted (in the Recycle Bin; only queryAll returns it). @default 17 */
  readonly deletedEvery?: number;
  /** How long a job stays queued, then in progress. @default 200 / 500 ms */
  readonly queuedMs?: number;
  readonly processingMs?: number;
  /** Records per result set when the client asks for no maxRecords (or more). @default 1000 */
  readonly maxRecordsPerPage?: number;
  /** Whether result sets are gzipped when the client accepts it ("sometimes": every other set). @default 'always' */
  readonly gzip?: 'always' | 'never' | 'sometimes';
  /** Idle time after which a token answers INVALID_SESSION_ID. @default 2 h */
  readonly sessionTimeoutMs?: number;
  /** Daily limits as /limits reports them. */
  readonly dailyBulkV2QueryJobs?: number;
  readonly dailyApiRequests?: number;
  readonly dailyFileStorageMb?: number;
  /** The newest API version the org speaks. @default 62.0 */
  readonly latestApiVersion?: number;
  /** The simulator's clock (tests move it). @default real time */
  readonly now?: () => Date;
}

export interface SalesforceFaults {
  /** The next `times` API calls (token excluded) answer this status and error (optionally on one route only). */
  errorNext?: { status: number; errorCode: string; message: string; times: number; route?: string };
  /** The next created job ends Failed with this errorMessage. */
  failNextJob?: string;
  /** Result set number n (1-based) of the next job fetched cuts its body after this many bytes, once. */
  truncateSet?: { set: number; afterBytes: number };
  /** Every token issued so far stops working (the session expired). */
  expireSessions(): void;
}

export type SimJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface SimJob {
  readonly id: string;
  readonly operation: 'query' | 'queryAll';
  readonly query: string;
  readonly parsed: ParsedQuery;
  readonly apiVersion: number;
  readonly columnDelimiter: ColumnDelimiter;
  readonly lineEnding: LineEnding;
  readonly createdMs: number;
  state: SimJobState;
  errorMessage?: string;
  /** Built when the job completes: the matching records, in result order. */
  records?: ReadonlyArray<Readonly<Record<string, string | null>>>;
  deleted: boolean;
  abortedMs?: number;
  /** Result sets fetched (by locator), for tests. */
  readonly fetches: string[];
}

export interface SimSession {
  readonly token: string;
  lastUsedMs: number;
  revoked: boolean;
}

export interface SalesforceSimState {
  readonly options: Required<Omit<SalesforceSimulatorOptions, 'now'>>;
  readonly now: () => Date;
  readonly faults: SalesforceFaults;
  readonly jobs: Map<string, SimJob>;
  readonly sessions: Map<string, SimSession>;
  /** When each counted API call was made (the rolling 24 h of DailyApiRequests). */
  readonly apiCalls: number[];
  readonly requests: Array<{ method: string; path: string; query: Record<string, string> }>;
  jobCounter: number;
  origin: string;
}
