// What the simulated instance holds, lead by lead: the leads export's row of a timeline slot, and the
// ground truth a test compares the analyst views with (every lead seen in a range, its newest values,
// when it was deleted and the lead it was finally merged into).
import type { EntityRow, RowContext } from './entity-schema';
import type { InstanceTimeline } from './instance-timeline';
import { LEAD_SCHEMA } from './lead-data';
import { Rng, mix32 } from './prng';

/** The leads export's row for a slot: the slot's lead, its values as of that instant. */
export function leadRowAt(timeline: InstanceTimeline, slot: number, rng = new Rng(0)): EntityRow {
  const id = timeline.leadAt(slot);
  const updatedSec = timeline.timeOf(slot);
  rng.reseed(mix32(timeline.seed ^ 0x1ead, id));
  const ctx: RowContext = {
    rng,
    // Row cadences (free-text hazards) follow the slot, so a lead's values do not depend on the window.
    row: slot,
    key: 0,
    mainSec: updatedSec,
    dateFilter: 'updatedAt',
    filter: {},
    includeNulByte: false,
    lead: { id, createdSec: timeline.createdSecOf(id), updatedSec },
  };
  return LEAD_SCHEMA.row(ctx);
}

export interface LeadTruth {
  readonly id: number;
  /** The newest row a leads export over the range wrote for it. */
  readonly values: EntityRow;
  /** The newest Get Deleted Leads record naming it in the range, ISO seconds. */
  readonly deletedAt: string | null;
  /** The lead it was merged into in the range, followed to the final winner. */
  readonly mergedInto: number | null;
}

export interface MergeTruth {
  readonly losingLeadId: number;
  readonly winningLeadId: number;
  readonly mergedAt: string;
}

const iso = (sec: number) => `${new Date(sec * 1000).toISOString().slice(0, 19)}Z`;

/** Every merge whose instant lies in [startMs, endMs). */
export function mergesBetween(timeline: InstanceTimeline, startMs: number, endMs: number): MergeTruth[] {
  const merges: MergeTruth[] = [];
  for (const slot of slotsBetween(timeline, startMs, endMs)) {
    const merge = timeline.mergeAt(slot);
    if (merge) merges.push({ losingLeadId: merge.loser, winningLeadId: merge.winner, mergedAt: iso(merge.atSec) });
  }
  return merges;
}

/** Every lead seen in [startMs, endMs) (a range of whole slots), as the views over its exports should show it. */
export function groundTruthBetween(
  timeline: InstanceTimeline,
  startMs: number,
  endMs: number,
  deletions: readonly { readonly leadId: number; readonly activityDate: string }[],
): Map<number, LeadTruth> {
  const newest = new Map<number, EntityRow>();
  const rng = new Rng(0);
  for (const slot of slotsBetween(timeline, startMs, endMs))
    newest.set(timeline.leadAt(slot), leadRowAt(timeline, slot, rng));
  const deletedAt = new Map<number, string>();
  for (const d of deletions) {
    const before = deletedAt.get(d.leadId);
    if (before === undefined || before < d.activityDate) deletedAt.set(d.leadId, d.activityDate);
  }
  const winnerOf = new Map(mergesBetween(timeline, startMs, endMs).map((m) => [m.losingLeadId, m.winningLeadId]));
  const finalWinner = (id: number): number | null => {
    let at = winnerOf.get(id);
    if (at === undefined) return null;
    for (let next = winnerOf.get(at); next !== undefined; next = winnerOf.get(at)) at = next;
    return at;
  };
  const truth = new Map<number, LeadTruth>();
  for (const [id, values] of newest)
    truth.set(id, { id, values, deletedAt: deletedAt.get(id) ?? null, mergedInto: finalWinner(id) });
  return truth;
}

function slotsBetween(timeline: InstanceTimeline, startMs: number, endMs: number): number[] {
  const first = timeline.firstSlotOf(
    startMs,
    endMs,
    Math.round(((endMs - startMs) / 86_400_000) * timeline.recordsPerDay),
  );
  if (first === undefined) throw new Error('a ground-truth range must start on a slot and hold whole slots');
  const count = Math.round(((endMs - startMs) / 86_400_000) * timeline.recordsPerDay);
  return Array.from({ length: count }, (_, i) => first + i);
}
