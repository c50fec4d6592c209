// One simulated Marketo instance over time, so that the leads, activities and deleted-leads exports tell
// the same story. It is a pure function of (seed, recordsPerDay): any slice is computed on its own,
// nothing is replayed from the first day, so a file of any size is still rendered lazily.
// Time is cut into slots of 1/recordsPerDay day from EPOCH; each slot is one lead event, which is the
// leads export's row for that slot (updatedAt filter) and the lead of the activities export's row in it:
// - an even slot 2j creates lead 1 + 2j ("lead j");
// - an odd slot 2k+1 updates lead k − U (created a day earlier) unless it was deleted, else creates 1 + 2k+1;
// - a Get Deleted Leads record at instant t deletes lead ⌊slot(t)/2⌋ − W, a quarter day after its creation
//   and so before its update: a deleted lead is never seen again (several records may name one lead);
// - an odd slot 2k+1 is sometimes also a merge: lead k − U − V (updated half a day before, not deleted)
//   is merged into the slot's lead, the winner; winners often lose later, so chains occur.
// The fixed lags make every question answerable in both directions without search: which lead a slot
// touches, and when a given lead is deleted or merged.
import { Rng, mix32 } from './prng';

export const INSTANCE_EPOCH_MS = Date.parse('2026-01-01T00:00:00Z');
const DAY_SEC = 86_400;
const MERGE_SHARE = 0.05;
/** How often the winner of a merge is merged away in turn. */
const CHAIN_SHARE = 0.5;

/** The deletion instants (epoch ms) of records in [startMs, endMs): Get Deleted Leads' data answers it. */
export type DeletionInstants = (startMs: number, endMs: number) => readonly number[];

export interface MergeEvent {
  readonly slot: number;
  readonly loser: number;
  readonly winner: number;
  readonly atSec: number;
}

export class InstanceTimeline {
  readonly slotSec: number;
  private readonly epochSec = INSTANCE_EPOCH_MS / 1000;
  /** Lags in creations (two slots each): update after U, deletion after W, merge V after the update. */
  private readonly u: number;
  private readonly w: number;
  private readonly v: number;
  private readonly rng = new Rng(0);
  private deletions: DeletionInstants = () => [];

  constructor(
    readonly seed: number,
    readonly recordsPerDay: number,
  ) {
    this.slotSec = DAY_SEC / recordsPerDay;
    this.w = Math.max(1, Math.floor(recordsPerDay / 8));
    this.u = Math.max(this.w + 2, Math.floor(recordsPerDay / 2));
    this.v = Math.max(1, Math.floor(recordsPerDay / 4));
  }

  /** Where deletions come from (the deleted-leads data, which itself asks `deletedLeadAt`). */
  useDeletions(deletions: DeletionInstants): void {
    this.deletions = deletions;
  }

  /** The first slot of a window, when the window starts on a slot boundary and holds whole slots; else undefined. */
  firstSlotOf(startMs: number, endMs: number, rows: number): number | undefined {
    const offsetSec = (startMs - INSTANCE_EPOCH_MS) / 1000;
    if (offsetSec < 0 || !Number.isInteger(offsetSec) || !Number.isInteger(this.recordsPerDay)) return undefined;
    if ((offsetSec * this.recordsPerDay) % DAY_SEC !== 0) return undefined;
    if (rows * DAY_SEC !== ((endMs - startMs) / 1000) * this.recordsPerDay) return undefined;
    return (offsetSec * this.recordsPerDay) / DAY_SEC;
  }

  /** The slot's instant, epoch seconds (a second inside the slot). */
  timeOf(slot: number): number {
    this.rng.reseed(mix32(this.seed ^ 0x7a3c11e5, slot));
    return this.epochSec + Math.floor((slot + this.rng.float() * 0.999) * this.slotSec);
  }

  /** When a lead was created, epoch seconds (lead ids are 1 + the slot that created them). */
  createdSecOf(leadId: number): number {
    return this.timeOf(leadId - 1);
  }

  /** The lead a slot creates or updates (the merge winner on a merge slot). */
  leadAt(slot: number): number {
    if (slot % 2 === 0) return 1 + slot;
    const target = (slot - 1) / 2 - this.u;
    return target >= 0 && this.deletedAtOf(target) === undefined ? 1 + 2 * target : 1 + slot;
  }

  /** The lead a deletion at `ms` deletes (an id the leads export wrote). */
  deletedLeadAt(ms: number): number {
    const slot = Math.floor((ms / 1000 - this.epochSec) / this.slotSec);
    return 1 + 2 * Math.max(0, Math.floor(slot / 2) - this.w);
  }

  /** The newest deletion of lead j (index of creation slot 2j), epoch ms, if any. */
  deletedAtOf(j: number): number | undefined {
    const first = 2 * (j + this.w);
    const fromMs = j === 0 ? INSTANCE_EPOCH_MS : (this.epochSec + first * this.slotSec) * 1000;
    const toMs = (this.epochSec + (first + 2) * this.slotSec) * 1000;
    // A second of slack each side: the filter below is exact.
    const instants = this.deletions(Math.floor(fromMs) - 1000, Math.ceil(toMs) + 1000).filter(
      (ms) => this.deletedLeadAt(ms) === 1 + 2 * j,
    );
    return instants.length === 0 ? undefined : Math.max(...instants);
  }

  /** The merge an odd slot carries, if any. */
  mergeAt(slot: number): MergeEvent | undefined {
    if (slot % 2 === 0) return undefined;
    const k = (slot - 1) / 2;
    const loser = k - this.u - this.v;
    if (loser < 0) return undefined;
    if (!this.drawsMerge(k) || this.deletedAtOf(loser) !== undefined) return undefined;
    return { slot, loser: 1 + 2 * loser, winner: this.leadAt(slot), atSec: this.timeOf(slot) };
  }

  /**
   * Whether update k draws a merge. The winner of k loses at k + V if that one draws a merge too, and a
   * winner is often merged again (half the time here), so chains for `merged_into` to follow are common.
   */
  private drawsMerge(k: number): boolean {
    this.rng.reseed(mix32(this.seed ^ 0x3e96e, k));
    if (this.rng.float() < MERGE_SHARE) return true;
    return this.rng.float() < CHAIN_SHARE && k - this.v >= 0 && this.drawsMerge(k - this.v);
  }
}
