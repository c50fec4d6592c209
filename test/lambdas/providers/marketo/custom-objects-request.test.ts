import { describe, expect, it } from 'vitest';
import { validateCustomObjectsRequest } from '../../../../lambdas/providers/marketo/custom-objects-request';
import { MARKETO_DESCRIPTOR } from '../../../../lambdas/providers/marketo/descriptor';
import { fieldOf } from './support/field-of';

const objects = MARKETO_DESCRIPTOR.datasets['custom-objects'];

const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
const fields = ['marketoGUID', 'vin', 'updatedAt'];

describe('validateCustomObjectsRequest', () => {
  it('apiName is required and names every job path; the pipeline options stay out of the create body', () => {
    expect(fieldOf(() => validateCustomObjectsRequest({ fields }))).toBe('apiName');
    expect(fieldOf(() => validateCustomObjectsRequest({ fields, apiName: 'car_c/../leads' }))).toBe('apiName');
    const normalized = validateCustomObjectsRequest({ apiName: 'car_c', fields, latestKey: ['vin'] }, window);
    expect(normalized).toEqual({
      format: 'CSV',
      apiName: 'car_c',
      fields,
      latestKey: ['vin'],
      windowFilter: 'updatedAt',
      filter: { updatedAt: { startAt: window.start, endAt: window.end } },
    });
    expect(validateCustomObjectsRequest(normalized, window)).toEqual(normalized);
    expect(objects.bulk.createBody(normalized)).toEqual({ format: 'CSV', fields, filter: normalized.filter });
    expect(objects.bulk.basePath(normalized)).toBe('/bulk/v1/customobjects/car_c');
    expect(objects.fieldSource.describePath(normalized)).toBe('/rest/v1/customobjects/car_c/describe.json');
  });

  it('exactly one of updatedAt or a list; a list is a snapshot', () => {
    const list = validateCustomObjectsRequest(
      { apiName: 'car_c', fields: ['vin'], filter: { smartListName: 'Drivers' } },
      window,
    );
    expect(list.filter).toEqual({ smartListName: 'Drivers' });
    expect(list).not.toHaveProperty('windowFilter');
    expect(
      fieldOf(() =>
        validateCustomObjectsRequest({ apiName: 'car_c', fields, filter: { staticListId: 1, smartListId: 2 } }),
      ),
    ).toBe('filter.smartListId');
    expect(
      fieldOf(() =>
        validateCustomObjectsRequest({
          apiName: 'car_c',
          fields,
          filter: { staticListId: 1 },
          windowFilter: 'updatedAt',
        }),
      ),
    ).toBe('windowFilter');
    expect(
      fieldOf(() =>
        validateCustomObjectsRequest({
          apiName: 'car_c',
          fields,
          filter: { createdAt: { startAt: window.start, endAt: window.end } },
        }),
      ),
    ).toBe('filter.createdAt');
  });

  it('an incremental export needs its latest key (marketoGUID, or latestKey) and updatedAt in fields', () => {
    expect(fieldOf(() => validateCustomObjectsRequest({ apiName: 'car_c', fields: ['vin', 'updatedAt'] }))).toBe(
      'fields',
    );
    expect(() =>
      validateCustomObjectsRequest({ apiName: 'car_c', fields: ['vin', 'updatedAt'], latestKey: ['vin'] }),
    ).not.toThrow();
    expect(
      fieldOf(() => validateCustomObjectsRequest({ apiName: 'car_c', fields: ['vin', 'updatedAt'], latestKey: [] })),
    ).toBe('latestKey');
    expect(fieldOf(() => validateCustomObjectsRequest({ apiName: 'car_c', fields: ['vin', 'vin'] }))).toBe('fields[1]');
    expect(fieldOf(() => validateCustomObjectsRequest({ apiName: 'car_c' }))).toBe('fields');
  });
});
