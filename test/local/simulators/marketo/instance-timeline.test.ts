// The simulated instance is one story across its exports: a leads file of a day names each lead once,
// a deleted lead was written by the leads export before its deletion and never after, a merged-away
// lead is never seen again, activities act only through living leads, and the activities file's
// Merge Leads rows are exactly the timeline's merges.
import { describe, expect, it } from 'vitest';
import { ActivityGenerator } from '../../../../local/simulators/marketo/activity-generator';
import { parseCreateRequest } from '../../../../local/simulators/marketo/create-request';
import { DeletedLeadsRoutes } from '../../../../local/simulators/marketo/deleted-leads';
import { EntityGenerator } from '../../../../local/simulators/marketo/entity-generator';
import { parseEntityCreateRequest } from '../../../../local/simulators/marketo/entity-request';
import { InstanceTimeline } from '../../../../local/simulators/marketo/instance-timeline';
import { groundTruthBetween, mergesBetween } from '../../../../local/simulators/marketo/instance-truth';

const PER_DAY = 200;
const START = '2026-11-01T00:00:00Z';
const END = '2026-11-05T00:00:00Z';
const DAY_MS = 86_400_000;

function instance() {
  const timeline = new InstanceTimeline(3, PER_DAY);
  const deleted = new DeletedLeadsRoutes(() => new Date('2026-12-01T00:00:00Z'), 3, {}, timeline);
  return { timeline, deleted };
}

/** Every event of the range: the slot, its instant and its lead. */
function events(timeline: InstanceTimeline) {
  const first = timeline.firstSlotOf(Date.parse(START), Date.parse(END), 4 * PER_DAY)!;
  return Array.from({ length: 4 * PER_DAY }, (_, i) => {
    const slot = first + i;
    return { slot, ms: timeline.timeOf(slot) * 1000, lead: timeline.leadAt(slot) };
  });
}

describe('one simulated instance over time', () => {
  it('writes each lead once in a day’s leads file, as the ground truth sees it', () => {
    const { timeline } = instance();
    const request = parseEntityCreateRequest(
      'leads',
      undefined,
      { fields: ['id', 'updatedAt'], filter: { updatedAt: { startAt: START, endAt: '2026-11-02T00:00:00Z' } } },
      Date.parse(END),
    );
    const file = new EntityGenerator({ seed: 3, request, includeNulByte: false, spreadRows: PER_DAY, timeline });
    const rows = file
      .renderRows(0, PER_DAY)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const ids = rows.map(([id]) => Number(id));
    expect(new Set(ids).size).toBe(PER_DAY);
    expect(ids).toEqual(
      events(timeline)
        .slice(0, PER_DAY)
        .map((e) => e.lead),
    );
    const dates = rows.map(([, updatedAt]) => Date.parse(updatedAt!));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it('deletes leads the leads export wrote, and never shows them again', () => {
    const { timeline, deleted } = instance();
    const all = events(timeline);
    const records = deleted.recordsBetween(START, END);
    expect(records.length).toBeGreaterThan(100);
    for (const record of records) {
      const at = Date.parse(record.activityDate);
      const seen = all.filter((e) => e.lead === record.leadId);
      // Leads created in the range were seen at their creation; none is touched after its deletion.
      if (timeline.createdSecOf(record.leadId) * 1000 >= Date.parse(START)) expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((e) => e.ms >= at)).toEqual([]);
    }
  });

  it('merges living leads: a loser is never seen after its merge, and chains occur', () => {
    const { timeline } = instance();
    const all = events(timeline);
    const merges = mergesBetween(timeline, Date.parse(START), Date.parse(END));
    expect(merges.length).toBeGreaterThan(10);
    for (const merge of merges) {
      const at = Date.parse(merge.mergedAt);
      expect(all.filter((e) => e.lead === merge.losingLeadId && e.ms > at)).toEqual([]);
      expect(merge.winningLeadId).not.toBe(merge.losingLeadId);
    }
    const losers = new Set(merges.map((m) => m.losingLeadId));
    expect(merges.some((m) => losers.has(m.winningLeadId))).toBe(true);
    const truth = groundTruthBetween(timeline, Date.parse(START), Date.parse(END), []);
    for (const lead of truth.values()) if (lead.mergedInto !== null) expect(losers.has(lead.mergedInto)).toBe(false);
  });

  it('writes the timeline’s merges, and only them, as Merge Leads activities on the winners', () => {
    const { timeline } = instance();
    const request = parseCreateRequest({ filter: { createdAt: { startAt: START, endAt: END } } });
    const file = new ActivityGenerator({ seed: 9, request, includeNulByte: false, spreadRows: 4 * PER_DAY, timeline });
    const merges: [number, string, string][] = [];
    const all = events(timeline);
    for (let i = 0; i < 4 * PER_DAY; i++) {
      const row = file.renderRow(i);
      const [, lead, date, type] = row.split(',');
      expect(Number(lead)).toBe(all[i]!.lead);
      if (type === '32') merges.push([Number(lead), date!, /Merge ids"":""\[(\d+)\]/.exec(row)?.[1] ?? '']);
    }
    expect(merges).toEqual(
      mergesBetween(timeline, Date.parse(START), Date.parse(END)).map((m) => [
        m.winningLeadId,
        m.mergedAt,
        String(m.losingLeadId),
      ]),
    );
  });

  it('keeps its story out of files that are not whole slots', () => {
    const { timeline } = instance();
    expect(timeline.firstSlotOf(Date.parse(START) + 1000, Date.parse(END), 4 * PER_DAY)).toBeUndefined();
    expect(timeline.firstSlotOf(Date.parse(START), Date.parse(START) + DAY_MS, 1234)).toBeUndefined();
  });
});
