// The provider contract (lambdas/providers/types.ts) as one suite every provider runs against its own
// simulator: what the workflow steps rely on, whatever the provider. A provider that truly lacks a
// capability declares it in its harness, and the suite reports the test skipped under that reason.
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ExportProvider,
  ExportWindow,
  JobRef,
  JobStatus,
  ProviderRequest,
  RemoteFile,
  StartJobResult,
} from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import { ValidationError } from '../../../../lambdas/shared/errors';

export interface ContractHarness {
  readonly provider: ExportProvider;
  readonly window: ExportWindow;
  /** A valid request, as an export's config would hold it (the suite validates it first, as Plan does). */
  readonly request: unknown;
  /** A request the provider must refuse, and the field its ValidationError must name. */
  readonly badRequest: { readonly request: unknown; readonly window?: ExportWindow; readonly field: string };
  /** Every request that reached the provider's remote side so far (all hosts, token calls included). */
  remoteCalls(): number;
  /** Jobs the remote side was asked to create, and to enqueue (0 for a provider whose jobs run once created). */
  jobCalls(): { readonly created: number; readonly enqueued: number };
  /** Lets the remote side's time pass and polls until the job is terminal. */
  runToEnd(job: JobRef): Promise<JobStatus>;
  /** The next job created ends in failure. */
  failNextJob(): void;
  /** A capability the provider lacks, with the reason (the suite skips its tests and says why). */
  readonly lacks?: { readonly cancel?: string };
  close(): Promise<void>;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Equal after JSON, with no key lost to `undefined` and no class instance turned into a plain object. */
function expectJsonSafe(value: unknown): void {
  expect(JSON.parse(JSON.stringify(value))).toStrictEqual(value);
}

export function runProviderContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`provider contract: ${name}`, () => {
    const open: ContractHarness[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((h) => h.close()));
    });
    const harness = async () => {
      const h = await makeHarness();
      open.push(h);
      return h;
    };
    const validRequest = (h: ContractHarness): ProviderRequest => h.provider.validate(h.request, h.window);
    const start = async (
      h: ContractHarness,
      existing?: JobRef,
    ): Promise<{ result: StartJobResult; created: JobRef[] }> => {
      const created: JobRef[] = [];
      const result = await h.provider.startJob(h.window, validRequest(h), existing, {
        onCreated: async (job) => {
          created.push(job);
        },
      });
      return { result, created };
    };
    const startedJob = async (h: ContractHarness): Promise<JobRef> => {
      const { result } = await start(h);
      if (result.kind !== 'started') throw new Error(`${name} did not start a job: ${result.kind}`);
      return result.job;
    };
    const firstFile = (status: JobStatus): RemoteFile => {
      const file = status.files[0];
      if (status.state !== 'succeeded' || !file)
        throw new Error(`${name}: expected a succeeded job with a file, got ${status.state}`);
      return file;
    };

    it('validate is pure: no call reaches the provider, its output validates to itself and survives JSON', async () => {
      const h = await harness();
      const normalized = h.provider.validate(h.request);
      const forWindow = h.provider.validate(h.request, h.window);
      // Plan hands the normalized request to StartJob, which validates it again.
      expect(h.provider.validate(forWindow, h.window)).toStrictEqual(forWindow);
      expectJsonSafe(normalized);
      expectJsonSafe(forWindow);
      expect(h.remoteCalls()).toBe(0);
    });

    it('a bad request is refused with a ValidationError naming the field, by validate and by startJob, before any call', async () => {
      const h = await harness();
      const { request, window = h.window, field } = h.badRequest;
      let thrown: unknown;
      try {
        h.provider.validate(request, window);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect(thrown).toMatchObject({ name: 'ValidationError', field });
      await expect(h.provider.startJob(window, request as ProviderRequest)).rejects.toMatchObject({
        name: 'ValidationError',
        field,
      });
      expect(h.remoteCalls()).toBe(0);
    });

    it('startJob creates one job and runs onCreated once, before the enqueue, with the job it returns', async () => {
      const h = await harness();
      let seenInHook: { created: number; enqueued: number } | undefined;
      const created: JobRef[] = [];
      const result = await h.provider.startJob(h.window, validRequest(h), undefined, {
        onCreated: async (job) => {
          seenInHook = { ...h.jobCalls() };
          created.push(job);
        },
      });
      expect(result.kind).toBe('started');
      expect(seenInHook).toEqual({ created: 1, enqueued: 0 });
      expect(created).toHaveLength(1);
      expect(result.job?.id).toBe(created[0]?.id);
      expect(h.jobCalls().created).toBe(1);
    });

    it('a failing onCreated stops startJob: nothing is enqueued after it', async () => {
      const h = await harness();
      const refused = new Error('could not record the job');
      await expect(
        h.provider.startJob(h.window, validRequest(h), undefined, {
          onCreated: async () => {
            throw refused;
          },
        }),
      ).rejects.toBe(refused);
      expect(h.jobCalls()).toEqual({ created: 1, enqueued: 0 });
    });

    it('startJob with an existing live job resumes it: nothing is created, onCreated does not run', async () => {
      const h = await harness();
      const job = await startedJob(h);
      const again = await start(h, job);
      expect(again.result).toMatchObject({ kind: 'started', job: { id: job.id } });
      expect(again.created).toEqual([]);
      // Also once the job has its files: a retried StartJob after the job finished reuses it.
      await h.runToEnd(job);
      const late = await start(h, job);
      expect(late.result).toMatchObject({ kind: 'started', job: { id: job.id } });
      expect(late.created).toEqual([]);
      expect(h.jobCalls().created).toBe(1);
    });

    it('startJob with an existing job that failed either resumes it or reports the new one through onCreated', async () => {
      const h = await harness();
      h.failNextJob();
      const job = await startedJob(h);
      expect((await h.runToEnd(job)).state).toBe('failed');
      const again = await start(h, job);
      if (!again.result.job) throw new Error('no job');
      const replaced = again.result.job.id !== job.id;
      expect(again.created.map((j) => j.id)).toEqual(replaced ? [again.result.job.id] : []);
      expect(h.jobCalls().created).toBe(replaced ? 2 : 1);
    });

    it('every result survives a JSON round-trip unchanged: start, each check, the files', async () => {
      const h = await harness();
      const { result } = await start(h);
      expectJsonSafe(result);
      if (result.kind !== 'started') throw new Error('not started');
      const first = await h.provider.checkJob(result.job, 0);
      expectJsonSafe(first);
      const done = await h.runToEnd(result.job);
      expectJsonSafe(done);
      expect(done.files.length).toBeGreaterThan(0);
      for (const file of done.files) expectJsonSafe(file);
    });

    it('a check says when to poll again only while the job runs; a terminal one carries no next poll', async () => {
      const h = await harness();
      const job = await startedJob(h);
      const running = await h.provider.checkJob(job, 0);
      expect(TERMINAL_JOB_STATES.has(running.state)).toBe(false);
      expect(running.nextPollSeconds).toBeGreaterThan(0);
      expect(running.files).toEqual([]);
      const succeeded = await h.runToEnd(job);
      expect(succeeded).toMatchObject({ state: 'succeeded', nextPollSeconds: 0 });

      h.failNextJob();
      const failing = await startedJob(h);
      const failed = await h.runToEnd(failing);
      expect(failed).toMatchObject({ state: 'failed', nextPollSeconds: 0, files: [] });
      expect(failed.message ?? failed.providerStatus).not.toBe('');
    });

    it('openRange at the file size returns an empty body (how a finished transfer looks)', async () => {
      const h = await harness();
      const file = firstFile(await h.runToEnd(await startedJob(h)));
      const whole = await readAll((await h.provider.openRange(file, { start: 0 })).body);
      expect(whole.length).toBeGreaterThan(0);
      if (file.size !== undefined) expect(file.size).toBe(whole.length);
      const atEnd = await h.provider.openRange(file, { start: whole.length });
      expect((await readAll(atEnd.body)).length).toBe(0);
      if (atEnd.ranged) expect(atEnd.start).toBe(whole.length);
    });

    it('cancelJob of an ended job resolves and changes nothing', async () => {
      const h = await harness();
      const job = await startedJob(h);
      expect((await h.runToEnd(job)).state).toBe('succeeded');
      // Never claimed as cancelled: 'ended' where the provider can cancel, 'unsupported' where it cannot.
      await expect(h.provider.cancelJob(job)).resolves.toBe(h.lacks?.cancel === undefined ? 'ended' : 'unsupported');
      expect((await h.provider.checkJob(job, 10)).state).toBe('succeeded');

      h.failNextJob();
      const failing = await startedJob(h);
      expect((await h.runToEnd(failing)).state).toBe('failed');
      await expect(h.provider.cancelJob(failing)).resolves.not.toBe('cancelled');
    });

    it('cancelJob of a live job ends it: it then reports cancelled', async (ctx) => {
      const h = await harness();
      ctx.skip(h.lacks?.cancel !== undefined, `${name} lacks cancel: ${h.lacks?.cancel ?? ''}`);
      const job = await startedJob(h);
      await expect(h.provider.cancelJob(job)).resolves.toBe('cancelled');
      expect((await h.runToEnd(job)).state).toBe('cancelled');
    });

    it('a provider that lacks cancel says so: cancelJob of a live job resolves and sends nothing', async (ctx) => {
      const h = await harness();
      ctx.skip(h.lacks?.cancel === undefined, `${name} can cancel`);
      const job = await startedJob(h);
      const before = h.remoteCalls();
      await expect(h.provider.cancelJob(job)).resolves.toBe('unsupported');
      expect(h.remoteCalls()).toBe(before);
    });
  });
}
