// Everything one simulator instance remembers: options, faults, counters, tasks.
import type { createActivityStore } from './activity-data';

export interface ClickwrapSimulatorOptions {
  /** The Bearer token the API accepts (default: a fresh random one). */
  readonly apiToken?: string;
  readonly seed?: number;
  /** Activities generated per UTC day (before filters). */
  readonly recordsPerDay?: number;
  /** Rows per CSV: a task with more rows gets several links. */
  readonly rowsPerFile?: number;
  /** Time from task creation to links (pending for the first half, processing for the second). */
  readonly processingMs?: number;
  /** Lifetime of each issued link. */
  readonly linkTtlMs?: number;
  /** Whether the file host answers Range with 206 (true) or ignores it with 200 (false). */
  readonly fileHostHonoursRange?: boolean;
  /** Retry-After seconds on simulated 429s. */
  readonly retryAfterSeconds?: number;
  readonly now?: () => Date;
}

export interface ClickwrapSimulatorFaults {
  /** Answer the next n API calls 429 with Retry-After. */
  rateLimitNext?: number;
  /** Answer the next n file-host requests 429 with Retry-After. */
  rateLimitFilesNext?: number;
  /** The next created task fails with this message. */
  failNextTask?: string;
  /** The next created task's links all point at this URL (an SSRF attempt). */
  hostileLinks?: string;
  /** How links are written: bare strings (default) or objects with `url` / `href`. */
  linkStyle?: 'string' | 'url' | 'href';
  /** Tasks created from now on serve their CSVs from the API host (Bearer required) instead of the file host. */
  linksOnApiHost?: boolean;
  /** The file host's 206 answers carry a Content-Range shifted by one byte. */
  wrongContentRange?: boolean;
  /** The next created task writes this value into this top-level field of its first row (a value no type accepts). */
  badValueNext?: { readonly field: string; readonly value: string };
  /**
   * Bad data that stays until it is fixed: while set, every task whose created_time range holds `atMs`
   * writes `value` into `field` of its first row (a poison value no type accepts, re-exported alike).
   */
  poison?: { readonly field: string; readonly value: string; readonly atMs: number };
  /** The next `times` API calls answer this status and raw body. */
  errorNext?: { status: number; body: string; times: number };
  /** Every link issued so far stops working (403); later polls issue fresh ones. */
  readonly expireLinksNow: () => void;
}

export interface SimTask {
  readonly id: string;
  readonly createdMs: number;
  readonly filter: string;
  readonly fields: readonly string[];
  readonly failMessage?: string;
  readonly hostileLinks?: string;
  readonly badValue?: { readonly field: string; readonly value: string };
  readonly linkStyle: 'string' | 'url' | 'href';
  readonly onApiHost: boolean;
  files?: Buffer[];
  links: string[];
  status: string;
}

export interface SimStats {
  total: number;
  byPath: Record<string, number>;
  authHeadersOnFileHost: number;
  rateLimited: number;
}

export interface RecordedRequest {
  readonly host: 'api' | 'files';
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface SimState {
  readonly apiToken: string;
  readonly seed: number;
  readonly rowsPerFile: number;
  readonly processingMs: number;
  readonly linkTtlMs: number;
  readonly honourRange: boolean;
  readonly retryAfterSeconds: number;
  readonly now: () => Date;
  readonly store: ReturnType<typeof createActivityStore>;
  /** HMAC key for link signatures. */
  readonly signingKey: Buffer;
  readonly faults: ClickwrapSimulatorFaults;
  readonly stats: SimStats;
  readonly requests: RecordedRequest[];
  readonly tasks: Map<string, SimTask>;
  linkGeneration: number;
  taskCounter: number;
  apiOrigin: string;
  fileHostOrigin: string;
}

export function count(state: SimState, key: string, request: RecordedRequest): void {
  state.stats.total += 1;
  state.stats.byPath[key] = (state.stats.byPath[key] ?? 0) + 1;
  state.requests.push(request);
  if (state.requests.length > 2000) state.requests.shift();
}
