// The descriptor entries of leads, program members and custom objects: typed columns from the request
// alone (built-in standard types, then `fieldTypes`), the export mode and the latest view's key. And the
// promise that makes the types safe: every value the simulator writes parses under the type its
// describe data type maps to (the curated converter's strict rules).
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { typeValue, TypingFailure } from '../../../../lambdas/curated/typed-value';
import { tableLayout } from '../../../../lambdas/providers/descriptors';
import { columnTypeOf } from '../../../../lambdas/providers/marketo/field-types';
import { MARKETO_DESCRIPTOR } from '../../../../lambdas/providers/marketo/descriptor';
import { EntityGenerator } from '../../../../local/simulators/marketo/entity-generator';
import { parseEntityCreateRequest } from '../../../../local/simulators/marketo/entity-request';
import { schemaOf } from '../../../../local/simulators/marketo/entity-schemas';
import type { EntityType } from '../../../../local/simulators/marketo/entity-schema';
import { fieldOf } from './support/field-of';

const { leads, 'program-members': members, 'custom-objects': objects } = MARKETO_DESCRIPTOR.datasets;

describe('Marketo entity datasets: columns, mode, latest view', () => {
  it('maps Marketo data types to column types: ids and references to bigint, other integers to int', () => {
    const cases: [string, string, string][] = [
      ['id', 'integer', 'bigint'],
      ['leadId', 'integer', 'bigint'],
      ['year', 'integer', 'int'],
      ['ownerId', 'reference', 'bigint'],
      ['price', 'currency', 'double'],
      ['rate', 'float', 'double'],
      ['vip', 'boolean', 'boolean'],
      ['born', 'date', 'date'],
      ['seen', 'datetime', 'timestamp'],
      ...(['string', 'text', 'email', 'url', 'phone', 'score', 'formula'].map((t) => ['x', t, 'string']) as [
        string,
        string,
        string,
      ][]),
    ];
    for (const [field, dataType, columnType] of cases)
      expect(columnTypeOf(field, dataType), `${field}: ${dataType}`).toBe(columnType);
  });

  it('types standard fields by themselves and the others by fieldTypes (a string otherwise)', () => {
    const request = leads.validate({
      fields: ['id', 'email', 'updatedAt', 'unsubscribed', 'isVip__c', 'notes__c'],
      fieldTypes: { isVip__c: 'boolean' },
      columnHeaderNames: { id: 'Lead Id' },
    });
    expect(leads.layout(request)).toEqual({
      columns: [
        { header: 'Lead Id', field: 'id', type: 'bigint' },
        { header: 'email', field: 'email', type: 'string' },
        { header: 'updatedAt', field: 'updatedAt', type: 'timestamp' },
        { header: 'unsubscribed', field: 'unsubscribed', type: 'boolean' },
        { header: 'isVip__c', field: 'isVip__c', type: 'boolean' },
        { header: 'notes__c', field: 'notes__c', type: 'string' },
      ],
      format: 'csv',
      nullTokens: ['null'],
      columnsField: 'columnHeaderNames',
    });
    expect(
      tableLayout({
        provider: 'marketo',
        dataset: 'program-members',
        request: {
          fields: ['leadId', 'programId', 'reachedSuccess', 'membershipDate'],
          filter: { programIds: [1] },
          format: 'TSV',
        },
      }),
    ).toMatchObject({
      format: 'tsv',
      columns: [
        { name: 'leadid', type: 'bigint' },
        { name: 'programid', type: 'bigint' },
        { name: 'reachedsuccess', type: 'boolean' },
        { name: 'membershipdate', type: 'timestamp' },
      ],
    });
    expect(
      fieldOf(() =>
        tableLayout({ provider: 'marketo', dataset: 'leads', request: { fields: ['id', 'updatedAt', 'ID'] } }),
      ),
    ).toBe('fields');
  });

  it('says the mode and the latest key: incremental exports have a latest view, snapshots do not', () => {
    const incremental = leads.validate({ fields: ['id', 'updatedAt'] });
    expect(leads.mode(incremental)).toBe('incremental');
    expect(leads.latest(incremental)).toEqual({ key: ['id'], orderBy: 'updatedAt' });
    const list = leads.validate({ fields: ['email'], filter: { smartListId: 1 } });
    expect(leads.mode(list)).toBe('snapshot');
    expect(leads.latest(list)).toBeUndefined();

    const snapshot = members.validate({ fields: ['leadId'], filter: { programIds: [1] } });
    expect(members.mode(snapshot)).toBe('snapshot');
    expect(members.latest(snapshot)).toBeUndefined();
    const windowed = members.validate({
      fields: ['leadId', 'programId', 'updatedAt'],
      filter: { programIds: [1] },
      windowFilter: 'updatedAt',
    });
    expect(members.latest(windowed)).toEqual({ key: ['leadId', 'programId'], orderBy: 'updatedAt' });

    expect(objects.latest(objects.validate({ apiName: 'car_c', fields: ['marketoGUID', 'updatedAt'] }))).toEqual({
      key: ['marketoGUID'],
      orderBy: 'updatedAt',
    });
    expect(
      objects.latest(objects.validate({ apiName: 'car_c', fields: ['vin', 'updatedAt'], latestKey: ['vin'] })),
    ).toEqual({ key: ['vin'], orderBy: 'updatedAt' });
    expect(MARKETO_DESCRIPTOR.datasets.activities).not.toHaveProperty('latest');
  });

  const EXPORTS: [string, EntityType, string | undefined, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'leads',
      'leads',
      undefined,
      { updatedAt: { startAt: '2026-03-01T00:00:00Z', endAt: '2026-03-02T00:00:00Z' } },
      {},
    ],
    [
      'program-members',
      'programMembers',
      undefined,
      { programIds: [1001, 1002] },
      { filter: { programIds: [1001, 1002] } },
    ],
    [
      'custom-objects',
      'customObjects',
      'car_c',
      { updatedAt: { startAt: '2026-03-01T00:00:00Z', endAt: '2026-03-02T00:00:00Z' } },
      { apiName: 'car_c' },
    ],
  ];

  it.each(EXPORTS)(
    'every value the simulator writes for %s takes its column type (all fields, types from describe)',
    (dataset, entity, apiName, filter, extra) => {
      const described = schemaOf(entity).fields;
      const fields = described.map((f) => f.name);
      const fieldTypes = Object.fromEntries(described.map((f) => [f.name, f.dataType]));
      const layout = tableLayout({ provider: 'marketo', dataset, request: { ...extra, fields, fieldTypes } });
      const request = parseEntityCreateRequest(entity, apiName, { fields, filter }, Date.parse('2026-03-05T00:00:00Z'));
      const rows = 2000;
      const generator = new EntityGenerator({ seed: 7, request, includeNulByte: false, spreadRows: rows });
      const text = Buffer.concat([generator.header, generator.renderRows(0, rows)]);
      const [header, ...records] = parse(text, { record_delimiter: '\n' }) as string[][];
      expect(header).toEqual(fields);
      expect(records).toHaveLength(rows);
      const columns = layout.columns.map((c) => ({ name: c.name, type: c.type, nullTokens: layout.nullTokens }));
      const typed = new Set<string>();
      for (const record of records) {
        columns.forEach((column, i) => {
          const value = typeValue(column, record[i]!);
          if (value instanceof TypingFailure)
            throw new Error(`${dataset}.${column.name} (${column.type}): ${JSON.stringify(record[i])} ${value.reason}`);
          if (value !== null) typed.add(column.type);
        });
      }
      // Not only strings: the file exercises the typed columns.
      expect([...typed]).toEqual(expect.arrayContaining(['bigint', 'boolean', 'timestamp', 'double']));
    },
  );
});
