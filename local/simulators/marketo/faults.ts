// Switches a test flips to make the simulator misbehave the ways real Marketo does. All optional and
// read at the moment they matter, so a test may set them at any time.

/** What a call is, for counting and for aiming injected errors. */
export type CallKind =
  | 'token'
  | 'create'
  | 'enqueue'
  | 'status'
  | 'file'
  | 'cancel'
  | 'list'
  | 'types'
  | 'describe'
  | 'pagingtoken'
  | 'deletedleads'
  | 'assets';

export const CALL_KINDS: readonly CallKind[] = [
  'token',
  'create',
  'enqueue',
  'status',
  'file',
  'cancel',
  'list',
  'types',
  'describe',
  'pagingtoken',
  'deletedleads',
  'assets',
];

/** Transport-level faults instead of a Marketo error body. */
export type TransportFault = 'http502' | 'http503' | 'http500' | 'reset';

export interface InjectedError {
  /** A Marketo code ('604', '1029', …) answered as HTTP 200 `{success:false}`, or a TransportFault. */
  code: string;
  /** Defaults to Marketo's message for the code. */
  message?: string;
  /** How many more calls get this answer; the entry is dropped at 0. */
  times: number;
  /** Which calls it hits. Omitted: every API call except 'token' (name 'token' to hit the identity endpoint). */
  kinds?: string[];
}

export interface MarketoFaults {
  /** The next job to reach Processing ends Failed with this errorMsg. */
  failNextJob?: string;
  /** Jobs whose window starts at this instant (epoch ms, as `filter.createdAt.startAt` parses) end Failed: aims a failure at one window. */
  failJobsStartingAt?: { startMs: number; errorMsg: string };
  /** Files of jobs whose window starts at one of these instants (epoch ms) carry an untypeable value (poisoned-rows.ts). */
  poisonJobsStartingAt?: number[];
  /** Processing jobs never complete while this is true. */
  stuckJobs?: boolean;
  injectErrors?: InjectedError[];
  /** A rate-limit storm measured on the simulator's clock (see RateStorm). */
  rateStorm?: RateStorm;
  /** File bodies are cut (socket destroyed) after this many body bytes, `times` responses in a row. */
  dropConnectionAfterBytes?: { afterBytes: number; times: number };
  /** The served file has the byte at this file offset flipped; status keeps the true checksum. */
  corruptByteAt?: number;
  /** File bodies are sent at about this rate (real time). */
  slowBytesPerSecond?: number;
  /** File requests get 200 and the whole file even when they send Range. */
  ignoreRange?: boolean;
  /** Generated data contains NUL bytes in some values (fixed for a job when its file is built). */
  includeNulByte?: boolean;
  /**
   * A poison value: activity files of jobs whose window starts at `startMs` (omitted: every activities
   * job) carry `value` (default `not-a-date`, which no timestamp accepts) as the activityDate of row
   * `row` (0-based, default 0: record 1). Stays set until a test clears it ("the source was fixed");
   * fixed for a job when its file is built. Every other value of the file is as without it.
   */
  poisonValue?: PoisonValue;
  /**
   * Filter types this "subscription" lacks (e.g. `['smartListName']`): a create of leads or custom
   * objects using one answers 1035, as Marketo does on subscriptions without that filter.
   */
  unsupportedFilters?: string[];
  /** The Asset API listings (asset-route.ts): more assets than the instance's own, and how a listing ends. */
  assetListing?: AssetListingSwitches;
}

export interface AssetListingSwitches {
  /** Made-up assets added to every listing (ids past the real ones), for paging across many pages. */
  extraPerType?: number;
  /**
   * What a page past the end answers: `warning` (success, no result, "No assets found for the given
   * search criteria.", the documented answer) or the code some listings answer instead (702, 709).
   * @default 'warning'
   */
  endAnswer?: 'warning' | '702' | '709';
}

export interface PoisonValue {
  readonly startMs?: number;
  readonly row?: number;
  readonly value?: string;
}

/** The default poison: a non-date in the activityDate (timestamp) column. */
export const DEFAULT_POISON_VALUE = 'not-a-date';

/** The poisoned row of a job's file, if the poisonValue fault aims at its window (`startMs`). */
export function poisonFor(faults: MarketoFaults, windowStartMs: number): { row: number; value: string } | undefined {
  const poison = faults.poisonValue;
  if (!poison || (poison.startMs !== undefined && poison.startMs !== windowStartMs)) return undefined;
  return { row: poison.row ?? 0, value: poison.value ?? DEFAULT_POISON_VALUE };
}

/**
 * Every call it aims at answers `code` (606 "more than 100 calls in 20 s", 615 "more than 10 at once",
 * 607 "daily quota") from the first one it meets until `forMs` of the simulator's clock have passed:
 * a storm as long as a busy instance has them, however often the client comes back. The simulator
 * fills in when it began and ended and how many calls it refused; it is dropped when over.
 */
export interface RateStorm {
  code: string;
  forMs: number;
  /** Omitted: every API call but 'token'. */
  kinds?: string[];
  /** Filled in by the simulator (epoch ms of its clock). */
  firstAtMs?: number;
  lastAtMs?: number;
  refused?: number;
}

/** Whether a call of `kind` now is refused by the storm, and with which code. */
export function takeStormRefusal(faults: MarketoFaults, kind: CallKind, nowMs: number): string | undefined {
  const storm = faults.rateStorm;
  if (!storm || !(storm.kinds ? storm.kinds.includes(kind) : kind !== 'token')) return undefined;
  storm.firstAtMs ??= nowMs;
  if (nowMs - storm.firstAtMs >= storm.forMs) {
    delete faults.rateStorm;
    return undefined;
  }
  storm.lastAtMs = nowMs;
  storm.refused = (storm.refused ?? 0) + 1;
  return storm.code;
}

/** Takes one use of the first injected error aimed at `kind`, if any. */
export function takeInjectedError(
  faults: MarketoFaults,
  kind: CallKind,
): { code: string; message?: string } | undefined {
  const list = faults.injectErrors;
  if (!list) return undefined;
  const index = list.findIndex((e) => e.times > 0 && (e.kinds ? e.kinds.includes(kind) : kind !== 'token'));
  const entry = list[index];
  if (!entry) return undefined;
  entry.times -= 1;
  if (entry.times <= 0) list.splice(index, 1);
  return entry.message === undefined ? { code: entry.code } : { code: entry.code, message: entry.message };
}

/** Takes one use of the connection-drop fault, returning after how many bytes to cut. */
export function takeConnectionDrop(faults: MarketoFaults): number | undefined {
  const drop = faults.dropConnectionAfterBytes;
  if (!drop || drop.times <= 0) return undefined;
  drop.times -= 1;
  if (drop.times <= 0) delete faults.dropConnectionAfterBytes;
  return drop.afterBytes;
}
