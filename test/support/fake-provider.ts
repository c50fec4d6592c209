// An ExportProvider in memory whose jobs follow a script the test writes (queued → running →
// succeeded with files, failed, cancelled), whose start can answer busy or deferred at create or at
// enqueue (as Marketo does), and whose files are Buffers served with or without Range. It logs every
// "remote" call so tests can say what reached the provider, and it passes the provider contract suite.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { LinkExpiredError, ProviderApiError, RangeMismatchError, ValidationError } from '../../lambdas/shared/errors';
import type {
  CancelOutcome,
  ExportProvider,
  ExportWindow,
  JobRef,
  JobStatus,
  OpenedRange,
  ProviderLimits,
  ProviderName,
  ProviderRequest,
  RangeRequest,
  RemoteFile,
  StartJobHooks,
  StartJobResult,
} from '../../lambdas/providers/types';

export interface FakeFile {
  readonly bytes: Buffer;
  /** @default 'csv' */
  readonly format?: RemoteFile['format'];
  /** Whether Range is honoured (206) or ignored (200 with the whole file). @default true */
  readonly honoursRange?: boolean;
  /** What the provider says about the file; `false` says nothing, a value says that (right or wrong). @default the truth */
  readonly statedSize?: number | false;
  readonly statedSha256?: string | false;
}

/** One poll's answer; the last step of a script repeats. */
export type FakeStep =
  | { readonly state: 'queued' | 'running' }
  | { readonly state: 'succeeded'; readonly files?: readonly FakeFile[]; readonly records?: number }
  | { readonly state: 'failed'; readonly message?: string }
  | { readonly state: 'cancelled' };

/** How a create or an enqueue answers instead of going through. */
export type FakeRefusal =
  | { readonly kind: 'busy'; readonly retryAfterSeconds?: number; readonly reason?: string }
  | { readonly kind: 'deferred'; readonly until: string; readonly reason?: string }
  | { readonly kind: 'throw'; readonly error: Error };

export type FakeCall = 'create' | 'enqueue' | 'status' | 'open' | 'cancel' | 'refresh';

export interface FakeJob {
  readonly id: string;
  readonly window: ExportWindow;
  readonly request: ProviderRequest;
  readonly script: readonly FakeStep[];
  enqueued: boolean;
  /** Polls answered so far (the script position). */
  polls: number;
  cancelled: boolean;
}

export interface FakeProviderOptions {
  readonly name?: ProviderName;
  readonly limits?: Partial<ProviderLimits>;
  /** The script of every job unless `scriptNextJob` says otherwise. @default queued → running → succeeded with one small CSV */
  readonly script?: readonly FakeStep[];
  /** Seconds between polls while a job runs. @default limits.minPollSeconds */
  readonly pollSeconds?: number;
  /** When jobs are created (ISO-8601). @default 2026-01-01T00:00:00Z */
  readonly now?: () => Date;
}

export const FAKE_LIMITS: ProviderLimits = {
  maxWindowDays: 31,
  maxConcurrentJobs: 2,
  minPollSeconds: 60,
  fileRetentionDays: 7,
  cancelsJobs: true,
};

const FORMATS = ['csv', 'tsv', 'ssv'] as const;
const REQUEST_KEYS = new Set(['format', 'until']);

export function csvBytes(header: readonly string[], rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from([header, ...rows].map((r) => `${r.join(',')}\n`).join(''), 'utf8');
}

export const DEFAULT_FILE: FakeFile = {
  bytes: csvBytes(
    ['id', 'at'],
    [
      ['1', '2026-01-01T00:00:00Z'],
      ['2', '2026-01-01T01:00:00Z'],
    ],
  ),
};
export const DEFAULT_SCRIPT: readonly FakeStep[] = [
  { state: 'queued' },
  { state: 'running' },
  { state: 'succeeded', files: [DEFAULT_FILE], records: 2 },
];

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The fake's request: `format` (csv|tsv|ssv, default csv) and `until` (an instant no window may end
 * after), so both an option and a window can be wrong. Returns the request normalized.
 */
export function validateFakeRequest(request: unknown, window?: ExportWindow): ProviderRequest {
  if (request === undefined || request === null) request = {};
  if (typeof request !== 'object' || Array.isArray(request)) throw new ValidationError('request', 'must be an object');
  const r = request as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!REQUEST_KEYS.has(key)) throw new ValidationError(key, 'is not a known option');
  const format = r.format ?? 'csv';
  if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format))
    throw new ValidationError('format', `must be one of ${FORMATS.join(', ')}`);
  const until = r.until;
  if (until !== undefined && (typeof until !== 'string' || Number.isNaN(Date.parse(until))))
    throw new ValidationError('until', 'must be an ISO-8601 instant');
  if (window) {
    if (!(Date.parse(window.start) < Date.parse(window.end)))
      throw new ValidationError('window.end', 'must be after window.start');
    if (until !== undefined && Date.parse(window.end) > Date.parse(until))
      throw new ValidationError('until', `the window ends after ${until}`);
  }
  return { format, ...(until !== undefined ? { until } : {}) };
}

