// Time is injected so that quota resets, deadlines and backoff can be tested without waiting.
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};

/**
 * A clock whose `sleep` lasts `scale` times the nominal duration (a local run against a simulator),
 * while `now` stays the wall clock. Code asks for nominal durations everywhere; only this shortens them.
 */
export class ScaledSleepClock implements Clock {
  constructor(
    /** The clock whose sleeps last what they say. */
    readonly wallClock: Clock,
    readonly scale: number,
  ) {
    if (!Number.isFinite(scale) || scale < 0)
      throw new RangeError(`sleep scale must be a non-negative number, got ${scale}`);
  }

  now(): Date {
    return this.wallClock.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.wallClock.sleep(ms * this.scale, signal);
  }
}

/**
 * The clock that waits in real time. Bookkeeping tied to the wall clock (a rate window counted from
 * `now()`) must sleep on it: on a scaled clock it would wake early, find the window still closed,
 * and spin.
 */
export function wallClockOf(clock: Clock): Clock {
  return clock instanceof ScaledSleepClock ? wallClockOf(clock.wallClock) : clock;
}
