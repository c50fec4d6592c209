import { describe, expect, it } from 'vitest';
import { tableColumnName, tableLayout } from '../../../lambdas/providers/descriptors';
import { DEFAULT_FIELDS as CLICKWRAP_DEFAULT_FIELDS } from '../../../lambdas/providers/clickwrap/constants';
import { DEFAULT_ACTIVITY_FIELDS as MARKETO_DEFAULT_ACTIVITY_FIELDS } from '../../../lambdas/providers/marketo/activity-fields';
import { ValidationError } from '../../../lambdas/shared/errors';

describe('tableLayout: Marketo activities', () => {
  it('uses the eight default fields in file order when `fields` is absent', () => {
    const layout = tableLayout({ provider: 'marketo', dataset: 'activities', request: {} });
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
    expect(layout).toMatchObject({ format: 'csv', nullTokens: ['null'] });
  });

  it('follows `fields` order and types the known fields', () => {
    const layout = tableLayout({
      provider: 'marketo',
      dataset: 'activities',
      request: { fields: ['activityDate', 'leadId', 'actionResult', 'activityTypeId'] },
    });
    expect(layout.columns).toEqual([
      { name: 'activitydate', field: 'activityDate', type: 'timestamp' },
      { name: 'leadid', field: 'leadId', type: 'bigint' },
      { name: 'actionresult', field: 'actionResult', type: 'string' },
      { name: 'activitytypeid', field: 'activityTypeId', type: 'int' },
    ]);
  });

  it('names columns after columnHeaderNames, keeping the field type', () => {
    const layout = tableLayout({
      provider: 'marketo',
      dataset: 'activities',
      request: { fields: ['leadId', 'activityDate'], columnHeaderNames: { leadId: 'Lead ID', activityDate: 'When' } },
    });
    expect(layout.columns).toEqual([
      { name: 'lead_id', field: 'leadId', type: 'bigint' },
      { name: 'when', field: 'activityDate', type: 'timestamp' },
    ]);
  });

  it.each([
    ['CSV', 'csv'],
    ['TSV', 'tsv'],
    ['SSV', 'ssv'],
  ])('format %s gives %s files', (format, fileFormat) => {
    expect(tableLayout({ provider: 'marketo', dataset: 'activities', request: { format } })).toMatchObject({
      format: fileFormat,
    });
  });

  it('rejects a column that would shadow the partition column', () => {
    expect(() =>
      tableLayout({ provider: 'marketo', dataset: 'activities', request: { columnHeaderNames: { leadId: 'DT' } } }),
    ).toThrow(ValidationError);
  });
});

describe('tableLayout: Clickwrap activities', () => {
  it('uses `fields` with dots as underscores and types created_time', () => {
    const layout = tableLayout({
      provider: 'clickwrap',
      dataset: 'activities',
      request: { fields: ['id', 'signer_id', 'created_time', 'connection_data.remote_address', 'custom_data.vip'] },
    });
    expect(layout.columns.map((column) => column.name)).toEqual([
      'id',
      'signer_id',
      'created_time',
      'connection_data_remote_address',
      'custom_data_vip',
    ]);
    expect(layout.columns.find((column) => column.field === 'created_time')?.type).toBe('timestamp');
    expect(layout).toMatchObject({ format: 'csv', nullTokens: [''] });
  });

  it("without `fields`, takes the provider's default fields (the file's columns)", () => {
    const layout = tableLayout({ provider: 'clickwrap', dataset: 'activities', request: {} });
    expect(layout.columns.map((column) => column.field)).toEqual([...CLICKWRAP_DEFAULT_FIELDS]);
    expect(layout.columns.map((column) => column.name)).toContain('group');
  });

  it('rejects two fields that collapse to one column name', () => {
    expect(() =>
      tableLayout({
        provider: 'clickwrap',
        dataset: 'activities',
        request: { fields: ['id', 'signer_id', 'created_time', 'custom_data.vip', 'custom_data_vip'] },
      }),
    ).toThrow('fields: "custom_data.vip" and "custom_data_vip" would both become Athena column "custom_data_vip"');
  });
});

describe('tableColumnName', () => {
  it('lower-cases, replaces symbols and starts with a letter', () => {
    expect(tableColumnName('connection_data.remote_address')).toBe('connection_data_remote_address');
    expect(tableColumnName(' Lead-ID ')).toBe('lead_id');
    expect(tableColumnName('2nd value')).toBe('c_2nd_value');
  });
});
