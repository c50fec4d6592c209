// Deterministic "Delete Lead" activities for the Get Deleted Leads route. Time is cut into hours from
// DELETIONS_EPOCH; hour h holds a count drawn from (seed, h) and records whose times, ids and values are
// a pure function of (seed, h, j). Ids rise with time (h · 100 + j), so the route's order (by id) is
// also activityDate order and a cursor is just an id.
import { NON_ASCII_SUFFIXES } from './activity-pools';
import { Rng, mix32 } from './prng';

/** No deletions before this instant (the simulated instance's first day). */
export const DELETIONS_EPOCH_MS = Date.parse('2026-01-01T00:00:00Z');
const HOUR_MS = 3_600_000;
/** Ids are h · SLOTS_PER_HOUR + j + ID_BASE; an hour holds fewer records than this. */
const SLOTS_PER_HOUR = 100;
const ID_BASE = 50_000_000;
export const DELETE_LEAD_TYPE_ID = 37;

/** One record as the route answers it (JSON). */
export interface DeletedLeadRecord {
  readonly id: number;
  readonly marketoGUID?: string;
  readonly leadId: number;
  readonly activityDate: string;
  readonly activityTypeId: number;
  readonly primaryAttributeValueId: number;
  readonly primaryAttributeValue: string | null;
  readonly attributes: readonly { readonly name: string; readonly value: unknown }[];
}

const FIRST = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST = ['Lovelace', 'Martín', "O'Brien", 'Nakamura', 'Okafor', 'Smith-Jones', 'Ødegård', 'Zhang'];
const METHODS = ['deleteLead', 'Delete Lead (flow step)', 'Merge Leads'];

/**
 * Values that break naive CSV writers, by record id: a quote and a comma, an embedded LF, CRLF, a
 * line separator, non-ASCII text, an empty name and an absent one. Public so tests can find them.
 */
export const DELETED_LEAD_HAZARDS = {
  quoteAndComma: { every: 11, at: 3, apply: (v: string) => `${v} "VIP", EMEA` },
  lineFeed: { every: 13, at: 5, apply: (v: string) => `${v}\nDuplicate` },
  crLf: { every: 17, at: 7, apply: (v: string) => `${v}\r\nGDPR request` },
  lineSeparator: { every: 19, at: 11, apply: (v: string) => `${v}\u2028Archived` },
  nonAscii: {
    every: 7,
    at: 2,
    apply: (v: string) => `${v} ${NON_ASCII_SUFFIXES[v.length % NON_ASCII_SUFFIXES.length] ?? ''}`,
  },
} as const;

export interface DeletedLeadsDataSpec {
  readonly seed: number;
  /** Mean deletions per hour (each hour holds 0 … 2 × this, at most 99). */
  readonly perHour: number;
  /** The lead a deletion at this instant deletes (the instance's timeline); a random id without it. */
  readonly leadIdAt?: (ms: number) => number;
}

export class DeletedLeadsData {
  private readonly rng = new Rng(0);
  private readonly cache = new Map<number, DeletedLeadRecord[]>();

  constructor(private readonly spec: DeletedLeadsDataSpec) {}

  /** The hour index of an instant (negative before the epoch). */
  hourOf(ms: number): number {
    return Math.floor((ms - DELETIONS_EPOCH_MS) / HOUR_MS);
  }

  /** The hour a record id belongs to, and its place in it. */
  placeOf(id: number): { hour: number; slot: number } {
    const n = id - ID_BASE;
    return { hour: Math.floor(n / SLOTS_PER_HOUR), slot: n % SLOTS_PER_HOUR };
  }

  /** Hour h's records in time order (none before the epoch). */
  hour(h: number): readonly DeletedLeadRecord[] {
    if (h < 0) return [];
    const cached = this.cache.get(h);
    if (cached) return cached;
    const { seed, perHour } = this.spec;
    const rng = this.rng;
    rng.reseed(mix32(seed, h));
    const count = Math.min(SLOTS_PER_HOUR - 1, rng.int(2 * perHour + 1));
    const offsets = Array.from({ length: count }, () => rng.int(HOUR_MS / 1000)).sort((a, b) => a - b);
    const records = offsets.map((second, j) => this.record(h, j, DELETIONS_EPOCH_MS + h * HOUR_MS + second * 1000));
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(h, records);
    return records;
  }