export class FakeProvider implements ExportProvider {
  readonly name: ProviderName;
  readonly host = 'fake-provider.test';
  readonly limits: ProviderLimits;
  /** Every call that would have reached the remote API, in order. `validate` never appears. */
  readonly calls: Array<{ readonly call: FakeCall; readonly jobId?: string }> = [];
  /** Answers for the next creates / enqueues, taken in order; empty means the call goes through. */
  readonly createRefusals: FakeRefusal[] = [];
  readonly enqueueRefusals: FakeRefusal[] = [];
  /** Errors the next openRange calls throw (before any byte), taken in order. */
  readonly openFailures: Error[] = [];
  /** Errors the next cancelJob calls throw, taken in order. */
  readonly cancelFailures: Error[] = [];
  private readonly jobsById = new Map<string, FakeJob>();
  private readonly nextScripts: Array<readonly FakeStep[]> = [];
  private readonly script: readonly FakeStep[];
  private readonly pollSeconds: number;
  private readonly now: () => Date;
  private linkGeneration = 0;

  constructor(options: FakeProviderOptions = {}) {
    this.name = options.name ?? 'marketo';
    this.limits = { ...FAKE_LIMITS, ...options.limits };
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.pollSeconds = options.pollSeconds ?? this.limits.minPollSeconds;
    this.now = options.now ?? (() => new Date('2026-01-01T00:00:00Z'));
  }

  /** The next created job follows `script` (queue several for several jobs). */
  scriptNextJob(...script: FakeStep[]): void {
    this.nextScripts.push(script);
  }

  jobs(): FakeJob[] {
    return [...this.jobsById.values()];
  }

  count(call: FakeCall): number {
    return this.calls.filter((c) => c.call === call).length;
  }

  /** Links handed out so far stop working (LinkExpiredError); refreshFile hands out working ones. */
  expireLinks(): void {
    this.linkGeneration += 1;
  }

  validate(request: unknown, window?: ExportWindow): ProviderRequest {
    return validateFakeRequest(request, window);
  }

  async startJob(
    window: ExportWindow,
    request: ProviderRequest,
    existing?: JobRef,
    hooks?: StartJobHooks,
  ): Promise<StartJobResult> {
    const normalized = validateFakeRequest(request, window);
    if (existing) {
      const job = this.job(existing.id, 'status');
      // A job that ended without a file can never produce one: like Marketo, make a new one.
      const ended = this.stepOf(job).state;
      if (ended !== 'failed' && ended !== 'cancelled') {
        return job.enqueued ? this.started(job) : this.enqueue(job);
      }
    }
    const refusal = this.createRefusals.shift();
    this.calls.push({ call: 'create' });
    if (refusal) return this.refused(refusal);
    const id = `fake-${this.jobsById.size + 1}`;
    const job: FakeJob = {
      id,
      window: { ...window },
      request: normalized,
      script: this.nextScripts.shift() ?? this.script,
      enqueued: false,
      polls: 0,
      cancelled: false,
    };
    this.jobsById.set(id, job);
    await hooks?.onCreated?.(this.ref(job));
    return this.enqueue(job);
  }

  async checkJob(ref: JobRef, pollCount: number): Promise<JobStatus> {
    const job = this.job(ref.id, 'status');
    const step = this.stepOf(job);
    if (job.enqueued && !job.cancelled) job.polls += 1;
    const terminal = step.state === 'succeeded' || step.state === 'failed' || step.state === 'cancelled';
    const files = step.state === 'succeeded' ? (step.files ?? []).map((f, i) => this.remoteFile(job, f, i + 1)) : [];
    return {
      state: step.state,
      files,
      ...(step.state === 'succeeded' && step.records !== undefined ? { records: step.records } : {}),
      nextPollSeconds: terminal ? 0 : this.pollSeconds * Math.min(pollCount + 1, 5),
      providerStatus: job.enqueued ? step.state : 'created',
      ...(step.state === 'failed' ? { message: step.message ?? 'the fake job failed' } : {}),
    };
  }

