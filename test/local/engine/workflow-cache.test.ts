// The cached state machine definition: found by a key of everything it is made from, never stale.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../../lib/config';
import { loadLocalWorkflow, workflowKey } from '../../../local/engine/workflow-cache';

const config = loadPipelineConfig('config/pipeline.json');
const cacheDir = mkdtempSync(path.join(tmpdir(), 'workflow-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('workflow cache', () => {
  it('keys the definition by the config: another export list is another key', () => {
    expect(workflowKey(config)).toBe(workflowKey(config));
    expect(workflowKey({ ...config, exports: config.exports.slice(0, 1) })).not.toBe(workflowKey(config));
  });

  it('a source file or a locked version that changes is another key', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'workflow-src-'));
    try {
      for (const dir of ['lib', 'lambdas/workflow', 'local/engine'])
        mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, 'lib', 'stack.ts'), 'export const a = 1;');
      writeFileSync(path.join(root, 'lambdas', 'workflow', 'state.ts'), 'export const b = 1;');
      writeFileSync(path.join(root, 'local', 'engine', 'resolve.ts'), 'export const c = 1;');
      writeFileSync(path.join(root, 'package-lock.json'), '{"v":1}');
      const before = workflowKey(config, root);
      writeFileSync(path.join(root, 'lambdas', 'workflow', 'state.ts'), 'export const b = 2;');
      const afterSource = workflowKey(config, root);
      writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}');
      expect(new Set([before, afterSource, workflowKey(config, root)]).size).toBe(3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('answers from the cache without synthesizing when the key matches', async () => {
    const cached = {
      definition: { StartAt: 'Cached', States: { Cached: { Type: 'Succeed' } } },
      logicalId: 'FromCache',
    };
    writeFileSync(path.join(cacheDir, `state-machine-${workflowKey(config)}.json`), JSON.stringify(cached));
    await expect(
      loadLocalWorkflow(config, { cacheDir, onSynthesize: () => expect.unreachable('synthesized despite the cache') }),
    ).resolves.toEqual(cached);
  });
});
