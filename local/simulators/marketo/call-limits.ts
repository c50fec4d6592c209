// Marketo's instance-wide API limits: calls in a sliding window (606), calls in flight (615) and a
// daily call budget that resets at midnight America/Chicago (607). Calls answered with a 6xx error
// do not use up the daily budget.
import { MarketoApiFailure, rateLimitMessage } from './marketo-errors';
import { chicagoDay } from './marketo-time';

export interface CallLimitsConfig {
  readonly now: () => Date;
  readonly rateLimit: { readonly calls: number; readonly windowMs: number } | false;
  readonly maxConcurrentCalls: number | false;
  readonly dailyCallLimit: number | false;
}

export class CallLimits {
  private inFlight = 0;
  private maxSeen = 0;
  /** Times of calls that count against the sliding window (oldest first). */
  private readonly window: number[] = [];
  private dayKey = '';
  private callsToday = 0;

  constructor(private readonly config: CallLimitsConfig) {}

  /** Registers a call as in flight; returns the function that ends it. */
  enter(): () => void {
    this.inFlight += 1;
    this.maxSeen = Math.max(this.maxSeen, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  get maxConcurrent(): number {
    return this.maxSeen;
  }

  /** 615 when more calls are in flight than allowed (the caller's own call included). */
  checkConcurrency(): void {
    const max = this.config.maxConcurrentCalls;
    if (max !== false && this.inFlight > max) throw new MarketoApiFailure('615');
  }

  /** 606 when the window is full; otherwise the call takes a place in the window. */
  admitToWindow(): void {
    const limit = this.config.rateLimit;
    if (limit === false) return;
    const now = this.config.now().getTime();
    while (this.window.length > 0 && (this.window[0] ?? 0) <= now - limit.windowMs) this.window.shift();
    if (this.window.length >= limit.calls)
      throw new MarketoApiFailure('606', rateLimitMessage(limit.calls, limit.windowMs));
    this.window.push(now);
  }

  /** 607 once the day's budget is spent. */
  checkDailyBudget(): void {
    const limit = this.config.dailyCallLimit;
    if (limit === false) return;
    this.rollDay();
    if (this.callsToday >= limit) throw new MarketoApiFailure('607');
  }

  /** Counts a call that was not answered with a 6xx error. */
  countTowardsDailyBudget(): void {
    this.rollDay();
    this.callsToday += 1;
  }

  private rollDay(): void {
    const { key } = chicagoDay(this.config.now().getTime());
    if (key !== this.dayKey) {
      this.dayKey = key;
      this.callsToday = 0;
    }
  }
}
