import { describe, expect, it } from 'vitest';
import { validateClickwrapRequest } from '../../../../lambdas/providers/clickwrap/request';
import { validateExportRequest } from '../../../../lambdas/providers/descriptors';
import { ValidationError } from '../../../../lambdas/shared/errors';

function rejection(request: unknown, window?: { start: string; end: string }): ValidationError {
  try {
    validateClickwrapRequest(request, window);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('validateClickwrapRequest', () => {
  it('fills in defaults: export mode, the documented core fields, default link hosts, 100 per page', () => {
    const r = validateClickwrapRequest(undefined);
    expect(r.mode).toBe('export');
    expect(r.fields).toEqual([
      'id',
      'uuid',
      'version',
      'contract',
      'group',
      'site',
      'account',
      'signer_id',
      'event_type',
      'batch',
      'created_time',
    ]);
    expect(r.allowedLinkHosts).toContain('*.amazonaws.com');
    expect(r.perPage).toBe(100);
    expect('filter' in r).toBe(false);
  });

  it('accepts fields as a comma-separated string and keeps their order', () => {
    const r = validateClickwrapRequest({
      fields: 'created_time, id,signer_id,custom_data.vip',
      filter: ' event_type==agreed ',
      mode: 'list',
      perPage: 7,
    });
    expect(r.fields).toEqual(['created_time', 'id', 'signer_id', 'custom_data.vip']);
    expect(r.filter).toBe('event_type==agreed');
    expect(r.mode).toBe('list');
    expect(r.perPage).toBe(7);
  });

  it.each([
    [['id', 'created_time'], 'signer_id'],
    [['signer_id', 'created_time'], 'id'],
    [['id', 'signer_id', 'event_type'], 'created_time'],
  ])('rejects fields %j that lack %s', (fields, missing) => {
    const e = rejection({ fields });
    expect(e.field).toBe('fields');
    expect(e.message).toContain(missing);
  });

  it.each([
    [{ fields: ['id', 'signer_id', 'created_time', 'id'] }, 'fields', 'twice'],
    [{ fields: ['id', 'signer_id', 'created_time', 'a,b'] }, 'fields[3]', 'dotted path'],
    [{ fields: [] }, 'fields', ''],
    [{ filter: 'created_time>=2020-01-01' }, 'filter', 'window'],
    [{ filter: 'event_type==agreed or event_type==sent' }, 'filter', '"or"'],
    [{ filter: 'event_type' }, 'filter', 'clause'],
    [{ filter: 'event_type==agreed\nand x==1' }, 'filter', 'control'],
    [{ mode: 'bulk' }, 'mode', ''],
    [{ perPage: 0 }, 'perPage', ''],
    [{ allowedLinkHosts: ['https://evil.example.com/'] }, 'allowedLinkHosts[0]', 'host'],
    [{ format: 'tsv' }, 'format', 'unknown field'],
  ])('rejects %j naming %s', (request, field, words) => {
    const e = rejection(request);
    expect(e.field).toBe(field);
    expect(e.message).toContain(words);
  });

  it('checks the window when given: order and a 366-day span', () => {
    expect(rejection({}, { start: '2024-03-02T00:00:00Z', end: '2024-03-01T00:00:00Z' }).field).toBe('window.end');
    expect(rejection({}, { start: '2023-01-01T00:00:00Z', end: '2024-01-03T00:00:00Z' }).message).toContain('366 days');
    expect(rejection({}, { start: 'yesterday', end: '2024-01-03T00:00:00Z' }).field).toBe('window.start');
    expect(validateClickwrapRequest({}, { start: '2023-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' }).mode).toBe(
      'export',
    );
  });

  it("is the activities dataset's validator in the Clickwrap descriptor", () => {
    expect(() =>
      validateExportRequest({ provider: 'clickwrap', dataset: 'activities', request: { fields: ['id'] } }),
    ).toThrow(ValidationError);
  });
});
