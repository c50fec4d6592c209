// `fields <export>` says the column type each field really becomes in the table.
import { describe, expect, it } from 'vitest';
import { ACTIVITY_FIELDS } from '../../../lambdas/providers/marketo/activity-fields';
import { MARKETO_DESCRIPTOR } from '../../../lambdas/providers/marketo/descriptor';
import { columnTypeOf } from '../../../lambdas/providers/marketo/field-types';
import { withTableTypes } from '../../../local/cli/marketo-fields';

describe('fields of a Marketo dataset', () => {
  it("activities: every field has the activities table's column type (ids typed int there say int)", () => {
    const described = ACTIVITY_FIELDS.map((name) => ({
      name,
      dataType: name.endsWith('Id') ? 'integer' : 'string',
      columnType: columnTypeOf(name, name.endsWith('Id') ? 'integer' : 'string'),
    }));
    const table = MARKETO_DESCRIPTOR.datasets.activities.layout({ fields: [...ACTIVITY_FIELDS] }).columns;
    const shown = withTableTypes('activities', described);
    expect(shown.map((f) => [f.name, f.columnType])).toEqual(table.map((c) => [c.field, c.type]));
    expect(shown.find((f) => f.name === 'activityTypeId')?.columnType).toBe('int');
    expect(shown.find((f) => f.name === 'leadId')?.columnType).toBe('bigint');
  });
});
