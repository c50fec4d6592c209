import { describe, expect, it } from 'vitest';
import { encodeQuery, exportTaskQuery, windowFilter } from '../../../../lambdas/providers/clickwrap/query';

const W = { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' };

describe('query building', () => {
  it('bounds the window on created_time and joins the user filter with "and"', () => {
    expect(windowFilter(W)).toBe('created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z');
    expect(windowFilter(W, 'event_type==agreed')).toBe(
      'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z and event_type==agreed',
    );
  });

  it('percent-encodes spaces, operators, commas and plus signs (never "+" for a space)', () => {
    const q = exportTaskQuery(W, { fields: ['id', 'signer_id', 'created_time'], filter: 'signer_id==a+b@example.com' });
    expect(q).not.toMatch(/[ +<>,]/);
    const params = new URLSearchParams(q);
    expect(params.get('filter')).toBe(
      'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z and signer_id==a+b@example.com',
    );
    expect(params.get('fields')).toBe('id,signer_id,created_time');
    expect(params.get('no_count')).toBe('true');
    expect(params.get('lean')).toBe('true');
    expect(encodeQuery({ a: 'x y&z=1' })).toBe('a=x%20y%26z%3D1');
  });
});
