import { describe, expect, it } from 'vitest';
import { validateLeadsRequest } from '../../../../lambdas/providers/marketo/leads-request';
import { MARKETO_DESCRIPTOR } from '../../../../lambdas/providers/marketo/descriptor';
import { fieldOf } from './support/field-of';

const leadsCreateBody = MARKETO_DESCRIPTOR.datasets.leads.bulk.createBody;

const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
const range = { startAt: window.start, endAt: window.end };
const fields = ['id', 'email', 'updatedAt'];

describe('validateLeadsRequest', () => {
  it("an incremental request windows on updatedAt by default; the create body carries Marketo's parts only", () => {
    const normalized = validateLeadsRequest({ fields, fieldTypes: { email: 'email' } }, window);
    expect(normalized).toEqual({
      format: 'CSV',
      fields,
      fieldTypes: { email: 'email' },
      windowFilter: 'updatedAt',
      filter: { updatedAt: range },
    });
    expect(leadsCreateBody(normalized)).toEqual({ format: 'CSV', fields, filter: { updatedAt: range } });
    // A normalized request validates to itself.
    expect(validateLeadsRequest(normalized, window)).toEqual(normalized);
    expect(validateLeadsRequest({ fields, windowFilter: 'createdAt' }, window).filter).toEqual({ createdAt: range });
  });

  it('a list filter makes a snapshot: the window does not become a filter', () => {
    for (const filter of [
      { staticListId: 7 },
      { staticListName: 'VIP' },
      { smartListId: 9 },
      { smartListName: 'Active' },
    ]) {
      const normalized = validateLeadsRequest({ fields: ['email'], filter }, window);
      expect(normalized.filter).toEqual(filter);
      expect(normalized).not.toHaveProperty('windowFilter');
    }
  });

  it('exactly one of createdAt, updatedAt, static or smart list, naming the second', () => {
    expect(fieldOf(() => validateLeadsRequest({ fields, filter: { staticListId: 7, smartListName: 'x' } }))).toBe(
      'filter.smartListName',
    );
    expect(fieldOf(() => validateLeadsRequest({ fields, filter: { createdAt: range, updatedAt: range } }))).toBe(
      'filter.updatedAt',
    );
    expect(
      fieldOf(() => validateLeadsRequest({ fields, filter: { staticListId: 7 }, windowFilter: 'updatedAt' })),
    ).toBe('windowFilter');
    expect(
      fieldOf(() => validateLeadsRequest({ fields, filter: { createdAt: range }, windowFilter: 'updatedAt' })),
    ).toBe('filter.createdAt');
    expect(fieldOf(() => validateLeadsRequest({ fields, filter: { staticListId: 0 } }))).toBe('filter.staticListId');
    expect(fieldOf(() => validateLeadsRequest({ fields, filter: { programIds: [1] } }))).toBe('filter.programIds');
  });

  it('the window sets the date filter: a user-set one that differs is refused; more than 31 days too', () => {
    const other = { startAt: '2026-02-01T00:00:00Z', endAt: '2026-02-02T00:00:00Z' };
    expect(fieldOf(() => validateLeadsRequest({ fields, filter: { updatedAt: other } }, window))).toBe(
      'filter.updatedAt',
    );
    expect(validateLeadsRequest({ fields, filter: { updatedAt: range } }, window).filter).toEqual({ updatedAt: range });
    expect(
      fieldOf(() => validateLeadsRequest({ fields }, { start: '2026-01-01T00:00:00Z', end: '2026-02-15T00:00:00Z' })),
    ).toBe('filter.updatedAt.endAt');
    expect(
      fieldOf(() =>
        validateLeadsRequest({
          fields,
          filter: { updatedAt: { startAt: '2026-01-01T00:00:00.500Z', endAt: window.end } },
        }),
      ),
    ).toBe('filter.updatedAt.startAt');
  });

  it('fields: required, no duplicates, with id and updatedAt when incremental (the latest view needs them)', () => {
    expect(fieldOf(() => validateLeadsRequest({}))).toBe('fields');
    expect(fieldOf(() => validateLeadsRequest({ fields: [] }))).toBe('fields');
    expect(fieldOf(() => validateLeadsRequest({ fields: ['id', 'updatedAt', 'id'] }))).toBe('fields[2]');
    expect(fieldOf(() => validateLeadsRequest({ fields: ['email', 'updatedAt'] }))).toBe('fields');
    expect(() => validateLeadsRequest({ fields: ['email'], filter: { staticListId: 1 } })).not.toThrow();
  });

  it('format, columnHeaderNames and fieldTypes: checked like activities, keys must be exported fields', () => {
    expect(fieldOf(() => validateLeadsRequest({ fields, format: 'XLS' }))).toBe('format');
    expect(fieldOf(() => validateLeadsRequest({ fields, columnHeaderNames: { phone: 'Phone' } }))).toBe(
      'columnHeaderNames.phone',
    );
    expect(fieldOf(() => validateLeadsRequest({ fields, fieldTypes: { phone: 'phone' } }))).toBe('fieldTypes.phone');
    expect(fieldOf(() => validateLeadsRequest({ fields, fieldTypes: { email: '' } }))).toBe('fieldTypes.email');
    expect(fieldOf(() => validateLeadsRequest({ fields, dataset: 'x' }))).toBe('dataset');
    expect(validateLeadsRequest({ fields, format: 'TSV', columnHeaderNames: { id: 'Lead ID' } })).toMatchObject({
      format: 'TSV',
      columnHeaderNames: { id: 'Lead ID' },
    });
  });
});
