// One run per export at a time: a run takes its export's lease before any provider call and gives it
// back at the end. S3 conditional writes arbitrate (no lock service): of two runs started together one
// writes first and the other finds the lease held, before it has called the provider.
//
// A lease lives as long as its run may (`ttlMs`: run-limits.ts, the execution timeout), so no step has
// to renew it, even through a day-long quota Wait. The run gives it back at its end; a lease whose
// holder is known to have ended (a killed local run) or that outlived `ttlMs` is taken over.
import { z } from 'zod';
import { ExportBusyError, PreconditionFailedError } from '#shared/errors';
import { BUCKET_PREFIXES } from './bucket-layout';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from '#transfer/object-store';

export const LeaseSchema = z
  .object({
    version: z.literal(1),
    export: z.string(),
    /** The execution (or local run) holding the export. */
    holder: z.string(),
    acquiredAt: z.string(),
    expiresAt: z.string(),
  })
  .strict();
export type Lease = z.infer<typeof LeaseSchema>;

export function leaseKey(exportName: string): string {
  return `${BUCKET_PREFIXES.state}${exportName}/lease.json`;
}

export interface LeaseClock {
  readonly now: Date;
  /** How long a lease holds: the longest a run may live. */
  readonly ttlMs: number;
}

/** Whether a holder has ended: true, false, or undefined when that cannot be told. */
export type HolderEnded = (holder: string) => Promise<boolean | undefined>;

async function readLease(store: ObjectStore, exportName: string): Promise<{ lease: Lease; etag?: string } | undefined> {
  const got = await store.getObject(leaseKey(exportName));
  if (!got) return undefined;
  const lease = LeaseSchema.parse(JSON.parse(got.body.toString('utf8')));
  return { lease, ...(got.etag ? { etag: got.etag } : {}) };
}

const expiry = (clock: LeaseClock) => new Date(clock.now.getTime() + clock.ttlMs).toISOString();

async function write(store: ObjectStore, lease: Lease, current: { etag?: string } | undefined): Promise<Lease> {
  const condition = current ? (current.etag ? { ifMatch: current.etag } : undefined) : { ifNoneMatch: '*' as const };
  await store.putObject(leaseKey(lease.export), `${JSON.stringify(lease, null, 1)}\n`, 'application/json', condition);
  return lease;
}

function busy(lease: Lease): ExportBusyError {
  return new ExportBusyError(
    lease.export,
    lease.holder,
    `export "${lease.export}" is busy: run ${lease.holder} holds it since ${lease.acquiredAt} (until ${lease.expiresAt} at the latest)`,
  );
}

export interface Acquired {
  readonly lease: Lease;
  /** The holder whose lease was taken over (it had ended or expired), if any. */
  readonly tookOverFrom?: string;
}

/** Takes the export's lease for `holder`, or throws ExportBusyError naming the run that holds it. */
export async function acquireLease(
  store: ObjectStore,
  exportName: string,
  holder: string,
  clock: LeaseClock,
  holderEnded?: HolderEnded,
): Promise<Acquired> {
  const at = clock.now.toISOString();
  for (let race = 0; race < 2; race++) {
    const current = await readLease(store, exportName);
    const held = current?.lease;
    let tookOverFrom: string | undefined;
    if (held && held.holder !== holder) {
      const expired = Date.parse(held.expiresAt) <= clock.now.getTime();
      if (!expired && (await holderEnded?.(held.holder)) !== true) throw busy(held);
      tookOverFrom = held.holder;
    }
    const next: Lease = {
      version: 1,
      export: exportName,
      holder,
      acquiredAt: held?.holder === holder ? held.acquiredAt : at,
      expiresAt: expiry(clock),
    };
    try {
      return { lease: await write(store, next, current), ...(tookOverFrom ? { tookOverFrom } : {}) };
    } catch (err) {
      // Another run wrote between our read and write: read again, and most likely find it busy.
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  const winner = await readLease(store, exportName);
  throw winner
    ? busy(winner.lease)
    : new ExportBusyError(
        exportName,
        'unknown',
        `export "${exportName}" is busy: its lease changed twice while being taken`,
      );
}

/**
 * Gives the lease back if `holder` still has it (the object goes: a finished run leaves no state
 * behind); a lease someone else holds is left alone.
 */
export async function releaseLease(store: ObjectStore, exportName: string, holder: string): Promise<boolean> {
  const current = await readLease(store, exportName);
  if (!current || current.lease.holder !== holder) return false;
  await store.deleteObject(leaseKey(exportName));
  return true;
}

/**
 * The end of a run, however it ended (CommitWatermark, Cleanup, a stopped execution's cleanup): give the
 * lease back if the run still holds it. Best effort: a lease not given back expires with the run's
 * longest life, and a run that has ended is taken over sooner where that can be told.
 */
export async function giveBackLease(
  store: ObjectStore,
  logger: Pick<Logger, 'warn'>,
  exportName: string,
  holder: string,
): Promise<boolean> {
  try {
    return await releaseLease(store, exportName, holder);
  } catch (error) {
    logger.warn('could not give the export lease back; it expires or is taken over', {
      export: exportName,
      error: String(error),
    });
    return false;
  }
}
