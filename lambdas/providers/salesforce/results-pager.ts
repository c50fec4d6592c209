// A finished query job's results as ONE file: its result sets fetched in order by `Sforce-Locator`
// (the string "null" after the last), each held and checked before it is passed on — its records
// counted against `Sforce-NumberOfRecords`, its header dropped after the first set — and the total
// against the job's `numberRecordsProcessed`. A set that fails (dropped, cut short, miscounted) is
// fetched again by its locator. A pass can start from any set's position (results-position.ts).
import {
  ProviderApiError,
  RecordCountMismatchError,
  SourcePositionExpiredError,
  TransientApiError,
} from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { SalesforceApi } from './api';
import { headerOf, scanResultSet } from './result-set';
import type { ResultsPosition } from './results-position';

/** Far past any real job (50,000 sets of ≥ 1 record); beyond it a pass fails instead of looping. */
const MAX_SETS = 50_000;
/** What the org answers for a locator it no longer serves (the docs' spelling, and the one some orgs send). */
const REFUSED_LOCATOR = /^INVALID_?LOCATOR$/;

/** Times one set is fetched again after a miscount or a cut (connection retries are the API client's). */
const SET_ATTEMPTS = 3;

export interface ResultsTarget {
  readonly jobId: string;
  /** The version the job was created with: results fetched with another answer 409. */
  readonly apiVersion: string;
  readonly pageRecords: number;
  /** The job's numberRecordsProcessed. */
  readonly records: number;
}

export interface ResultSetRead {
  /** Where this set starts. */
  readonly position: ResultsPosition;
  /** The bytes it adds to the file (the first set with its header, later ones without). */
  readonly bytes: Buffer;
  /** The next set's position; undefined after the last set. */
  readonly next: ResultsPosition | undefined;
}

export interface PassStats {
  sets: number;
  refetches: number;
}

export class ResultsPager {
  constructor(
    private readonly api: SalesforceApi,
    private readonly logger: Logger,
  ) {}

  /** One set, verified, fetched again (same locator) when it arrives cut short or miscounted. */
  async fetchSet(target: ResultsTarget, at: ResultsPosition, stats: PassStats, signal?: AbortSignal) {
    const query = new URLSearchParams({ maxRecords: String(target.pageRecords) });
    if (at.locator !== '') query.set('locator', at.locator);
    const path = `${this.api.dataPath(`/jobs/query/${target.jobId}/results`, target.apiVersion)}?${query}`;
    const what = `Salesforce job ${target.jobId} result set ${at.set + 1}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.api.call({
          method: 'GET',
          path,
          kind: 'results',
          gzip: true,
          retryTransient: true,
          ...(signal ? { signal } : {}),
        });
        const stated = Number(res.headers['sforce-numberofrecords']);
        const locator = String(res.headers['sforce-locator'] ?? '');
        const scanned = scanResultSet(res.body, what);
        if (!Number.isSafeInteger(stated) || stated !== scanned.records)
          throw new TransientApiError(
            `${what}: ${scanned.records} records received, Sforce-NumberOfRecords says ${String(res.headers['sforce-numberofrecords'])}`,
            'set-count',
          );
        if (locator === '') throw new TransientApiError(`${what}: answered without Sforce-Locator`, 'no-locator');
        return { body: res.body, scanned, locator };
      } catch (error) {
        // The sets before a refused locator cannot be had by it: the file is read again from its first set.
        if (error instanceof ProviderApiError && REFUSED_LOCATOR.test(error.code ?? '') && at.locator !== '')
          throw new SourcePositionExpiredError(`${what}: the org refused its locator (${error.message})`, {
            cause: error,
          });
        if (!(error instanceof TransientApiError) || signal?.aborted) throw error;
        // A set that arrives whole yet miscounted every time is no passing fault: the file cannot be trusted.
        if (attempt >= SET_ATTEMPTS)
          throw error.code === 'set-count' ? new RecordCountMismatchError(error.message, { cause: error }) : error;
        stats.refetches += 1;
        this.logger.warn('salesforce result set failed its check; fetching it again by its locator', {
          jobId: target.jobId,
          set: at.set + 1,
          message: error.message,
        });
      }
    }
  }

  /** The sets from `from` on, in order, each verified; the last checks the job's total. */
  async *pass(
    target: ResultsTarget,
    from: ResultsPosition,
    stats: PassStats = { sets: 0, refetches: 0 },
    signal?: AbortSignal,
  ): AsyncGenerator<ResultSetRead> {
    let at: ResultsPosition = from;
    let header: Buffer | undefined;
    for (;;) {
      if (at.set >= MAX_SETS)
        throw new RecordCountMismatchError(`Salesforce job ${target.jobId}: still a locator after ${MAX_SETS} sets`);
      const { body, scanned, locator } = await this.fetchSet(target, at, stats, signal);
      stats.sets += 1;
      const setHeader = headerOf(body, scanned);
      if (header !== undefined && scanned.records > 0 && !setHeader.equals(header))
        throw new RecordCountMismatchError(`Salesforce job ${target.jobId}: set ${at.set + 1} has another header`);
      header ??= setHeader;
      const bytes = at.set === 0 ? body : body.subarray(scanned.headerEnd);
      const records = at.records + scanned.records;
      const last = locator === 'null';
      const next = last ? undefined : { set: at.set + 1, byte: at.byte + bytes.length, records, locator };
      if (last && records !== target.records)
        throw new RecordCountMismatchError(
          `Salesforce job ${target.jobId}: its result sets hold ${records} records, the job says numberRecordsProcessed ${target.records}`,
        );
      if (!last && scanned.records === 0)
        throw new RecordCountMismatchError(
          `Salesforce job ${target.jobId}: set ${at.set + 1} is empty yet not the last`,
        );
      yield { position: at, bytes, next };
      if (!next) return;
      at = next;
    }
  }
}
