// The clock of a replayed schedule (`run --as-of`): it reads the given instant when the run starts and
// advances from there as real time passes, so waits, deadlines and leases still measure real elapsed
// time while planning, quota resets and records see the replayed day.
import { systemClock, type Clock } from '#shared/clock';

export class AsOfClock implements Clock {
  private readonly offsetMs: number;

  constructor(
    readonly asOf: Date,
    private readonly wallClock: Clock = systemClock,
  ) {
    this.offsetMs = asOf.getTime() - wallClock.now().getTime();
  }

  now(): Date {
    return new Date(this.wallClock.now().getTime() + this.offsetMs);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.wallClock.sleep(ms, signal);
  }
}
