// A whole manifest of the version WriteManifest writes, for tests that seed a landed (or mixed) window:
// only what a test cares about is given, the rest filled in plausibly.
import type { ExportWindow } from '../../lambdas/providers/types';
import { MANIFEST_VERSION, manifestText, type Manifest } from '../../lambdas/window/manifest';

export interface ManifestFixture {
  readonly files: readonly { key: string; bytes: number; curated?: readonly { key: string; bytes: number }[] }[];
  readonly exportName?: string;
  readonly window?: ExportWindow;
  readonly jobId?: string;
  readonly runStartedAt?: string;
}

export function manifestFixture(f: ManifestFixture): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    export: f.exportName ?? 'acts',
    provider: 'marketo',
    dataset: 'activities',
    window: f.window ?? { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
    job: { id: f.jobId ?? 'job-1', createdAt: null, providerStatus: 'Completed', polls: 1 },
    files: f.files.map((file) => ({
      key: file.key,
      uri: `memory://test-bucket/${file.key}`,
      bytes: file.bytes,
      sha256: 'a'.repeat(64),
      records: 1,
      columns: ['id'],
      verified: { bytes: true, sha256: true, records: false },
      curated: (file.curated ?? []).map((p) => ({
        key: p.key,
        uri: `memory://test-bucket/${p.key}`,
        bytes: p.bytes,
        sha256: 'b'.repeat(64),
        rows: 1,
      })),
    })),
    records: { counted: f.files.length, provider: null, curated: f.files.length },
    bytes: f.files.reduce((n, file) => n + file.bytes, 0),
    timings: { runStartedAt: f.runStartedAt ?? '2026-01-03T04:00:00Z', finishedAt: '2026-01-03T05:00:00.000Z' },
  };
}

/** The manifest's JSON text, as the store holds it. */
export function manifestFixtureText(f: ManifestFixture): string {
  return manifestText(manifestFixture(f));
}
