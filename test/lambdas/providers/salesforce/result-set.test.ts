// One result set's records counted with quotes kept track of, and a set cut short told apart from a
// whole one; a position string read back as written, and a foreign one refused.
import { describe, expect, it } from 'vitest';
import { headerOf, scanResultSet } from '../../../../lambdas/providers/salesforce/result-set';
import {
  decodePosition,
  encodePosition,
  START_POSITION,
} from '../../../../lambdas/providers/salesforce/results-position';

const set = (text: string) => Buffer.from(text, 'utf8');

describe('a result set', () => {
  it('counts records, not lines: line breaks, CRLF and quotes inside values end no record', () => {
    const body = set('"Id","Note"\n"1","two\nlines"\n"2","CRLF\r\ninside"\n"3","say ""hi"", then\n"\n');
    const scanned = scanResultSet(body, 'set');
    expect(scanned.records).toBe(3);
    expect(headerOf(body, scanned).toString()).toBe('"Id","Note"\n');
  });

  it('an empty body (a job with no rows) is no records; a header alone is none either', () => {
    expect(scanResultSet(Buffer.alloc(0), 'set')).toEqual({ headerEnd: 0, records: 0 });
    expect(scanResultSet(set('"Id"\n'), 'set')).toEqual({ headerEnd: 5, records: 0 });
  });

  it('a set that ends inside quotes or without its line ending was cut short (transient: fetched again)', () => {
    expect(() => scanResultSet(set('"Id","Note"\n"1","half'), 'set 2')).toThrow(
      expect.objectContaining({ name: 'TransientApiError', code: 'truncated-set' }),
    );
    expect(() => scanResultSet(set('"Id"\n"1"'), 'set 2')).toThrow(/cut short/);
  });
});

describe('a results position', () => {
  it('round-trips, and only the first set has no locator', () => {
    const p = { set: 3, byte: 123_456, records: 30_000, locator: 'c2ltOjMwMDAw' };
    expect(decodePosition(encodePosition(p))).toEqual(p);
    expect(decodePosition(encodePosition(START_POSITION))).toEqual(START_POSITION);
    expect(() => decodePosition('sfdc1:0:10:0:')).toThrow(/only the first set/);
    expect(() => decodePosition('sfdc1:2:10:5:')).toThrow(/only the first set/);
    expect(() => decodePosition('marketo:1:2:3:x')).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => decodePosition('sfdc1:1:2:3:a b')).toThrow(/not a Salesforce results position/);
  });
});
