import { describe, expect, it } from 'vitest';
import { validateMarketoRequest, toCreateJobBody } from '../../../../lambdas/providers/marketo/request';
import { validateExportRequest } from '../../../../lambdas/providers/descriptors';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { fieldOf } from './support/field-of';

const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };

describe('validateMarketoRequest', () => {
  it('normalizes a minimal request: CSV by default, the window becomes filter.createdAt', () => {
    expect(validateMarketoRequest({}, window)).toEqual({
      format: 'CSV',
      filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-02T00:00:00Z' } },
    });
    expect(validateMarketoRequest(undefined)).toEqual({ format: 'CSV', filter: {} });
  });

  it('accepts a full, valid request and keeps it as the create body', () => {
    const request = {
      format: 'TSV',
      fields: ['leadId', 'activityDate', 'activityTypeId', 'actionResult'],
      columnHeaderNames: { leadId: 'Lead ID' },
      filter: { activityTypeIds: [2], primaryAttributeValueIds: [16, 102] },
    };
    const normalized = validateMarketoRequest(request, window);
    expect(toCreateJobBody(normalized)).toEqual({
      ...request,
      filter: { ...request.filter, createdAt: { startAt: window.start, endAt: window.end } },
    });
  });

  it("is the activities dataset's validator in the Marketo descriptor", () => {
    expect(() =>
      validateExportRequest({ provider: 'marketo', dataset: 'activities', request: { format: 'XLS' } }),
    ).toThrow(ValidationError);
    expect(
      validateExportRequest({ provider: 'marketo', dataset: 'activities', request: { format: 'SSV' } }),
    ).toMatchObject({ format: 'SSV' });
  });

  describe('createdAt (the window)', () => {
    it('is required to build a job', () => {
      expect(fieldOf(() => toCreateJobBody(validateMarketoRequest({})))).toBe('filter.createdAt');
      expect(fieldOf(() => validateMarketoRequest({}, {} as never))).toBe('filter.createdAt.startAt');
      expect(fieldOf(() => validateMarketoRequest({}, { start: window.start } as never))).toBe(
        'filter.createdAt.endAt',
      );
    });

    it('must start before it ends', () => {
      expect(fieldOf(() => validateMarketoRequest({}, { start: window.end, end: window.start }))).toBe(
        'filter.createdAt.endAt',
      );
      expect(fieldOf(() => validateMarketoRequest({}, { start: window.start, end: window.start }))).toBe(
        'filter.createdAt.endAt',
      );
    });

    it('may span 31 days but not one second more', () => {
      expect(() =>
        validateMarketoRequest({}, { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' }),
      ).not.toThrow();
      expect(() => validateMarketoRequest({}, { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:01Z' })).toThrow(
        /at most 31 days/,
      );
    });

    it('is ISO-8601 with seconds and an offset, without milliseconds', () => {
      expect(() =>
        validateMarketoRequest({}, { start: '2021-07-01T23:59:59-00:00', end: '2021-07-02T23:59:59+02:00' }),
      ).not.toThrow();
      for (const bad of [
        '2026-01-01T00:00:00.000Z',
        '2026-01-01',
        '2026-01-01T00:00Z',
        '2026-01-01T00:00:00',
        '2026-02-30T00:00:00Z',
        'yesterday',
      ]) {
        expect(
          fieldOf(() => validateMarketoRequest({}, { start: bad, end: '2026-03-02T00:00:00Z' })),
          bad,
        ).toBe('filter.createdAt.startAt');
      }
    });

    it('in the request itself is checked, and must agree with the window', () => {
      const own = { filter: { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-01T00:00:00.5Z' } } };
      expect(fieldOf(() => validateMarketoRequest(own))).toBe('filter.createdAt.endAt');
      const same = { filter: { createdAt: { startAt: '2026-01-01T01:00:00+01:00', endAt: '2026-01-02T00:00:00Z' } } };
      expect(() => validateMarketoRequest(same, window)).not.toThrow();
      const other = { filter: { createdAt: { startAt: '2026-01-05T00:00:00Z', endAt: '2026-01-06T00:00:00Z' } } };
      expect(fieldOf(() => validateMarketoRequest(other, window))).toBe('filter.createdAt');
    });
  });

  it('activityTypeIds are positive integers', () => {
    expect(fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [1, 0] } }))).toBe(
      'filter.activityTypeIds[1]',
    );
    expect(fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [1.5] } }))).toBe(
      'filter.activityTypeIds[0]',
    );
    expect(fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: ['6'] } }))).toBe(
      'filter.activityTypeIds[0]',
    );
    expect(fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [] } }))).toBe('filter.activityTypeIds');
    expect(validateMarketoRequest({ filter: { activityTypeIds: [1, 6, 12] } }).filter.activityTypeIds).toEqual([
      1, 6, 12,
    ]);
  });

  describe('primary attribute filters', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const names = (n: number) => Array.from({ length: n }, (_, i) => `Program.Form ${i}`);

    it('allow at most 50 ids or 50 values', () => {
      expect(() =>
        validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValueIds: ids(50) } }),
      ).not.toThrow();
      expect(
        fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValueIds: ids(51) } })),
      ).toBe('filter.primaryAttributeValueIds');
      expect(() =>
        validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValues: names(50) } }),
      ).not.toThrow();
      expect(
        fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValues: names(51) } })),
      ).toBe('filter.primaryAttributeValues');
      expect(
        fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValueIds: [-4] } })),
      ).toBe('filter.primaryAttributeValueIds[0]');
      expect(
        fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [2], primaryAttributeValues: [''] } })),
      ).toBe('filter.primaryAttributeValues[0]');
    });

    it('never both ids and values', () => {
      const error = (() => {
        try {
          validateMarketoRequest({
            filter: { activityTypeIds: [2], primaryAttributeValueIds: [1], primaryAttributeValues: ['a.b'] },
          });
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(error?.field).toBe('filter.primaryAttributeValues');
      expect(error?.message).toMatch(/together with primaryAttributeValueIds/);
    });

    it('either requires activityTypeIds, of one asset group that supports it', () => {
      expect(fieldOf(() => validateMarketoRequest({ filter: { primaryAttributeValueIds: [1] } }))).toBe(
        'filter.activityTypeIds',
      );
      expect(fieldOf(() => validateMarketoRequest({ filter: { primaryAttributeValues: ['a.b'] } }))).toBe(
        'filter.activityTypeIds',
      );
      expect(
        fieldOf(() => validateMarketoRequest({ filter: { activityTypeIds: [2, 6], primaryAttributeValueIds: [1] } })),
      ).toBe('filter.activityTypeIds[1]');
      expect(() =>
        validateMarketoRequest({ filter: { activityTypeIds: [2, 24], primaryAttributeValueIds: [1] } }),
      ).toThrow(/one asset group/);
      expect(() =>
        validateMarketoRequest({ filter: { activityTypeIds: [24, 25], primaryAttributeValueIds: [1] } }),
      ).not.toThrow();
      expect(() =>
        validateMarketoRequest({ filter: { activityTypeIds: [13, 22], primaryAttributeValues: ['Lead Score'] } }),
      ).not.toThrow();
    });
  });

  it('format is CSV, TSV or SSV', () => {
    for (const format of ['CSV', 'TSV', 'SSV']) expect(validateMarketoRequest({ format }).format).toBe(format);
    for (const format of ['csv', 'JSON', 3])
      expect(
        fieldOf(() => validateMarketoRequest({ format })),
        String(format),
      ).toBe('format');
  });

  it('fields come from the documented activity fields plus actionResult, without duplicates', () => {
    expect(validateMarketoRequest({ fields: ['actionResult', 'marketoGUID'] }).fields).toEqual([
      'actionResult',
      'marketoGUID',
    ]);
    expect(fieldOf(() => validateMarketoRequest({ fields: ['leadId', 'email'] }))).toBe('fields[1]');
    expect(() => validateMarketoRequest({ fields: ['leadId', 'email'] })).toThrow(/unknown field "email"/);
    expect(fieldOf(() => validateMarketoRequest({ fields: ['leadId', 'leadId'] }))).toBe('fields[1]');
    expect(fieldOf(() => validateMarketoRequest({ fields: [] }))).toBe('fields');
    expect(fieldOf(() => validateMarketoRequest({ fields: 'leadId' }))).toBe('fields');
  });

  it('columnHeaderNames keys must be exported fields', () => {
    expect(() => validateMarketoRequest({ columnHeaderNames: { attributes: 'attrs' } })).not.toThrow();
    expect(fieldOf(() => validateMarketoRequest({ columnHeaderNames: { actionResult: 'result' } }))).toBe(
      'columnHeaderNames.actionResult',
    );
    expect(fieldOf(() => validateMarketoRequest({ fields: ['leadId'], columnHeaderNames: { attributes: 'a' } }))).toBe(
      'columnHeaderNames.attributes',
    );
    expect(() =>
      validateMarketoRequest({ fields: ['leadId', 'actionResult'], columnHeaderNames: { actionResult: 'result' } }),
    ).not.toThrow();
    expect(fieldOf(() => validateMarketoRequest({ columnHeaderNames: { leadId: '' } }))).toBe(
      'columnHeaderNames.leadId',
    );
  });

  it('unknown options and filters are named, not ignored', () => {
    expect(fieldOf(() => validateMarketoRequest({ fromat: 'CSV' }))).toBe('fromat');
    expect(fieldOf(() => validateMarketoRequest({ filter: { updatedAt: {} } }))).toBe('filter.updatedAt');
    expect(fieldOf(() => validateMarketoRequest(null))).toBe('request');
    expect(fieldOf(() => validateMarketoRequest([]))).toBe('request');
  });
});
