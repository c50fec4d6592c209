import { describe, expect, it } from 'vitest';
import { chicagoDay, formatMarketoTime, nextChicagoMidnight } from '../../../../local/simulators/marketo/marketo-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('Marketo time', () => {
  it('formats instants without milliseconds', () => {
    expect(formatMarketoTime(Date.parse('2017-01-21T19:47:30.999Z'))).toBe('2017-01-21T19:47:30Z');
  });

  it.each([
    // ordinary winter (CST, UTC-6) and summer (CDT, UTC-5) days
    ['2024-01-15T12:00:00Z', '2024-01-15T06:00:00.000Z', '2024-01-16T06:00:00.000Z', '2024-01-15'],
    ['2024-07-15T03:00:00Z', '2024-07-14T05:00:00.000Z', '2024-07-15T05:00:00.000Z', '2024-07-14'],
    // spring forward: 23 hours; fall back: 25 hours
    ['2024-03-10T12:00:00Z', '2024-03-10T06:00:00.000Z', '2024-03-11T05:00:00.000Z', '2024-03-10'],
    ['2024-11-03T12:00:00Z', '2024-11-03T05:00:00.000Z', '2024-11-04T06:00:00.000Z', '2024-11-03'],
  ])('the Chicago day holding %s runs %s to %s', (at, start, end, key) => {
    const day = chicagoDay(Date.parse(at));
    expect([iso(day.start), iso(day.end), day.key]).toEqual([start, end, key]);
    expect(iso(nextChicagoMidnight(Date.parse(at)))).toBe(end);
  });

  it('moves to the next day exactly at local midnight', () => {
    expect(iso(nextChicagoMidnight(Date.parse('2024-03-11T04:59:59.999Z')))).toBe('2024-03-11T05:00:00.000Z');
    expect(iso(nextChicagoMidnight(Date.parse('2024-03-11T05:00:00.000Z')))).toBe('2024-03-12T05:00:00.000Z');
  });
});
