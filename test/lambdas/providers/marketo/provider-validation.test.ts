// Every validation rule, through the provider: a bad request is refused before any network call (the
// simulator sees nothing at all, not even a token request).
import { describe, expect, it } from 'vitest';
import { closeAllAfterTests, harness, WINDOW } from './support/harness';

closeAllAfterTests();

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const BAD: Array<[string, Record<string, unknown>, { start: string; end: string }, string]> = [
  [
    'createdAt missing (no window start)',
    {},
    { start: undefined as unknown as string, end: WINDOW.end },
    'filter.createdAt.startAt',
  ],
  ['start not before end', {}, { start: WINDOW.end, end: WINDOW.start }, 'filter.createdAt.endAt'],
  ['span over 31 days', {}, { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:01Z' }, 'filter.createdAt.endAt'],
  ['milliseconds', {}, { start: '2026-03-01T00:00:00.000Z', end: WINDOW.end }, 'filter.createdAt.startAt'],
  [
    'createdAt also in the request, disagreeing',
    { filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-02T00:00:00Z' } } },
    WINDOW,
    'filter.createdAt',
  ],
  [
    'activityTypeIds not positive integers',
    { filter: { activityTypeIds: [6, -1] } },
    WINDOW,
    'filter.activityTypeIds[1]',
  ],
  [
    'more than 50 primaryAttributeValueIds',
    { filter: { activityTypeIds: [2], primaryAttributeValueIds: ids(51) } },
    WINDOW,
    'filter.primaryAttributeValueIds',
  ],
  [
    'more than 50 primaryAttributeValues',
    { filter: { activityTypeIds: [2], primaryAttributeValues: ids(51).map(String) } },
    WINDOW,
    'filter.primaryAttributeValues',
  ],
  [
    'ids and values together',
    { filter: { activityTypeIds: [2], primaryAttributeValueIds: [1], primaryAttributeValues: ['a'] } },
    WINDOW,
    'filter.primaryAttributeValues',
  ],
  [
    'primaryAttributeValueIds without activityTypeIds',
    { filter: { primaryAttributeValueIds: [1] } },
    WINDOW,
    'filter.activityTypeIds',
  ],
  [
    'primaryAttributeValues without activityTypeIds',
    { filter: { primaryAttributeValues: ['a'] } },
    WINDOW,
    'filter.activityTypeIds',
  ],
  ['format not CSV/TSV/SSV', { format: 'XLSX' }, WINDOW, 'format'],
  [
    'columnHeaderNames key not exported',
    { fields: ['leadId'], columnHeaderNames: { activityDate: 'when' } },
    WINDOW,
    'columnHeaderNames.activityDate',
  ],
  ['unknown field', { fields: ['leadId', 'email'] }, WINDOW, 'fields[1]'],
  ['unknown option', { filters: {} }, WINDOW, 'filters'],
];

describe('Marketo provider: validation before any call', () => {
  it.each(BAD)('%s → ValidationError naming the field, and no network call', async (_what, request, window, field) => {
    const h = await harness();
    await expect(h.provider.startJob(window, request)).rejects.toMatchObject({ name: 'ValidationError', field });
    expect(() => h.provider.validate(request, window)).toThrow(expect.objectContaining({ field }));
    expect(h.sim.stats().total).toBe(0);
  });

  it('validate() without a window checks the options only (what cdk synth runs)', async () => {
    const h = await harness();
    expect(h.provider.validate({ format: 'TSV', fields: ['leadId', 'actionResult'] })).toEqual({
      format: 'TSV',
      fields: ['leadId', 'actionResult'],
      filter: {},
    });
    expect(h.sim.stats().total).toBe(0);
  });
});
