import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderApiError,
  RangeMismatchError,
  RateLimitedError,
  TransientApiError,
} from '../../../lambdas/shared/errors';
import { httpRangeOpener } from '../../../lambdas/transfer/http-range-opener';
import { redactUrl } from '../../../lambdas/shared/http/redact-url';
import { type RangeSource, startRangeSource } from './support/range-source-server';

const DATA = Buffer.from('0123456789abcdefghij');

describe('httpRangeOpener', () => {
  let source: RangeSource;
  beforeAll(async () => {
    source = await startRangeSource(DATA);
  });
  afterAll(async () => {
    await source.close();
  });
  beforeEach(() => {
    source.faults = {};
  });

  it('opens a 206 range and reports where it starts and the whole size', async () => {
    const opened = await httpRangeOpener(source.url)({ start: 5 });
    expect(opened).toMatchObject({ ranged: true, start: 5, totalSize: 20 });
    expect(await text(opened.body)).toBe('56789abcdefghij');
    const bounded = await httpRangeOpener(source.url)({ start: 2, endInclusive: 4 });
    expect(await text(bounded.body)).toBe('234');
    expect(source.requests.at(-1)?.range).toBe('bytes=2-4');
  });

  it('says so when the server ignored Range', async () => {
    source.faults = { ignoreRange: true };
    const opened = await httpRangeOpener(source.url)({ start: 5 });
    expect(opened).toMatchObject({ ranged: false, start: 0, totalSize: 20 });
    expect(await text(opened.body)).toBe(DATA.toString());
  });

  it('rejects a Content-Range that does not answer the request', async () => {
    source.faults = { wrongContentRange: true };
    await expect(httpRangeOpener(source.url)({ start: 5 })).rejects.toThrow(RangeMismatchError);
  });

  it('treats a range starting exactly at the end as empty, and one beyond it as an error', async () => {
    const atEnd = await httpRangeOpener(source.url)({ start: 20 });
    expect(atEnd).toMatchObject({ ranged: true, start: 20, totalSize: 20 });
    expect(await text(atEnd.body)).toBe('');
    await expect(httpRangeOpener(source.url)({ start: 21 })).rejects.toThrow(RangeMismatchError);
  });

  it('maps failures to named errors without echoing the query string of a link', async () => {
    const signed = `${source.url}?X-Amz-Signature=secret123`;
    source.faults = { failWithStatus: 503 };
    const e503 = await httpRangeOpener(signed)({ start: 0 }).catch((e: unknown) => e);
    expect(e503).toBeInstanceOf(TransientApiError);
    expect(String((e503 as Error).message)).not.toContain('secret123');
    source.faults = { failWithStatus: 429 };
    await expect(httpRangeOpener(signed)({ start: 0 })).rejects.toThrow(RateLimitedError);
    source.faults = { failWithStatus: 403 };
    await expect(httpRangeOpener(signed)({ start: 0 })).rejects.toThrow(ProviderApiError);
    await expect(httpRangeOpener('http://127.0.0.1:1/x?sig=secret123')({ start: 0 })).rejects.toThrow(
      TransientApiError,
    );
    expect(redactUrl(signed)).not.toContain('secret123');
  });
});
