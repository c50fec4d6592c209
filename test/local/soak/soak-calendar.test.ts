// The soak's calendar and kill points: the month of the brief, the short month, and the lines that
// open each kill moment.
import { describe, expect, it } from 'vitest';
import { KILL_POINT_NAMES, lineKillPoint } from '../../../local/soak/kill-points';
import { soakCalendar } from '../../../local/soak/soak-calendar';
import { soakMonth } from '../../../local/soak/soak-config';

describe('soakCalendar', () => {
  it('30 days: poison 7→12, outage 15, quota 20, backfill 25, kills during conversion and publish on clean days', () => {
    for (const seed of [1, 2, 3, 42]) {
      const c = soakCalendar(30, seed);
      expect(c).toMatchObject({ poison: { from: 7, until: 12 }, outageDay: 15, quotaDay: 20, backfillDay: 25 });
      expect(c.kills.some((k) => k.at === 'convert' && k.export === 'marketo-activities')).toBe(true);
      expect(c.kills.some((k) => k.at === 'publish')).toBe(true);
      expect(c.kills.length).toBeGreaterThanOrEqual(3);
      const faultDays = new Set([7, 8, 9, 10, 11, 12, 13, 15, 16, 20, 21, 25, 26, 30]);
      for (const k of c.kills) {
        expect(faultDays.has(k.day), `kill on day ${k.day}`).toBe(false);
        // The next day proves the convergence: no other kill on it.
        expect(c.kills.filter((o) => o.day === k.day + 1)).toEqual([]);
      }
    }
    expect(soakCalendar(30, 1)).toEqual(soakCalendar(30, 1));
  });

  it('the short month keeps one kill, one poison and one outage; fewer than 6 days is refused', () => {
    expect(soakCalendar(6, 1)).toEqual({
      days: 6,
      kills: [{ day: 2, export: 'marketo-activities', at: 'convert' }],
      poison: { from: 3, until: 5 },
      outageDay: 4,
    });
    expect(soakCalendar(9, 1)).toMatchObject({ quotaDay: 6, backfillDay: 8 });
    expect(() => soakCalendar(5, 1)).toThrow(RangeError);
  });
});

describe('soakMonth', () => {
  it('ends yesterday: day n replays each export at its schedule time and is due to land the day before', () => {
    const month = soakMonth(30, new Date('2026-12-06T12:00:00Z'));
    expect(month.firstStart.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(month.asOf('marketo-activities', 1).toISOString()).toBe('2026-11-06T02:15:00.000Z');
    expect(month.asOf('clickwrap-activity', 30).toISOString()).toBe('2026-12-05T03:00:00.000Z');
    expect(month.windowOf(1)).toEqual({ start: '2026-11-05T00:00:00Z', end: '2026-11-06T00:00:00Z' });
  });
});

describe('kill points', () => {
  it('each fires on the progress line that opens its moment, and on no other step; a publish is killed from inside', () => {
    const lines: Record<(typeof KILL_POINT_NAMES)[number], string> = {
      plan: '• Plan: 2 window(s)',
      job: '• StartJob [2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z]: job 1 queued',
      transfer: '• TransferChunk [2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z]: invocation 1: 5 bytes',
      verify: '• FinishFile [2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z]: verified',
      convert: '• ConvertSplit [2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z]: 3 rows → curated/x.parquet',
      publish: '• WriteManifest [2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z]: 1 file(s)',
    };
    for (const name of KILL_POINT_NAMES.filter((n) => n !== 'publish')) {
      const point = lineKillPoint(name);
      expect(point.env).toEqual({});
      for (const [other, line] of Object.entries(lines))
        expect(point.reached(line), `${name} on ${other}`).toBe(other === name);
    }
    expect(lineKillPoint('plan').reached('• Plan: 0 window(s)')).toBe(false);
    // The local engine's hook kills the run as its store starts the first copy of a publish.
    const publish = lineKillPoint('publish');
    expect(publish.env).toEqual({ BULK_EXPORT_KILL_ON_COPY: '1' });
    expect(Object.values(lines).some((line) => publish.reached(line))).toBe(false);
  });
});
