import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderPipelineConfigSchema } from '../../lib/config';
import type { ExportDefinition } from '../../lambdas/shared/export-definition';
import { renderExportEventSchema, succeededDetail, type ExportFailedDetail } from '../../lambdas/workflow/events';
import { renderManifestSchema } from '../../lambdas/window/manifest';
import { manifestFixtureText } from '../support/manifest-fixture';
import { repoRoot, testConfig } from './support/test-app';

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(repoRoot, relative), 'utf8'));
}

function ajv(): Ajv2020 {
  const instance = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(instance);
  return instance;
}

describe('config/pipeline.schema.json', () => {
  it('is up to date with lib/config.ts (regenerate: npx tsx config/write-schema.ts)', () => {
    expect(readFileSync(path.join(repoRoot, 'config/pipeline.schema.json'), 'utf8')).toBe(renderPipelineConfigSchema());
  });

  it('accepts the demo config and rejects an unknown field', () => {
    const validate = ajv().compile(readJson('config/pipeline.schema.json') as object);
    const demo = readJson('config/pipeline.json') as { exports: object[] };
    expect(validate(demo), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...demo, exports: [{ ...demo.exports[0], windw: {} }] })).toBe(false);
  });
});

describe('schemas/export-event.schema.json', () => {
  it('is up to date with lambdas/workflow/events.ts (regenerate: npx tsx config/write-schema.ts)', () => {
    expect(readFileSync(path.join(repoRoot, 'schemas/export-event.schema.json'), 'utf8')).toBe(
      renderExportEventSchema(),
    );
  });

  const validate = ajv().compile(readJson('schemas/export-event.schema.json') as object);
  const definition = testConfig().exports[0] as ExportDefinition;
  const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
  const file = {
    uri: 's3://data-bucket/raw/marketo-activities/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv',
    key: 'raw/marketo-activities/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv',
    bytes: 1024,
    sha256: 'a'.repeat(64),
    records: 12,
    verified: { bytes: true, sha256: true, records: true },
    curated: [
      {
        uri: 's3://data-bucket/curated/marketo-activities/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0001.parquet',
        key: 'curated/marketo-activities/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0001.parquet',
        bytes: 300,
        sha256: 'b'.repeat(64),
        rows: 12,
      },
    ],
  };
  // Built by the workflow's own code, so the schema is checked against what really goes on the bus.
  const succeeded = succeededDetail(
    definition,
    [
      {
        outcome: 'landed',
        window,
        jobId: 'ce45a7a1-f19d-4ce2-882c-a3c795940a7d',
        manifest: 'manifests/marketo-activities/x.json',
        files: [file],
        records: 12,
        bytes: 1024,
      },
    ],
    {
      durationSeconds: 321.5,
      watermark: window.end,
      executionId: 'arn:aws:states:eu-west-1:123456789012:execution:Machine:run-1',
    },
  );
  const failed: ExportFailedDetail = {
    export: 'clickwrap-activity',
    provider: 'clickwrap',
    dataset: 'activities',
    window,
    jobIds: ['5f88abf5f4689d7295cf1134'],
    error: { name: 'JobFailedError', message: 'export task failed' },
    durationSeconds: 12,
    cleanup: { cancelledJobs: ['5f88abf5f4689d7295cf1134'], abortedUploads: 1, removedObjects: 0 },
    windows: {
      landed: [],
      failed: [
        {
          ...window,
          jobId: '5f88abf5f4689d7295cf1134',
          error: { name: 'JobFailedError', message: 'export task failed' },
        },
      ],
    },
    watermark: null,
  };

  it('accepts succeeded and failed details as the workflow builds them', () => {
    expect(validate(succeeded), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(failed), JSON.stringify(validate.errors)).toBe(true);
    const nothingDue = succeededDetail(definition, [], { durationSeconds: 1, watermark: null });
    expect(validate(nothingDue), JSON.stringify(validate.errors)).toBe(true);
    const failedBeforePlanning = {
      ...failed,
      window: null,
      jobIds: [],
      cleanup: { cancelledJobs: [], abortedUploads: 0, removedObjects: 0 },
      windows: { landed: [], failed: [] },
    };
    expect(validate(failedBeforePlanning), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown field', { ...succeeded, secret: 'x' }],
    ['a success without files', { ...succeeded, files: undefined }],
    ['a success carrying an error', { ...succeeded, error: { name: 'X', message: 'y' } }],
    ['a file with a bad checksum', { ...succeeded, files: [{ ...file, sha256: 'ABC' }] }],
    ['a file outside S3', { ...succeeded, files: [{ ...file, uri: 'https://example.com/x.csv' }] }],
    ['a window without an end', { ...succeeded, window: { start: '2026-01-01T00:00:00Z' } }],
    ['a non-ISO window', { ...succeeded, window: { start: 'yesterday', end: 'today' } }],
    ['a fractional record count', { ...succeeded, records: 1.5 }],
    ['a failure without an error', { ...failed, error: undefined }],
    ['a failure without cleanup', { ...failed, cleanup: undefined }],
    ['a failure without its windows', { ...failed, windows: undefined }],
    ['a failed window without its error', { ...failed, windows: { landed: [], failed: [{ ...window, jobId: null }] } }],
    ['an error with extra fields', { ...failed, error: { name: 'X', message: 'y', stack: 'at …' } }],
    ['an unknown provider', { ...succeeded, provider: 'zendesk' }],
  ])('rejects %s', (_what, detail) => {
    expect(validate(JSON.parse(JSON.stringify(detail)))).toBe(false);
  });
});

describe('schemas/window-manifest.schema.json', () => {
  it('is up to date with lambdas/window/manifest.ts (regenerate: npx tsx config/write-schema.ts)', () => {
    expect(readFileSync(path.join(repoRoot, 'schemas/window-manifest.schema.json'), 'utf8')).toBe(
      renderManifestSchema(),
    );
  });

  it('accepts a manifest as WriteManifest writes it and refuses another version', () => {
    const validate = ajv().compile(readJson('schemas/window-manifest.schema.json') as object);
    const manifest = JSON.parse(
      manifestFixtureText({
        files: [{ key: 'raw/acts/x.csv', bytes: 10, curated: [{ key: 'curated/acts/x-0001.parquet', bytes: 4 }] }],
      }),
    ) as object;
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...manifest, manifestVersion: 3 })).toBe(false);
  });
});