  private record(h: number, j: number, ms: number): DeletedLeadRecord {
    const id = ID_BASE + h * SLOTS_PER_HOUR + j;
    const rng = new Rng(mix32(this.spec.seed ^ 0x5bd1e995, id));
    const drawn = 1_000_000 + rng.int(9_000_000);
    const leadId = this.spec.leadIdAt ? this.spec.leadIdAt(ms) : drawn;
    let name: string | null = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    for (const hazard of Object.values(DELETED_LEAD_HAZARDS))
      if (id % hazard.every === hazard.at) name = hazard.apply(name);
    if (id % 23 === 9) name = '';
    if (id % 29 === 4) name = null;
    const attributes: { name: string; value: unknown }[] = [];
    if (id % 6 !== 0) attributes.push({ name: 'Api Method Name', value: rng.pick(METHODS) });
    if (id % 3 === 1) attributes.push({ name: 'Modifying User', value: `ops${rng.int(50)}@example.com` });
    if (id % 31 === 8) attributes.push({ name: 'Reason', value: 'Requested "erasure",\nticket #4711' });
    return {
      id,
      // Older instances answer without marketoGUID; some records here do too.
      ...(id % 7 === 4 ? {} : { marketoGUID: String(id) }),
      leadId,
      activityDate: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      activityTypeId: DELETE_LEAD_TYPE_ID,
      primaryAttributeValueId: leadId,
      primaryAttributeValue: name,
      attributes,
    };
  }

  /** The id of the first record at or after `ms` (it may not exist yet: ids are places, not promises). */
  firstIdAtOrAfter(ms: number): number {
    const h = Math.max(0, this.hourOf(ms));
    const found = this.hour(h).find((r) => Date.parse(r.activityDate) >= ms);
    return found ? found.id : ID_BASE + (h + 1) * SLOTS_PER_HOUR;
  }

  /** Up to `limit` records from id `from` on whose activityDate is at or before `untilMs`, and where the next page starts. */
  page(from: number, limit: number, untilMs: number): { records: DeletedLeadRecord[]; next: number; more: boolean } {
    const records: DeletedLeadRecord[] = [];
    let { hour, slot } = this.placeOf(from);
    const lastHour = this.hourOf(untilMs);
    let next = from;
    while (hour <= lastHour) {
      const inHour = this.hour(hour);
      for (; slot < inHour.length; slot += 1) {
        const record = inHour[slot]!;
        if (Date.parse(record.activityDate) > untilMs) return { records, next, more: false };
        if (records.length === limit) return { records, next, more: true };
        records.push(record);
        next = record.id + 1;
      }
      hour += 1;
      slot = 0;
      next = ID_BASE + hour * SLOTS_PER_HOUR;
    }
    return { records, next, more: false };
  }

  /** The instants (epoch ms) of every record in [startMs, endMs), whether or not it is due yet. */
  instantsBetween(startMs: number, endMs: number): number[] {
    return this.between(startMs, endMs, Number.POSITIVE_INFINITY).map((r) => Date.parse(r.activityDate));
  }

  /** Every record with activityDate in [startMs, endMs) that exists by `nowMs`, in the route's order. */
  between(startMs: number, endMs: number, nowMs: number): DeletedLeadRecord[] {
    const out: DeletedLeadRecord[] = [];
    const until = Math.min(endMs - 1, nowMs);
    for (let h = Math.max(0, this.hourOf(startMs)); h <= this.hourOf(until); h += 1) {
      for (const r of this.hour(h)) {
        const at = Date.parse(r.activityDate);
        if (at >= startMs && at < endMs && at <= nowMs) out.push(r);
      }
    }
    return out;
  }
}
