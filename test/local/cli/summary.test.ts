import { describe, expect, it } from 'vitest';
import {
  cleanupText,
  quarantineLines,
  renderSummary,
  verifiedText,
  watermarkText,
  windowLines,
} from '../../../local/cli/summary';

describe('verifiedText', () => {
  it('says verified only for what was compared with the provider', () => {
    expect(verifiedText({ bytes: true, sha256: true, records: true })).toBe(
      'verified against the provider: size, sha256, records',
    );
    expect(verifiedText({ bytes: true, sha256: true, records: false })).toBe(
      'verified against the provider: size, sha256 (the provider gave no records)',
    );
    expect(verifiedText({ bytes: false, sha256: false, records: false })).toBe(
      'nothing to verify against: the provider gave no size, checksum or count',
    );
  });
});

describe('cleanupText', () => {
  it('says what cleanup did, and nothing it did not', () => {
    expect(cleanupText({ cancelledJobs: [], abortedUploads: 0, removedObjects: 0 })).toBe(
      'Cleanup cancelled no remote job, aborted 0 open upload(s), removed 0 object(s) of windows that did not land.',
    );
    expect(cleanupText({ cancelledJobs: ['j-1'], abortedUploads: 1, removedObjects: 2 })).toContain(
      'asked the provider to cancel job(s) j-1, aborted 1 open upload(s), removed 2 object(s)',
    );
    expect(cleanupText(undefined)).toContain('Cleanup did not report');
  });
});

describe('windowLines', () => {
  it('lists the landed windows with their manifests and the failed ones with their own errors', () => {
    const landed = {
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-02T00:00:00Z',
      jobId: 'j-1',
      manifest: 's3://b/manifests/x.json',
    };
    const failed = {
      start: '2026-11-02T00:00:00Z',
      end: '2026-11-03T00:00:00Z',
      jobId: null,
      error: { name: 'JobFailedError', message: 'Internal error' },
    };
    expect(windowLines({ landed: [landed], failed: [failed] })).toEqual([
      '  landed    2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z  s3://b/manifests/x.json',
      '  failed    2026-11-02T00:00:00Z → 2026-11-03T00:00:00Z  JobFailedError: Internal error',
    ]);
  });
});

describe('watermarkText', () => {
  const window = { start: '2026-12-05T00:00:00Z', end: '2026-12-06T00:00:00Z' };
  it('the watermark at the end of the run is just that', () => {
    expect(watermarkText('2026-12-06T00:00:00Z', window)).toBe('2026-12-06T00:00:00Z');
  });

  it('says why it did not move: none yet, or a gap before the range', () => {
    expect(watermarkText(null, window, { firstStart: '2026-01-01' })).toBe(
      "(none yet: this run's range starts at 2026-12-05T00:00:00Z, after the export's first start 2026-01-01; it only moves over windows contiguous with it, so a range after a gap never moves it (scheduled runs fill the gap))",
    );
    expect(watermarkText('2026-11-01T00:00:00Z', window)).toMatch(
      /^2026-11-01T00:00:00Z \(unchanged: this run's range starts at 2026-12-05T00:00:00Z, after it; /,
    );
    expect(watermarkText(null, window, { snapshot: true })).toMatch(/^\(none: a snapshot export/);
  });
});

describe('renderSummary of a full disk', () => {
  it('names where the run was writing and what cleanup did', () => {
    const result = {
      status: 'FAILED',
      error: { name: 'Error', message: 'ENOSPC: no space left on device, write' },
      events: [],
      taskInvocations: {},
      executionId: 'local-1',
      source: 'simulator',
    } as const;
    const text = renderSummary(result as unknown as Parameters<typeof renderSummary>[0], {
      seconds: 3,
      where: '/data/exports/',
    });
    expect(text).toContain('✘ Export failed: Error: ENOSPC: no space left on device, write');
    expect(text).toContain(
      '  disk      full: no space left where the run writes (/data/exports/); free some and run again',
    );
    expect(text).toContain('Cleanup did not report');
  });
});

describe('quarantineLines', () => {
  it('names each quarantined window, what was kept and the retry command', () => {
    const detail = {
      export: 'marketo-activities',
      provider: 'marketo',
      dataset: 'activities',
      window: { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' },
      attempts: 3,
      error: { name: 'UntypeableValueError', message: 'leadId' },
      jobId: 'j-3',
      raw: ['s3://b/quarantine/marketo-activities/w/w.csv'],
    };
    const events = [{ time: '', source: 's', eventBusName: 'b', detailType: 'Export Window Quarantined', detail }];
    expect(quarantineLines({ events })).toEqual([
      '  quarantined 2026-11-02T00:00:00Z → 2026-11-03T00:00:00Z  after 3 data failure(s); raw kept: s3://b/quarantine/marketo-activities/w/w.csv',
      '            after a fix: npm start -- retry marketo-activities --window 2026-11-02T00:00:00Z',
    ]);
  });
});
