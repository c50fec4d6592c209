import { describe, expect, it } from 'vitest';
import { MARKETO_DESCRIPTOR, bulkEndpoint } from '../../../../lambdas/providers/marketo/descriptor';
import { completedJobFiles, normalizeJobState } from '../../../../lambdas/providers/marketo/job-status';

const ACTIVITIES = bulkEndpoint(MARKETO_DESCRIPTOR.datasets.activities, {});

const sha = 'c16514c7e80fcac5ea055dacae9617fc3c29aff5365e3743071313ce0ed2a815';
const completed = {
  exportId: 'ce45a7a1',
  status: 'Completed',
  format: 'CSV',
  numberOfRecords: 15423,
  fileSize: 12342,
  fileChecksum: `sha256:${sha.toUpperCase()}`,
};

describe('job status mapping', () => {
  it('normalizes every Marketo status word (both spellings of cancelled)', () => {
    expect(
      ['Created', 'Queued', 'Processing', 'Completed', 'Failed', 'Canceled', 'Cancelled'].map(normalizeJobState),
    ).toEqual(['queued', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'cancelled']);
    expect(() => normalizeJobState('Archived')).toThrow(expect.objectContaining({ name: 'ProviderApiError' }));
  });

  it('a completed job has one API file with size, lower-case sha256, range support and format', () => {
    expect(completedJobFiles(ACTIVITIES, completed)).toEqual([
      {
        index: 1,
        source: { kind: 'api', path: '/bulk/v1/activities/export/ce45a7a1/file.json' },
        sendCredentials: true,
        size: 12342,
        sha256: sha,
        rangeSupport: 'yes',
        format: 'csv',
      },
    ]);
    expect(completedJobFiles(ACTIVITIES, { ...completed, format: 'TSV' })[0]?.format).toBe('tsv');
  });

  it('zero records: a header-only file is kept, a 0-byte or absent file is no file', () => {
    expect(completedJobFiles(ACTIVITIES, { ...completed, numberOfRecords: 0, fileSize: 87 })).toHaveLength(1);
    expect(completedJobFiles(ACTIVITIES, { ...completed, numberOfRecords: 0, fileSize: 0 })).toEqual([]);
    expect(
      completedJobFiles(ACTIVITIES, { exportId: 'x', status: 'Completed', format: 'CSV', numberOfRecords: 0 }),
    ).toEqual([]);
    // Records but no stated size: the file is fetched to its end.
    const unsized = completedJobFiles(ACTIVITIES, {
      exportId: 'x',
      status: 'Completed',
      format: 'CSV',
      numberOfRecords: 3,
    });
    expect(unsized).toHaveLength(1);
    expect(unsized[0]).not.toHaveProperty('size');
    expect(unsized[0]).not.toHaveProperty('sha256');
  });

  it('refuses a checksum that is not sha256:<hex> and a format it cannot name', () => {
    expect(() => completedJobFiles(ACTIVITIES, { ...completed, fileChecksum: 'md5:abc' })).toThrow(/sha256:<hex>/);
    expect(() => completedJobFiles(ACTIVITIES, { ...completed, format: 'XLSX' })).toThrow(/format/);
  });
});