  async openRange(file: RemoteFile, range: RangeRequest): Promise<OpenedRange> {
    this.calls.push({ call: 'open' });
    const failure = this.openFailures.shift();
    if (failure) throw failure;
    const { data, honoursRange } = this.fileAt(file);
    if (range.start > data.bytes.length)
      throw new RangeMismatchError(`range start ${range.start} is past the end of the ${data.bytes.length}-byte file`);
    if (!honoursRange)
      return { ranged: false, start: 0, totalSize: data.bytes.length, body: Readable.from([Buffer.from(data.bytes)]) };
    const end = Math.min(range.endInclusive ?? data.bytes.length - 1, data.bytes.length - 1);
    const body = data.bytes.subarray(range.start, end + 1);
    return {
      ranged: true,
      start: range.start,
      totalSize: data.bytes.length,
      body: Readable.from(body.length > 0 ? [Buffer.from(body)] : []),
    };
  }

  async cancelJob(ref: JobRef): Promise<CancelOutcome> {
    const job = this.job(ref.id, 'cancel');
    const failure = this.cancelFailures.shift();
    if (failure) throw failure;
    const state = this.stepOf(job).state;
    // Cancelling a job that already ended changes nothing.
    if (state !== 'queued' && state !== 'running') return 'ended';
    job.cancelled = true;
    return 'cancelled';
  }

  async refreshFile(ref: JobRef, file: RemoteFile): Promise<RemoteFile> {
    const job = this.job(ref.id, 'refresh');
    const step = this.stepOf(job);
    const fresh = step.state === 'succeeded' ? step.files?.[file.index - 1] : undefined;
    if (!fresh) throw new ProviderApiError(`job ${ref.id} no longer offers file ${file.index}`);
    return { ...file, source: this.remoteFile(job, fresh, file.index).source };
  }

  private job(id: string, call: FakeCall): FakeJob {
    this.calls.push({ call, jobId: id });
    const job = this.jobsById.get(id);
    if (!job) throw new ProviderApiError(`no job ${id}`, 'unknown-job');
    return job;
  }

  private stepOf(job: FakeJob): FakeStep {
    if (job.cancelled) return { state: 'cancelled' };
    if (!job.enqueued) return { state: 'queued' };
    return job.script[Math.min(job.polls, job.script.length - 1)] ?? { state: 'queued' };
  }

  private ref(job: FakeJob): JobRef {
    return {
      id: job.id,
      enqueued: job.enqueued,
      createdAt: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  private started(job: FakeJob): StartJobResult {
    return { kind: 'started', job: this.ref(job), pollAfterSeconds: this.pollSeconds };
  }

  private async enqueue(job: FakeJob): Promise<StartJobResult> {
    this.calls.push({ call: 'enqueue', jobId: job.id });
    const refusal = this.enqueueRefusals.shift();
    if (refusal) return this.refused(refusal, job);
    job.enqueued = true;
    return this.started(job);
  }

  private refused(refusal: FakeRefusal, job?: FakeJob): StartJobResult {
    const parked = job ? { job: this.ref(job) } : {};
    switch (refusal.kind) {
      case 'throw':
        throw refusal.error;
      case 'busy':
        return {
          kind: 'busy',
          retryAfterSeconds: refusal.retryAfterSeconds ?? 300,
          reason: refusal.reason ?? 'queue full',
          ...parked,
        };
      case 'deferred':
        return { kind: 'deferred', until: refusal.until, reason: refusal.reason ?? 'quota used up', ...parked };
    }
  }

  private remoteFile(job: FakeJob, file: FakeFile, index: number): RemoteFile {
    const size = file.statedSize === undefined ? file.bytes.length : file.statedSize;
    const hash = file.statedSha256 === undefined ? sha256(file.bytes) : file.statedSha256;
    return {
      index,
      source: { kind: 'api', path: `/jobs/${job.id}/files/${index}?link=${this.linkGeneration}` },
      sendCredentials: true,
      ...(size !== false ? { size } : {}),
      ...(hash !== false ? { sha256: hash } : {}),
      rangeSupport: file.honoursRange === false ? 'no' : 'yes',
      format: file.format ?? 'csv',
    };
  }

  private fileAt(file: RemoteFile): { data: FakeFile; honoursRange: boolean } {
    const match =
      file.source.kind === 'api' ? /^\/jobs\/([^/]+)\/files\/(\d+)\?link=(\d+)$/.exec(file.source.path) : null;
    if (!match) throw new ProviderApiError(`not a fake file: ${JSON.stringify(file.source)}`);
    const [, id = '', index = '', generation = ''] = match;
    if (Number(generation) !== this.linkGeneration)
      throw new LinkExpiredError(`link ${index} of job ${id} has expired`);
    const job = this.jobsById.get(id);
    const step = job ? this.stepOf(job) : undefined;
    const data = step?.state === 'succeeded' ? step.files?.[Number(index) - 1] : undefined;
    if (!data) throw new ProviderApiError(`job ${id} has no file ${index}`);
    return { data, honoursRange: data.honoursRange !== false };
  }
}
