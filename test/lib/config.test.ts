import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_PATH, loadPipelineConfig, parsePipelineConfig, PipelineConfigError } from '../../lib/config';
import { clickwrapExport, marketoExport, repoRoot } from './support/test-app';
import { maxWindowAttempts } from '../../lambdas/shared/export-definition';

const dir = mkdtempSync(path.join(tmpdir(), 'config-test-'));

function writeConfig(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The single error message a bad config produces. */
function problemOf(raw: unknown): string {
  try {
    parsePipelineConfig(raw, 'config/pipeline.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadPipelineConfig', () => {
  it('loads the demo config with defaults filled in', () => {
    const config = loadPipelineConfig(path.join(repoRoot, DEFAULT_CONFIG_PATH));
    expect(config.eventSource).toBe('bulk-export');
    expect(config.retainData).toBe(true);
    expect(config.alarmEmail).toBeUndefined();
    expect(config.exports.map((definition) => definition.name)).toEqual([
      'marketo-activities',
      'clickwrap-activity',
      'salesforce-accounts',
    ]);
    const [marketo, clickwrap] = config.exports;
    expect(marketo).toMatchObject({
      provider: 'marketo',
      dataset: 'activities',
      secretName: 'bulk-export/marketo',
      request: { format: 'CSV' },
      window: { grain: 'day', lagMinutes: 60, firstStart: '2026-01-01' },
      schedule: { expression: 'cron(15 2 * * ? *)', timezone: 'UTC', enabled: true },
    });
    expect(clickwrap).toMatchObject({
      provider: 'clickwrap',
      secretName: 'bulk-export/clickwrap',
      window: { grain: 'day', lagMinutes: 60 },
    });
    expect(clickwrap?.request.fields).toEqual([
      'id',
      'signer_id',
      'created_time',
      'event_type',
      'site',
      'contract',
      'version',
      'connection_data.remote_address',
      'custom_data.vip',
    ]);
  });

  it('applies the top-level defaults and keeps explicit values', () => {
    const file = writeConfig('explicit.json', {
      eventSource: 'acme.exports',
      retainData: false,
      alarmEmail: 'ops@example.com',
      exports: [marketoExport],
    });
    expect(loadPipelineConfig(file)).toMatchObject({
      eventSource: 'acme.exports',
      retainData: false,
      alarmEmail: 'ops@example.com',
    });
  });

  it('names the file when it cannot be read or is not JSON', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => loadPipelineConfig(missing)).toThrow(`${missing}: cannot read the config file`);
    const broken = writeConfig('broken.json', '{ "exports": [ }');
    expect(() => loadPipelineConfig(broken)).toThrow(new RegExp(`^${broken.replaceAll('/', '\\/')}: not valid JSON`));
  });
});

describe('parsePipelineConfig errors name the export and the field', () => {
  it('an invalid firstStart', () => {
    const bad = {
      ...marketoExport,
      name: 'mkto-activities',
      window: { ...marketoExport.window, firstStart: '2026-13-01' },
    };
    expect(problemOf({ exports: [clickwrapExport, bad] })).toBe(
      'config/pipeline.json: exports[1] "mkto-activities": window.firstStart: Invalid ISO datetime or Invalid ISO date',
    );
  });

  it('maxWindowAttempts: at least 1, and 3 when not given', () => {
    const bad = { ...marketoExport, name: 'mkto-activities', maxWindowAttempts: 0 };
    expect(problemOf({ exports: [clickwrapExport, bad] })).toMatch(
      /^config\/pipeline\.json: exports\[1\] "mkto-activities": maxWindowAttempts: Too small/,
    );
    const ok = parsePipelineConfig({ exports: [marketoExport] }, 'test');
    expect(maxWindowAttempts(ok.exports[0]!)).toBe(3);
  });

  it('an unknown field, by its path', () => {
    const bad = { ...marketoExport, window: { ...marketoExport.window, grian: 'day' } };
    expect(problemOf({ exports: [bad] })).toBe(
      'config/pipeline.json: exports[0] "marketo-activities": window.grian: unknown field',
    );
  });

  it('a bad enum value and a bad schedule expression, one line each', () => {
    const bad = { ...marketoExport, provider: 'zendesk', schedule: { expression: 'every day at 2' } };
    const lines = problemOf({ exports: [bad] }).split('\n');
    expect(lines).toEqual([
      'config/pipeline.json: exports[0] "marketo-activities": provider: Invalid option: expected one of "marketo"|"clickwrap"|"salesforce"',
      'config/pipeline.json: exports[0] "marketo-activities": schedule.expression: must be cron(...) or rate(...)',
    ]);
  });

  it('an export without a usable name is named by its index', () => {
    expect(problemOf({ exports: [{ ...marketoExport, name: 'Bad Name!' }] })).toMatch(
      /^config\/pipeline\.json: exports\[0\] "Bad Name!": name: /,
    );
    const { name: _name, ...nameless } = marketoExport;
    expect(problemOf({ exports: [nameless] })).toMatch(/^config\/pipeline\.json: exports\[0\]: name: Invalid input/);
    expect(problemOf({ exports: ['marketo'] })).toBe(
      'config/pipeline.json: exports[0]: Invalid input: expected object, received string',
    );
  });

  it('top-level fields', () => {
    expect(problemOf({ exports: [] })).toBe('config/pipeline.json: exports: declare at least one export');
    expect(problemOf({ exports: [marketoExport], alarmEmail: 'not-an-address' })).toMatch(
      /^config\/pipeline\.json: alarmEmail: /,
    );
    expect(problemOf({ exports: [marketoExport], eventSource: 'aws.exports' })).toBe(
      'config/pipeline.json: eventSource: must not start with "aws." (reserved for AWS services)',
    );
    expect(problemOf({ exports: [marketoExport], retain: false })).toBe('config/pipeline.json: retain: unknown field');
  });

  it('duplicate export names', () => {
    const message = problemOf({
      exports: [marketoExport, clickwrapExport, { ...clickwrapExport, provider: 'clickwrap' }],
    });
    expect(message).toBe(
      'config/pipeline.json: exports[2] "clickwrap-activity": name: duplicate export name (also exports[1])',
    );
  });

  it('schedule expressions and time zones Scheduler would reject at deploy time', () => {
    const fiveFieldCron = { ...marketoExport, schedule: { expression: 'cron(15 2 * * ?)' } };
    expect(problemOf({ exports: [fiveFieldCron] })).toMatch(
      /^config\/pipeline\.json: exports\[0\] "marketo-activities": schedule\.expression: a Scheduler cron has 6 fields/,
    );
    const badRate = { ...marketoExport, schedule: { expression: 'rate(1 week)' } };
    expect(problemOf({ exports: [badRate] })).toMatch(/: schedule\.expression: a rate is /);
    const badZone = { ...marketoExport, schedule: { expression: 'rate(1 day)', timezone: 'Mars/Olympus' } };
    expect(problemOf({ exports: [badZone] })).toBe(
      'config/pipeline.json: exports[0] "marketo-activities": schedule.timezone: unknown time zone "Mars/Olympus" (use an IANA name such as "Europe/Berlin")',
    );
    const fine = { ...marketoExport, schedule: { expression: 'rate(6 hours)', timezone: 'Europe/Berlin' } };
    expect(parsePipelineConfig({ exports: [fine] }, 'x').exports[0]?.schedule?.timezone).toBe('Europe/Berlin');
  });

  it('a bad provider request names request.<field>', () => {
    const badFormat = { ...marketoExport, request: { format: 'XLSX' } };
    expect(problemOf({ exports: [badFormat] })).toMatch(
      /^config\/pipeline\.json: exports\[0\] "marketo-activities": request\.format: /,
    );
    const noSigner = { ...clickwrapExport, request: { fields: ['id', 'created_time'] } };
    expect(problemOf({ exports: [noSigner] })).toMatch(
      /^config\/pipeline\.json: exports\[0\] "clickwrap-activity": request\.fields: .*signer_id/,
    );
    const unknownOption = { ...marketoExport, request: { format: 'CSV', delimiter: ';' } };
    expect(problemOf({ exports: [unknownOption] })).toMatch(
      /^config\/pipeline\.json: exports\[0\] "marketo-activities": request\.delimiter: /,
    );
    const clash = {
      ...marketoExport,
      request: { fields: ['leadId', 'activityDate'], columnHeaderNames: { leadId: 'Lead', activityDate: 'lead' } },
    };
    expect(problemOf({ exports: [clash] })).toBe(
      'config/pipeline.json: exports[0] "marketo-activities": request.columnHeaderNames: "leadId" and "activityDate" would both become Athena column "lead"',
    );
  });
});
