import { describe, expect, it } from 'vitest';
import {
  cellText,
  csvLines,
  isListJobId,
  listFilePath,
  listJobId,
  parseListJobId,
  resolveField,
} from '../../../../lambdas/providers/clickwrap/list-route';

describe('list-route helpers', () => {
  it('carries the whole list job in its id', () => {
    const spec = {
      window: { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' },
      filter: 'event_type==agreed',
      fields: ['id', 'signer_id', 'created_time'],
      perPage: 7,
    };
    const id = listJobId(spec);
    expect(isListJobId(id)).toBe(true);
    expect(parseListJobId(id)).toEqual(spec);
  });

  it('puts the API query in the path and the columns in the (never sent) fragment', () => {
    const path = listFilePath({
      window: { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' },
      fields: ['id', 'custom_data.vip'],
      perPage: 5,
    });
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/activity');
    expect(url.searchParams.get('filter')).toBe(
      'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z',
    );
    expect([...url.searchParams.keys()].sort()).toEqual(['filter', 'lean', 'no_count', 'per_page']);
    expect(new URLSearchParams(url.hash.slice(1)).get('fields')).toBe('id,custom_data.vip');
  });

  it('resolves dotted fields from nested objects (or a literal dotted key)', () => {
    const row = {
      id: 'a',
      custom_data: { vip: true, n: 3 },
      connection_data: { page_url: 'https://x/?a=1,b' },
      'odd.key': 'lit',
    };
    expect(resolveField(row, 'custom_data.vip')).toBe(true);
    expect(resolveField(row, 'connection_data.page_url')).toBe('https://x/?a=1,b');
    expect(resolveField(row, 'odd.key')).toBe('lit');
    expect(resolveField(row, 'custom_data.missing')).toBeUndefined();
    expect(resolveField(row, 'id.deeper')).toBeUndefined();
  });

  it('writes cells as text with RFC 4180 quoting', () => {
    expect([true, false, 3, null, undefined, 'x', { a: 1 }].map(cellText)).toEqual([
      'true',
      'false',
      '3',
      '',
      '',
      'x',
      '{"a":1}',
    ]);
    expect(csvLines([['a', 'b,c', 'say "hi"', 'two\nlines', '']])).toBe('a,"b,c","say ""hi""","two\nlines",\n');
    expect(csvLines([])).toBe('');
  });
});
