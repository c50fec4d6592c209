import { describe, expect, it } from 'vitest';
import type { CuratedColumn } from '../../../lambdas/curated/curated-column';
import { TypingFailure, typeValue } from '../../../lambdas/curated/typed-value';

const col = (type: CuratedColumn['type'], nullTokens?: string[]): CuratedColumn => ({
  name: 'c',
  type,
  ...(nullTokens ? { nullTokens } : {}),
});
const fails = (type: CuratedColumn['type'], raw: string) =>
  expect(typeValue(col(type), raw), raw).toBeInstanceOf(TypingFailure);

describe('typeValue', () => {
  it('maps a null token to NULL and keeps everything else of a string', () => {
    expect(typeValue(col('string', ['null']), 'null')).toBeNull();
    expect(typeValue(col('string', ['null']), '')).toBe('');
    expect(typeValue(col('int', ['']), '')).toBeNull();
    expect(typeValue(col('string'), 'null')).toBe('null');
  });

  it('reads strict integers within their range', () => {
    expect(typeValue(col('bigint'), '-9223372036854775808')).toBe(-(2n ** 63n));
    expect(typeValue(col('bigint'), '9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(typeValue(col('int'), '2147483647')).toBe(2_147_483_647);
    expect(typeValue(col('int'), '-2147483648')).toBe(-2_147_483_648);
    for (const raw of ['', ' 1', '1.0', '1e3', '+1', '0x10', 'abc', '12x']) fails('bigint', raw);
    fails('bigint', '9223372036854775808');
    fails('int', '2147483648');
  });

  it('reads decimals, booleans and dates strictly', () => {
    expect(typeValue(col('double'), '-1.5e3')).toBe(-1500);
    expect(typeValue(col('double'), '.25')).toBe(0.25);
    for (const raw of ['', 'NaN', 'Infinity', '1,5', '0x1']) fails('double', raw);
    expect(typeValue(col('boolean'), 'true')).toBe(true);
    expect(typeValue(col('boolean'), 'false')).toBe(false);
    for (const raw of ['TRUE', '1', 'yes', '']) fails('boolean', raw);
    expect(typeValue(col('date'), '1970-01-02')).toBe(1);
    expect(typeValue(col('date'), '2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
    for (const raw of ['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00Z']) fails('date', raw);
  });

  it('reads ISO-8601 timestamps with Z or an offset as UTC epoch millis, milliseconds kept', () => {
    expect(typeValue(col('timestamp'), '2026-11-01T12:34:56Z')).toBe(BigInt(Date.UTC(2026, 10, 1, 12, 34, 56)));
    expect(typeValue(col('timestamp'), '2026-11-01T12:34:56.789Z')).toBe(
      BigInt(Date.UTC(2026, 10, 1, 12, 34, 56, 789)),
    );
    expect(typeValue(col('timestamp'), '2026-11-01T12:34:56.7Z')).toBe(BigInt(Date.UTC(2026, 10, 1, 12, 34, 56, 700)));
    expect(typeValue(col('timestamp'), '2026-11-01T12:34:56.789000Z')).toBe(
      BigInt(Date.UTC(2026, 10, 1, 12, 34, 56, 789)),
    );
    expect(typeValue(col('timestamp'), '2026-11-01T14:34:56+02:00')).toBe(BigInt(Date.UTC(2026, 10, 1, 12, 34, 56)));
    expect(typeValue(col('timestamp'), '2026-11-01T07:04:56-0530')).toBe(BigInt(Date.UTC(2026, 10, 1, 12, 34, 56)));
    expect(typeValue(col('timestamp'), '1969-12-31T23:59:59.999Z')).toBe(-1n);
    for (const raw of [
      '2026-11-01T12:34:56',
      '2026-11-01',
      '2026-11-01T24:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-11-01T12:34:56.7891Z',
      '2026-11-01T12:34:60Z',
      'null',
    ]) {
      fails('timestamp', raw);
    }
  });
});
