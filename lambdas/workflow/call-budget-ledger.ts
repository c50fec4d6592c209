// The call budget ledger in the bucket: one small JSON object per instance and period under
// call-budgets/, counting the calls every export and
// step of the pipeline took. Updated with conditional writes, so Lambdas side by side never both take
// the same calls: the loser of a race reads again and retries.
import { z } from 'zod';
import type { CallBudgetLedger } from '#providers/types';
import { BUCKET_PREFIXES } from '#window/bucket-layout';
import { PreconditionFailedError } from '#shared/errors';
import type { ObjectStore } from '#transfer/object-store';

const LedgerSchema = z.object({
  instance: z.string(),
  period: z.string(),
  limit: z.number(),
  used: z.number().int().nonnegative(),
});

/** Races lost in a row before giving up (each one means another step just took calls). */
const MAX_RACES = 20;

export function callBudgetKey(instance: string, period: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '_');
  return `${BUCKET_PREFIXES.callBudgets}${safe(instance)}/${safe(period)}.json`;
}

export function storeCallBudgetLedger(store: ObjectStore): CallBudgetLedger {
  return {
    async reserve(instance, period, limit, count) {
      const key = callBudgetKey(instance, period);
      for (let race = 0; ; race += 1) {
        const current = await store.getObject(key);
        const used = current ? LedgerSchema.parse(JSON.parse(current.body.toString('utf8'))).used : 0;
        const granted = Math.max(0, Math.min(count, limit - used));
        if (granted === 0) return 0;
        const body = JSON.stringify({ instance, period, limit, used: used + granted });
        try {
          await store.putObject(
            key,
            body,
            'application/json',
            current?.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
          );
          return granted;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError) || race + 1 >= MAX_RACES) throw error;
        }
      }
    },
  };
}
