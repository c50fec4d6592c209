import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { configPath } from '../../bin/app';
import { DEFAULT_CONFIG_PATH } from '../../lib/config';
import { marketoExport, repoRoot } from './support/test-app';

describe('bin/app.ts', () => {
  it('reads config/pipeline.json unless PIPELINE_CONFIG or -c config=… names another', () => {
    expect(configPath(new App(), {})).toBe(DEFAULT_CONFIG_PATH);
    expect(configPath(new App(), { PIPELINE_CONFIG: 'env.json' })).toBe('env.json');
    expect(configPath(new App({ context: { config: 'context.json' } }), { PIPELINE_CONFIG: 'env.json' })).toBe(
      'context.json',
    );
  });

  it('fails the synth with the config error alone, naming file, export and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bad-config-'));
    const file = path.join(dir, 'pipeline.json');
    writeFileSync(
      file,
      JSON.stringify({ exports: [{ ...marketoExport, window: { ...marketoExport.window, lagMinutes: -5 } }] }),
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bin', 'app.ts')], {
      cwd: repoRoot,
      env: { ...process.env, PIPELINE_CONFIG: file, CDK_OUTDIR: path.join(dir, 'cdk.out') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `${file}: exports[0] "marketo-activities": window.lagMinutes: Too small: expected number to be >=0`,
    );
  });
});
