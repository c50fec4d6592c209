// --max-wait for local runs: a window that StartJob parks behind a quota reset (Wait until an instant)
// or a full queue (Wait for seconds, again and again), or any step that a spent daily call quota
// defers (QuotaExceededError, caught into a Wait until the reset), for longer than the user allows
// ends the run there, instead of holding the terminal for hours. The job record stays (no Cleanup
// runs), so the next run resumes the job instead of creating another one.
import { z } from 'zod';

/** Why and until when a run stopped instead of waiting. */
export interface ParkedWindow {
  /** The window that would wait; absent when a run-wide step (the reference refresh) would. */
  readonly window?: { start: string; end: string };
  /** The step that would wait. */
  readonly step?: string;
  readonly kind: 'deferred' | 'busy';
  /** When the wait would end (ISO-8601). */
  readonly until: string;
  readonly reason: string;
  /** The window's remote job, when one exists (a quota can bite before the job is created). */
  readonly jobId?: string;
}

const StartJobIo = z.object({
  input: z.looseObject({ window: z.object({ start: z.string(), end: z.string() }) }),
  output: z.looseObject({
    kind: z.string(),
    waitSeconds: z.number().optional(),
    until: z.string().optional(),
    reason: z.string().optional(),
    job: z.looseObject({ id: z.string() }).nullable().optional(),
  }),
});

const DeferredStep = z.object({
  input: z.looseObject({
    window: z.object({ start: z.string(), end: z.string() }).optional(),
    job: z.looseObject({ id: z.string() }).nullable().optional(),
    previous: z.looseObject({ job: z.looseObject({ id: z.string() }).nullable().optional() }).optional(),
  }),
  error: z.looseObject({ name: z.literal('QuotaExceededError'), resetAt: z.string(), reason: z.string() }),
});

/**
 * Watches StartJob outcomes against a limit in seconds: a deferral counts from now to its instant, a
 * full queue counts the waits of that window added up (each retry waits again).
 */
export function waitLimit(
  maxWaitSeconds: number,
  now: () => Date,
): {
  check(input: unknown, output: unknown): ParkedWindow | undefined;
  deferral(step: string, input: unknown, error: unknown): ParkedWindow | undefined;
} {
  const queued = new Map<string, number>();
  return {
    /** A step threw a spent daily quota: the state machine waits until its reset instant. */
    deferral(step, input, error) {
      const parsed = DeferredStep.safeParse({ input, error });
      if (!parsed.success) return undefined;
      const { window, job, previous } = parsed.data.input;
      const { resetAt, reason } = parsed.data.error;
      if ((Date.parse(resetAt) - now().getTime()) / 1000 <= maxWaitSeconds) return undefined;
      const jobId = job?.id ?? previous?.job?.id;
      return {
        ...(window ? { window: { start: window.start, end: window.end } } : {}),
        step,
        kind: 'deferred',
        until: resetAt,
        reason,
        ...(jobId ? { jobId } : {}),
      };
    },
    check(input, output) {
      const parsed = StartJobIo.safeParse({ input, output });
      if (!parsed.success) return undefined;
      const { window } = parsed.data.input;
      const o = parsed.data.output;
      const key = `${window.start}/${window.end}`;
      const jobId = o.job?.id;
      const base = {
        window: { start: window.start, end: window.end },
        reason: o.reason ?? '',
        ...(jobId ? { jobId } : {}),
      };
      if (o.kind === 'deferred' && o.until) {
        const seconds = (Date.parse(o.until) - now().getTime()) / 1000;
        return seconds > maxWaitSeconds ? { ...base, kind: 'deferred', until: o.until } : undefined;
      }
      if (o.kind === 'busy' && o.waitSeconds !== undefined) {
        const total = (queued.get(key) ?? 0) + o.waitSeconds;
        queued.set(key, total);
        return total > maxWaitSeconds
          ? { ...base, kind: 'busy', until: new Date(now().getTime() + o.waitSeconds * 1000).toISOString() }
          : undefined;
      }
      if (o.kind === 'started') queued.delete(key);
      return undefined;
    },
  };
}
