// The ledger's round trip through the bucket: one object per export, changed with conditional writes.
// Sibling windows of one run end at the same moment, so a write that lost the race re-reads and
// re-applies its change instead of overwriting the other window's news.
import { PreconditionFailedError, ValidationError } from '#shared/errors';
import { BUCKET_PREFIXES } from './bucket-layout';
import type { ObjectStore } from '#transfer/object-store';
import { emptyLedger, LEDGER_VERSION, LedgerSchema, type Ledger } from './ledger';

export function ledgerKey(exportName: string): string {
  return `${BUCKET_PREFIXES.state}${exportName}/ledger.json`;
}

export interface StoredLedger {
  readonly ledger: Ledger;
  /** Absent: no ledger stored yet (the first write creates it only if nobody else did). */
  readonly etag?: string;
  readonly exists: boolean;
}

export async function readLedger(store: ObjectStore, exportName: string): Promise<StoredLedger> {
  const got = await store.getObject(ledgerKey(exportName));
  if (!got) return { ledger: emptyLedger(exportName), exists: false };
  const json: unknown = JSON.parse(got.body.toString('utf8'));
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== LEDGER_VERSION) {
    // A newer pipeline wrote it: reading on would drop what this version does not know.
    throw new ValidationError(
      ledgerKey(exportName),
      `ledger version ${String(version)} is not ${LEDGER_VERSION}: deploy the version that wrote it`,
    );
  }
  return { ledger: LedgerSchema.parse(json), exists: true, ...(got.etag ? { etag: got.etag } : {}) };
}

/** How many times a change is re-applied after losing a race before the step fails (and is retried). */
const MAX_RACES = 12;

/** Applies `change` to the current ledger and stores it, re-reading when another writer got there first. */
export async function updateLedger(
  store: ObjectStore,
  exportName: string,
  change: (ledger: Ledger) => Ledger,
): Promise<Ledger> {
  for (let race = 0; ; race++) {
    const current = await readLedger(store, exportName);
    const next = change(current.ledger);
    const condition = current.etag
      ? { ifMatch: current.etag }
      : current.exists
        ? undefined
        : { ifNoneMatch: '*' as const };
    try {
      await store.putObject(ledgerKey(exportName), `${JSON.stringify(next, null, 1)}\n`, 'application/json', condition);
      return next;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || race + 1 >= MAX_RACES) throw err;
    }
  }
}
