import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../../lambdas/shared/errors';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { watermarkKey } from '../../../lambdas/window/keys';
import { commitWatermark, readWatermark } from '../../../lambdas/workflow/watermark';
import { describeCaught } from '../../../lambdas/workflow/steps/describe-caught';

let root: string;
let store: LocalDirObjectStore;
const meta = { now: new Date('2026-03-10T00:00:00Z'), firstStart: '2026-03-01' };

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'wm-'));
  store = new LocalDirObjectStore({ root });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('commitWatermark', () => {
  it('the first commit must start at the first start; later ones extend it contiguously', async () => {
    expect(
      await commitWatermark(store, 'e', { from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' }, meta),
    ).toMatchObject({ moved: false });
    expect(await readWatermark(store, 'e')).toBeUndefined();
    expect(
      await commitWatermark(store, 'e', { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }, meta),
    ).toEqual({ moved: true, to: '2026-03-03T00:00:00Z' });
    expect(
      await commitWatermark(store, 'e', { from: '2026-03-02T00:00:00Z', to: '2026-03-04T00:00:00Z' }, meta),
    ).toEqual({
      moved: true,
      from: '2026-03-03T00:00:00Z',
      to: '2026-03-04T00:00:00Z',
    });
    expect((await readWatermark(store, 'e'))?.value.watermark).toBe('2026-03-04T00:00:00Z');
  });

  it('never moves backwards and never jumps a gap', async () => {
    await commitWatermark(store, 'e', { from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z' }, meta);
    const back = await commitWatermark(store, 'e', { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }, meta);
    expect(back).toMatchObject({ moved: false, current: '2026-03-05T00:00:00Z' });
    const gap = await commitWatermark(store, 'e', { from: '2026-03-07T00:00:00Z', to: '2026-03-08T00:00:00Z' }, meta);
    expect(gap).toMatchObject({ moved: false, reason: expect.stringMatching(/skip a gap/) });
    expect((await readWatermark(store, 'e'))?.value.watermark).toBe('2026-03-05T00:00:00Z');
  });

  it('a concurrent writer makes the conditional write fail instead of overwriting', async () => {
    await commitWatermark(store, 'e', { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }, meta);
    const before = await store.getObject(watermarkKey('e'));
    await store.putObject(
      watermarkKey('e'),
      JSON.stringify({ export: 'e', watermark: '2026-03-03T00:00:00Z', updatedAt: 'x' }),
      'application/json',
    );
    await expect(
      store.putObject(watermarkKey('e'), '{}', 'application/json', { ifMatch: before!.etag! }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
  });
});

describe('describeCaught', () => {
  it('reads the Lambda error report on AWS and the plain text of the local engine', () => {
    expect(
      describeCaught({
        Error: 'JobFailedError',
        Cause: JSON.stringify({ errorType: 'JobFailedError', errorMessage: 'job x failed', trace: [] }),
      }),
    ).toEqual({
      name: 'JobFailedError',
      message: 'job x failed',
    });
    expect(describeCaught({ Error: 'JobFailedError', Cause: 'JobFailedError: job x failed' })).toEqual({
      name: 'JobFailedError',
      message: 'job x failed',
    });
    expect(describeCaught({ Error: 'States.Timeout' }).message).toBe('');
    expect(describeCaught({ Error: 'X', Cause: 'y'.repeat(5000) }).message.length).toBeLessThan(1100);
  });
});
