import { describe, expect, it } from 'vitest';
import {
  curatedSplitKey,
  jobRecordKey,
  manifestKey,
  publishIntentKey,
  rawFileKey,
  rawWindowPrefix,
  stagedKey,
  stagedWindowPrefixes,
  watermarkKey,
} from '../../../lambdas/window/keys';

const window = { start: '2026-03-07T00:00:00Z', end: '2026-03-08T00:00:00Z' };

describe('bucket layout', () => {
  it('raw keys are deterministic per window and partitioned by dt', () => {
    expect(rawFileKey('mkto', window, { index: 1, format: 'csv' }, 1)).toBe(
      'raw/mkto/dt=2026-03-07/20260307T000000Z_20260308T000000Z.csv',
    );
    expect(rawFileKey('cw', window, { index: 2, format: 'csv' }, 3)).toBe(
      'raw/cw/dt=2026-03-07/20260307T000000Z_20260308T000000Z_2.csv',
    );
    expect(rawFileKey('mkto', window, { index: 1, format: 'tsv' }, 1).endsWith('.tsv')).toBe(true);
    expect(rawFileKey('mkto', window, { index: 1, format: 'csv' }, 1).startsWith(rawWindowPrefix('mkto', window))).toBe(
      true,
    );
  });

  it('manifests and state live outside raw/, where Athena never reads', () => {
    for (const key of [manifestKey('mkto', window), watermarkKey('mkto'), jobRecordKey('mkto', window)]) {
      expect(key.startsWith('raw/')).toBe(false);
    }
    expect(manifestKey('mkto', window)).toBe('manifests/mkto/20260307T000000Z_20260308T000000Z.json');
  });

  it('a curated object is staged under staging/, outside every table location, at a key derived from its own', () => {
    const final = curatedSplitKey('mkto', window, { index: 1 }, 1, 0);
    expect(stagedKey(final)).toBe('staging/curated/mkto/dt=2026-03-07/20260307T000000Z_20260308T000000Z-0001.parquet');
    expect(stagedKey(final).startsWith(stagedWindowPrefixes('mkto', window)[0]!)).toBe(true);
    expect(stagedKey(final).startsWith('curated/')).toBe(false);
    expect(publishIntentKey('mkto', window)).toBe('state/mkto/publish/20260307T000000Z_20260308T000000Z.json');
  });
});
