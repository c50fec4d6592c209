import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { transferScenarios } from './support/transfer-scenarios';

describe('transfer into a local directory', () => {
  const roots: string[] = [];
  afterAll(async () => {
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });
  transferScenarios(async () => {
    const root = await mkdtemp(join(tmpdir(), 'transfer-'));
    roots.push(root);
    return new LocalDirObjectStore({ root });
  });
});
