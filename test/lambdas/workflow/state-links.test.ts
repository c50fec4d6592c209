import { describe, expect, it } from 'vitest';
import type { ExportProvider, RemoteFile } from '../../../lambdas/providers/types';
import { fileForState, liveFile } from '../../../lambdas/workflow/state-links';

const signed: RemoteFile = {
  index: 2,
  source: {
    kind: 'url',
    url: 'https://exports.s3.amazonaws.com/site/2.csv?X-Amz-Credential=AKIA&X-Amz-Signature=deadbeef#part',
  },
  sendCredentials: false,
  rangeSupport: 'unknown',
  format: 'csv',
};

describe('links in state', () => {
  it('keep only origin and path: the signature never reaches execution state', () => {
    const stored = fileForState(signed);
    expect(stored.source).toEqual({ kind: 'url', url: 'https://exports.s3.amazonaws.com/site/2.csv' });
    expect(JSON.stringify(stored)).not.toMatch(/X-Amz|AKIA|deadbeef/);
    expect({ ...stored, source: undefined }).toEqual({ ...signed, source: undefined });
  });

  it('leave API paths alone', () => {
    const api: RemoteFile = { ...signed, source: { kind: 'api', path: '/bulk/v1/activities/export/x/file.json' } };
    expect(fileForState(api)).toBe(api);
  });

  it('are asked of the provider again by the step that downloads', async () => {
    const calls: RemoteFile[] = [];
    const provider = {
      name: 'clickwrap',
      refreshFile: async (_job: unknown, file: RemoteFile) => (calls.push(file), signed),
    } as unknown as ExportProvider;
    expect(await liveFile(provider, { id: 'task-1' }, fileForState(signed))).toBe(signed);
    expect(calls).toHaveLength(1);
    const noRefresh = { name: 'marketo' } as unknown as ExportProvider;
    await expect(liveFile(noRefresh, { id: 'j' }, fileForState(signed))).rejects.toThrow(/cannot refresh/);
  });
});
