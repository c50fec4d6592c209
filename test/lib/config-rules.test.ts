// Every rule of an export is checked when the config is read, before any call, with one message
// naming the file, the export and the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineConfig, parsePipelineConfig, PipelineConfigError } from '../../lib/config';
import { scheduleExpressionProblem } from '../../lib/schedule-expression';
import { clickwrapExport, marketoExport } from './support/test-app';

const FILE = 'config/pipeline.json';

function problemOf(raw: unknown): string {
  try {
    parsePipelineConfig(raw, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

const withSchedule = (expression: string) => ({ exports: [{ ...marketoExport, schedule: { expression } }] });
const withClickwrap = (request: Record<string, unknown>) => ({
  exports: [{ ...clickwrapExport, request: { ...clickwrapExport.request, ...request } }],
});

describe('schedule.expression: EventBridge Scheduler cron and rate, field by field', () => {
  it.each([
    'cron(0 6 * * ? *)',
    'cron(15 2 ? * MON-FRI *)',
    'cron(0/15 * * * ? *)',
    'cron(*/5 8-17 ? * 2-6 2026-2030)',
    'cron(0 0 L * ? *)',
    'cron(0 0 LW * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0 12 ? * 6L *)',
    'cron(0 12 ? * FRI#2 *)',
    'cron(0 12 ? * L *)',
    'cron(0,30 1,13 1-7,15 JAN,JUL ? 1970)',
    'cron(59 23 31 12 ? 2199)',
    'cron(0 8 ? jan-mar sun *)',
    'rate(1 minute)',
    'rate(1 hour)',
    'rate(1 day)',
    'rate(5 minutes)',
    'rate(12 hours)',
    'rate(7 days)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
    expect(() => parsePipelineConfig(withSchedule(expression), FILE)).not.toThrow();
  });

  it.each([
    ['cron(99 99 * * ? *)', 'minutes "99": 99 is out of range 0-59'],
    ['cron(0 24 * * ? *)', 'hours "24": 24 is out of range 0-23'],
    ['cron(0 0 0 * ? *)', 'day-of-month "0": 0 is out of range 1-31'],
    ['cron(0 0 32 * ? *)', 'day-of-month "32": 32 is out of range 1-31'],
    ['cron(0 0 ? 13 MON *)', 'month "13": 13 is out of range 1-12'],
    ['cron(0 0 ? FOO MON *)', 'month "FOO": "FOO" is not 1-12 or JAN-DEC'],
    ['cron(0 0 ? * 0 *)', 'day-of-week "0": 0 is out of range 1-7'],
    ['cron(0 0 ? * 8 *)', 'day-of-week "8": 8 is out of range 1-7'],
    ['cron(0 0 ? * MON#6 *)', 'day-of-week "MON#6": the n-th weekday of a month is 1 to 5, not 6'],
    ['cron(0 0 * * ? 1969)', 'year "1969": 1969 is out of range 1970-2199'],
    ['cron(0 0 * * ? 2200)', 'year "2200": 2200 is out of range 1970-2199'],
    ['cron(0 0 * * * *)', 'one of day-of-month and day-of-week must be "?"'],
    ['cron(0 0 1 * MON *)', 'one of day-of-month and day-of-week must be "?"'],
    ['cron(0 0 ? * ? *)', 'cannot both be "?"'],
    ['cron(? 0 * * ? *)', 'minutes "?": only day-of-month or day-of-week may be "?"'],
    ['cron(0 10-2 * * ? *)', 'hours "10-2": range 10-2 runs backwards'],
    ['cron(0/0 * * * ? *)', 'minutes "0/0": step /0 must be between 1 and 59'],
    ['cron(0 0 L,1 * ? *)', 'day-of-month "L,1": "L" is not 1-31'],
    ['cron(0 0 32W * ? *)', 'day-of-month "32W": 32 is out of range 1-31'],
    ['cron(0 0 ? * 9L *)', 'day-of-week "9L": 9 is out of range 1-7'],
    ['cron(1-* 0 * * ? *)', 'minutes "1-*": "1-*" is not a value'],
    ['cron(0 0 * * ?)', 'a Scheduler cron has 6 fields (minutes hours day-of-month month day-of-week year), got 5'],
    ['cron(0 0 0 * * ? *)', 'got 7'],
    ['rate(0 minutes)', 'rate value 0 must be a positive integer'],
    ['rate(1 minutes)', 'a value of 1 takes a singular unit'],
    ['rate(5 minute)', 'a value above 1 takes a plural unit'],
    ['rate(1 week)', 'unknown unit "week"'],
    ['rate(-1 days)', 'a rate is "rate(<positive number> <minutes|hours|days>)"'],
    ['rate(1.5 hours)', 'a rate is'],
  ])('refuses %s: %s', (expression, message) => {
    const problem = problemOf(withSchedule(expression));
    expect(problem.startsWith(`${FILE}: exports[0] "marketo-activities": schedule.expression: `)).toBe(true);
    expect(problem).toContain(message);
  });
});

describe('Marketo filter.activityTypeIds', () => {
  it('refuses 37 (Delete Lead), pointing to the Get Deleted Leads route', () => {
    const bad = { ...marketoExport, request: { filter: { activityTypeIds: [1, 37] } } };
    const problem = problemOf({ exports: [bad] });
    expect(problem).toMatch(
      /^config\/pipeline\.json: exports\[0\] "marketo-activities": request\.filter\.activityTypeIds\[1\]: activity type 37 \("Delete Lead"\) is not supported/,
    );
    expect(problem).toContain('Get Deleted Leads');
    expect(() =>
      parsePipelineConfig({ exports: [{ ...marketoExport, request: { filter: { activityTypeIds: [1, 12] } } }] }, FILE),
    ).not.toThrow();
  });
});

describe('Clickwrap filter: clauses field op value joined by " and "', () => {
  it.each([
    'event_type==agreed',
    'event_type==agreed and signer_id==someone@example.com',
    'custom_data.vip!=true and site>=12 and version<3 and contract>1 and group<=9',
    'signer_id=="Jane Doe" and event_type==agreed',
    'event_type==agreed and sent_time>=2026-01-01T00:00:00Z',
  ])('accepts %s', (filter) => {
    expect(parsePipelineConfig(withClickwrap({ filter }), FILE).exports[0]?.request.filter).toBe(filter);
  });

  it.each([
    ['a==x)or(id>0', 'parentheses'],
    ['a==b||c==d', '"or" is not allowed'],
    ['a==b,c==d', '"," is not a clause separator'],
    ['a==b or c==d', '"or" is not allowed'],
    ['a==b and', 'is not a clause'],
    ['a==b  and c==d', 'is not a clause'],
    ['a==b AND c==d', 'is not a clause'],
    ['a==', 'is not a clause'],
    ['==b', 'is not a clause'],
    ['a=b', 'is not a clause'],
    ['a==b;drop', 'is not a clause'],
    ['a=="unterminated', 'is not a clause'],
    ['a==b&c==d', 'is not a clause'],
    ['event_type==agreed and created_time>=2020-01-01', 'must not constrain created_time'],
  ])('refuses %s', (filter, message) => {
    const problem = problemOf(withClickwrap({ filter }));
    expect(problem.startsWith(`${FILE}: exports[0] "clickwrap-activity": request.filter: `)).toBe(true);
    expect(problem).toContain(message);
  });
});

describe('Clickwrap allowedLinkHosts', () => {
  it.each([
    ['files.example.com'],
    ['files.example.com:8443'],
    ['*.example.com'],
    ['*.amazonaws.com'],
    ['*.example.co.uk'],
    ['127.0.0.1:4010'],
    ['localhost:4010'],
    ['[::1]:4010'],
  ])('accepts %s', (host) => {
    expect(
      parsePipelineConfig(withClickwrap({ allowedLinkHosts: [host] }), FILE).exports[0]?.request.allowedLinkHosts,
    ).toEqual([host]);
  });

  it.each([
    ['*.com', 'a wildcard over the public suffix "com"'],
    ['*.co.uk', 'public suffix "co.uk"'],
    ['*.com.au', 'public suffix "com.au"'],
    ['*.github.io', 'public suffix "github.io"'],
    ['*.s3.amazonaws.com', 'public suffix "s3.amazonaws.com"'],
    ['169.254.169.254', 'IP addresses are not allowed'],
    ['10.0.0.1:80', 'IP addresses are not allowed'],
    ['2852039166', 'IP addresses are not allowed'],
    ['0xa9.254.169.254', 'IP addresses are not allowed'],
    ['[fd00::1]', 'IP addresses are not allowed'],
    ['[::ffff:169.254.169.254]:443', 'IP addresses are not allowed'],
    ['fe80::1', 'IP addresses are not allowed'],
    ['*.127.0.0.1', 'IP addresses are not allowed'],
    ['files.example.com:0', 'port 0 is out of range 1-65535'],
    ['files.example.com:65536', 'port 65536 is out of range 1-65535'],
    ['files.example.com:http', 'port http is out of range'],
    ['https://evil.example.com/', 'not a URL'],
    ['*', 'a host is'],
    ['bad_host.example.com', 'a host is'],
  ])('refuses %s', (host, message) => {
    const problem = problemOf(withClickwrap({ allowedLinkHosts: ['files.example.com', host] }));
    expect(problem.startsWith(`${FILE}: exports[0] "clickwrap-activity": request.allowedLinkHosts[1]: `)).toBe(true);
    expect(problem).toContain(message);
  });
});

describe('the config file', () => {
  it('is read with a UTF-8 byte-order mark', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-bom-'));
    const file = path.join(dir, 'pipeline.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ exports: [marketoExport] })}`, 'utf8');
    expect(loadPipelineConfig(file).exports.map((e) => e.name)).toEqual(['marketo-activities']);
  });
});

describe('mode: the config says whether an export is windowed or a snapshot, and the request agrees', () => {
  it('refuses a snapshot declared for a request the window dates (activities), naming mode', () => {
    expect(problemOf({ exports: [{ ...marketoExport, mode: 'snapshot' }] })).toMatch(
      new RegExp(
        `^${FILE}: exports\\[0\\] "${marketoExport.name}": mode: "snapshot" needs a request without a date filter`,
      ),
    );
  });

  it('takes incremental as the default', () => {
    expect(parsePipelineConfig({ exports: [marketoExport] }, FILE).exports[0]?.mode).toBe('incremental');
  });
});

describe('names cdk deploy would refuse', () => {
  const leads = {
    name: 'marketo-leads',
    provider: 'marketo',
    dataset: 'leads',
    secretName: 'bulk-export/marketo',
    request: { fields: ['id', 'email', 'updatedAt'] },
    window: { grain: 'day', firstStart: '2026-01-01' },
  };

  it("an export whose table is a reference table's name (activity_types beside a Marketo activities export)", () => {
    const problem = problemOf({ exports: [marketoExport, { ...clickwrapExport, name: 'activity-types' }] });
    expect(problem).toBe(
      `${FILE}: exports[1] "activity-types": name: Athena name "activity_types" of the table of exports[1] "activity-types" is also the reference table "activity_types": rename the export`,
    );
  });

  it('an export whose table is the latest view of another (x and x-latest)', () => {
    const problem = problemOf({ exports: [leads, { ...clickwrapExport, name: 'marketo-leads-latest' }] });
    expect(problem).toContain(`exports[1] "marketo-leads-latest": name: Athena name "marketo_leads_latest"`);
    expect(problem).toContain('is also the latest view of exports[0] "marketo-leads"');
  });

  it("an export whose table is another's reserved rejects table", () => {
    const problem = problemOf({ exports: [marketoExport, { ...clickwrapExport, name: 'marketo-activities-rejects' }] });
    expect(problem).toContain('is also the rejects table reserved for exports[0] "marketo-activities"');
  });

  it('accepts exports whose names only look alike', () => {
    expect(() =>
      parsePipelineConfig(
        { exports: [marketoExport, { ...clickwrapExport, name: 'marketo-activities-2' }, leads] },
        FILE,
      ),
    ).not.toThrow();
  });

  it.each([
    ['with a space', 'bulk export/marketo'],
    ['with a colon', 'arn:aws:secretsmanager:x'],
    ['empty', ''],
    ['too long', 'x'.repeat(513)],
  ])('refuses a secretName %s, naming the field', (_what, secretName) => {
    expect(problemOf({ exports: [{ ...marketoExport, secretName }] })).toMatch(
      new RegExp(`^${FILE}: exports\\[0\\] "marketo-activities": secretName: a Secrets Manager name`),
    );
  });

  it('accepts every character Secrets Manager allows', () => {
    expect(() =>
      parsePipelineConfig({ exports: [{ ...marketoExport, secretName: 'prod/bulk-export_1+a=b.c@d' }] }, FILE),
    ).not.toThrow();
  });
});
