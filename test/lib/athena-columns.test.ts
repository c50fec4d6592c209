import { describe, expect, it } from 'vitest';
import { athenaColumnName, athenaLayout, MARKETO_DEFAULT_ACTIVITY_FIELDS } from '../../lib/athena-columns';
import { typedViewSql } from '../../lib/athena-typed-view';
import { DEFAULT_FIELDS as CLICKWRAP_DEFAULT_FIELDS } from '../../lambdas/providers/clickwrap/constants';
import { ValidationError } from '../../lambdas/shared/errors';

describe('athenaLayout: Marketo', () => {
  it('uses the eight default fields in file order when `fields` is absent', () => {
    const layout = athenaLayout({ provider: 'marketo', request: {} });
    expect(layout.columns.map((column) => column.field)).toEqual([...MARKETO_DEFAULT_ACTIVITY_FIELDS]);
    expect(layout.columns.map((column) => column.name)).toEqual([
      'marketoguid',
      'leadid',
      'activitydate',
      'activitytypeid',
      'campaignid',
      'primaryattributevalueid',
      'primaryattributevalue',
      'attributes',
    ]);
    expect(layout).toMatchObject({ format: 'csv', separator: ',', nullToken: 'null' });
  });

  it('follows `fields` order and types the known fields', () => {
    const layout = athenaLayout({ provider: 'marketo', request: { fields: ['activityDate', 'leadId', 'actionResult', 'activityTypeId'] } });
    expect(layout.columns).toEqual([
      { name: 'activitydate', field: 'activityDate', viewType: 'timestamp' },
      { name: 'leadid', field: 'leadId', viewType: 'bigint' },
      { name: 'actionresult', field: 'actionResult', viewType: 'varchar' },
      { name: 'activitytypeid', field: 'activityTypeId', viewType: 'integer' },
    ]);
  });

  it('names columns after columnHeaderNames, keeping the field type', () => {
    const layout = athenaLayout({
      provider: 'marketo',
      request: { fields: ['leadId', 'activityDate'], columnHeaderNames: { leadId: 'Lead ID', activityDate: 'When' } },
    });
    expect(layout.columns).toEqual([
      { name: 'lead_id', field: 'leadId', viewType: 'bigint' },
      { name: 'when', field: 'activityDate', viewType: 'timestamp' },
    ]);
  });

  it.each([
    ['CSV', 'csv', ','],
    ['TSV', 'tsv', '\t'],
    ['SSV', 'ssv', ' '],
  ])('format %s separates with %j', (format, fileFormat, separator) => {
    expect(athenaLayout({ provider: 'marketo', request: { format } })).toMatchObject({ format: fileFormat, separator });
  });

  it('rejects a column that would shadow the partition column', () => {
    expect(() => athenaLayout({ provider: 'marketo', request: { columnHeaderNames: { leadId: 'DT' } } })).toThrow(ValidationError);
  });
});

describe('athenaLayout: Clickwrap', () => {
  it('uses `fields` with dots as underscores and types created_time', () => {
    const layout = athenaLayout({ provider: 'clickwrap', request: { fields: ['id', 'signer_id', 'created_time', 'connection_data.remote_address', 'custom_data.vip'] } });
    expect(layout.columns.map((column) => column.name)).toEqual(['id', 'signer_id', 'created_time', 'connection_data_remote_address', 'custom_data_vip']);
    expect(layout.columns.find((column) => column.field === 'created_time')?.viewType).toBe('timestamp');
    expect(layout).toMatchObject({ format: 'csv', separator: ',', nullToken: '' });
  });

  it("without `fields`, takes the provider's default fields (the file's columns)", () => {
    const layout = athenaLayout({ provider: 'clickwrap', request: {} });
    expect(layout.columns.map((column) => column.field)).toEqual([...CLICKWRAP_DEFAULT_FIELDS]);
    expect(layout.columns.map((column) => column.name)).toContain('group');
  });

  it('rejects two fields that collapse to one column name', () => {
    expect(() => athenaLayout({ provider: 'clickwrap', request: { fields: ['id', 'signer_id', 'created_time', 'custom_data.vip', 'custom_data_vip'] } })).toThrow(
      'fields: "custom_data.vip" and "custom_data_vip" would both become Athena column "custom_data_vip"',
    );
  });
});

describe('athenaColumnName', () => {
  it('lower-cases, replaces symbols and starts with a letter', () => {
    expect(athenaColumnName('connection_data.remote_address')).toBe('connection_data_remote_address');
    expect(athenaColumnName(' Lead-ID ')).toBe('lead_id');
    expect(athenaColumnName('2nd value')).toBe('c_2nd_value');
  });
});

describe('typedViewSql', () => {
  it('turns Marketo null tokens into NULL and casts known fields', () => {
    const layout = athenaLayout({ provider: 'marketo', request: {} });
    const sql = typedViewSql(layout, { database: 'db', table: 'marketo_activities', view: 'marketo_activities_typed' });
    expect(sql.split('\n')).toEqual([
      'CREATE OR REPLACE VIEW "db"."marketo_activities_typed" AS',
      'SELECT',
      `  NULLIF("marketoguid", 'null') AS "marketoguid",`,
      `  CAST(NULLIF("leadid", 'null') AS bigint) AS "leadid",`,
      `  CAST(from_iso8601_timestamp(NULLIF("activitydate", 'null')) AT TIME ZONE 'UTC' AS timestamp) AS "activitydate",`,
      `  CAST(NULLIF("activitytypeid", 'null') AS integer) AS "activitytypeid",`,
      `  CAST(NULLIF("campaignid", 'null') AS integer) AS "campaignid",`,
      `  CAST(NULLIF("primaryattributevalueid", 'null') AS integer) AS "primaryattributevalueid",`,
      `  NULLIF("primaryattributevalue", 'null') AS "primaryattributevalue",`,
      `  NULLIF("attributes", 'null') AS "attributes",`,
      '  "dt"',
      'FROM "db"."marketo_activities"',
    ]);
  });

  it('treats empty Clickwrap values as NULL', () => {
    const layout = athenaLayout({ provider: 'clickwrap', request: { fields: ['id', 'signer_id', 'created_time'] } });
    const sql = typedViewSql(layout, { database: 'db', table: 't', view: 'v' });
    expect(sql).toContain(`NULLIF("signer_id", '') AS "signer_id"`);
    expect(sql).toContain(`CAST(from_iso8601_timestamp(NULLIF("created_time", '')) AT TIME ZONE 'UTC' AS timestamp) AS "created_time"`);
  });
});
