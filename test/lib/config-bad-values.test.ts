// `badValues`: "fail" by default, "null" accepted, anything else refused at synth and in the CLI with
// one line naming the file, the export and the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig, PipelineConfigError } from '../../lib/config';
import { cliInProcess } from '../support/cli-in-process';
import { clickwrapExport, marketoExport } from './support/test-app';

describe('badValues', () => {
  it('defaults to "fail" and takes "null"', () => {
    const config = parsePipelineConfig({ exports: [{ ...marketoExport, badValues: 'null' }, clickwrapExport] }, 'c');
    expect(config.exports.map((e) => e.badValues)).toEqual(['null', 'fail']);
  });

  it('refuses another value, naming the export and the field', () => {
    const attempt = () => parsePipelineConfig({ exports: [{ ...marketoExport, badValues: 'skip' }] }, 'c.json');
    expect(attempt).toThrow(PipelineConfigError);
    expect(attempt).toThrow(/^c\.json: exports\[0\] "marketo-activities": badValues: .*"fail".*"null"/);
  });

  it('the CLI refuses it before anything runs (exit 2), with the same line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bad-values-config-')), 'pipeline.json');
    writeFileSync(file, JSON.stringify({ exports: [{ ...marketoExport, badValues: 'skip' }] }));
    const res = await cliInProcess(['run', 'marketo-activities', '--simulator', '--config', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`exports[0] "marketo-activities": badValues:`);
  });
});
