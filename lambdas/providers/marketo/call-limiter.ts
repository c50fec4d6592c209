// Keeps one process under Marketo's instance-wide limits: at most `calls` API calls in any sliding
// `windowMs` (606 otherwise) and at most `concurrent` calls in flight (615 otherwise). Marketo shares
// these limits with every other integration on the instance, so we stay under them rather than
// learning them from errors.
import { wallClockOf, type Clock } from '#shared/clock';

export interface CallLimits {
  readonly calls: number;
  readonly windowMs: number;
  readonly concurrent: number;
}

export const MARKETO_CALL_LIMITS: CallLimits = { calls: 100, windowMs: 20_000, concurrent: 10 };

export interface CallPermit {
  /** The response (headers) arrived: the call now counts in the window from this instant. */
  responded(): void;
  /** The call is over (body read or dropped): frees its concurrency slot. Idempotent. */
  release(): void;
}

export class CallLimiter {
  // A call is dated by when its response arrived, not when it was sent: the server saw it at or before
  // that instant, so spacing our window by response times can never crowd the server's window.
  private readonly respondedAt: number[] = [];
  private awaitingResponse = 0;
  private active = 0;
  private readonly slotWaiters: Array<() => void> = [];

  private readonly clock: Clock;

  // Marketo's window is 20 s of real time even when a local run shortens every other wait.
  constructor(
    clock: Clock,
    readonly limits: CallLimits = MARKETO_CALL_LIMITS,
  ) {
    this.clock = wallClockOf(clock);
  }

  async acquire(signal?: AbortSignal): Promise<CallPermit> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.active >= this.limits.concurrent) {
        await this.nextRelease(signal);
        continue;
      }
      const now = this.clock.now().getTime();
      this.forgetBefore(now - this.limits.windowMs);
      if (this.respondedAt.length + this.awaitingResponse >= this.limits.calls) {
        const oldest = this.respondedAt[0];
        // Every counted call is still awaiting its response: one will answer and free a slot.
        if (oldest === undefined) await this.nextRelease(signal);
        else await this.clock.sleep(Math.max(1, oldest + this.limits.windowMs - now + 1), signal);
        continue;
      }
      return this.grant();
    }
  }

  /** Calls currently in flight (for tests and logs). */
  get inFlight(): number {
    return this.active;
  }

  private grant(): CallPermit {
    this.active += 1;
    this.awaitingResponse += 1;
    let responded = false;
    let released = false;
    const respond = () => {
      if (responded) return;
      responded = true;
      this.awaitingResponse -= 1;
      this.respondedAt.push(this.clock.now().getTime());
    };
    return {
      responded: respond,
      release: () => {
        if (released) return;
        respond();
        released = true;
        this.active -= 1;
        // Wake everyone: a waiter may find the window (not the slot) is what holds it and go to sleep,
        // and the slot must not sit idle behind it.
        for (const wake of this.slotWaiters.splice(0)) wake();
      },
    };
  }

  private forgetBefore(cutoff: number): void {
    while (this.respondedAt.length > 0 && (this.respondedAt[0] ?? 0) <= cutoff) this.respondedAt.shift();
  }

  private nextRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.slotWaiters.indexOf(wake);
        if (i >= 0) this.slotWaiters.splice(i, 1);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.slotWaiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

// One limiter per Marketo instance per process (and per clock, so tests with their own clocks stay
// apart): every client of the same instance in this process shares it.
const shared = new WeakMap<Clock, Map<string, CallLimiter>>();

export function sharedCallLimiter(
  anyClock: Clock,
  instance: string,
  limits: CallLimits = MARKETO_CALL_LIMITS,
): CallLimiter {
  const clock = wallClockOf(anyClock);
  let byInstance = shared.get(clock);
  if (!byInstance) shared.set(clock, (byInstance = new Map()));
  let limiter = byInstance.get(instance);
  if (!limiter) byInstance.set(instance, (limiter = new CallLimiter(clock, limits)));
  return limiter;
}
