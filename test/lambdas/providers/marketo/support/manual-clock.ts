// A clock that only moves when someone sleeps on it (or a test advances it): waits of 20 s cost
// nothing, and every wait is recorded so tests can assert how long the code chose to wait.
import type { Clock } from '../../../../../lambdas/shared/clock';

export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  private ms: number;

  constructor(start: string | number = '2026-03-02T12:00:00Z') {
    this.ms = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    signal?.throwIfAborted();
    const target = this.ms + ms;
    // Yield so concurrent callers interleave as they would in real time.
    await new Promise((resolve) => setImmediate(resolve));
    this.ms = Math.max(this.ms, target);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
