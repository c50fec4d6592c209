// The pipeline's daily share of a Marketo instance's REST calls (the connection's `dailyCallBudget`),
// counted in the ledger every export and step shares (ProviderContext.callBudget). Calls are taken
// from the ledger in blocks and spent locally; when the ledger has none left for today, the call is
// not made and QuotaExceededError defers the step to the reset, exactly like Marketo's own 607.
import type { Clock } from '#shared/clock';
import { QuotaExceededError } from '#shared/errors';
import type { CallBudgetLedger } from '#providers/types';
import { nextQuotaReset, quotaDayStart } from './quota-reset';

/** Calls taken from the ledger at once: a step that makes one call wastes at most this many of the day. */
export const CALL_BUDGET_BLOCK = 20;

export class InstanceCallBudget {
  private period = '';
  private left = 0;

  constructor(
    private readonly ledger: CallBudgetLedger,
    private readonly instance: string,
    private readonly dailyLimit: number,
    private readonly clock: Clock,
  ) {}

  /** One call may be made now; throws QuotaExceededError (until midnight US Central) when today's budget is spent. */
  async take(): Promise<void> {
    const now = this.clock.now();
    // The day the quota counts in, as its start instant (the ledger's key): a new day starts afresh.
    const period = quotaDayStart(now).toISOString();
    if (period !== this.period) {
      this.period = period;
      this.left = 0;
    }
    if (this.left === 0)
      this.left = await this.ledger.reserve(this.instance, period, this.dailyLimit, CALL_BUDGET_BLOCK);
    if (this.left === 0) {
      throw new QuotaExceededError(
        `the pipeline's daily budget of ${this.dailyLimit} Marketo calls for ${this.instance} is spent (the connection's dailyCallBudget)`,
        nextQuotaReset(now),
        'budget',
      );
    }
    this.left -= 1;
  }
}
