// The `result` of the describe routes, in the shapes Marketo answers them: describe.json lists lead
// fields with their REST names; describe2.json, program members and custom objects answer one object
// with a `fields` array. Throws 1013 for a custom object the instance does not have.
import { CUSTOM_OBJECT_API_NAME } from './custom-object-data';
import type { DescribedField } from './entity-schema';
import { schemaOf } from './entity-schemas';
import { MarketoApiFailure } from './marketo-errors';
import type { DescribeShape } from './routes';

const SAMPLE_TIME = '2024-03-01T12:00:00Z';

const fieldEntry = (f: DescribedField) => ({
  name: f.name,
  displayName: f.displayName,
  dataType: f.dataType,
  ...(f.length !== undefined ? { length: f.length } : {}),
  updateable: f.updateable,
  crmManaged: false,
});

export function describeResult(shape: DescribeShape, apiName?: string): unknown[] {
  switch (shape) {
    case 'leads':
      return schemaOf('leads').fields.map((f, i) => ({
        id: i + 1,
        displayName: f.displayName,
        dataType: f.dataType,
        ...(f.length !== undefined ? { length: f.length } : {}),
        rest: { name: f.name, readOnly: !f.updateable },
        soap: { name: f.name.charAt(0).toUpperCase() + f.name.slice(1), readOnly: !f.updateable },
      }));
    case 'leads2':
      return [
        { name: 'Lead', searchableFields: [['email'], ['id']], fields: schemaOf('leads').fields.map(fieldEntry) },
      ];
    case 'programMembers':
      return [
        {
          name: 'API Program Membership',
          description: 'Map for API program membership',
          createdAt: SAMPLE_TIME,
          updatedAt: SAMPLE_TIME,
          dedupeFields: ['leadId', 'programId'],
          searchableFields: [['leadId'], ['programId']],
          fields: schemaOf('programMembers').fields.map(fieldEntry),
        },
      ];
    case 'customObject':
      if (apiName !== CUSTOM_OBJECT_API_NAME)
        throw new MarketoApiFailure('1013', `Object not found: '${apiName ?? ''}'`);
      return [
        {
          name: CUSTOM_OBJECT_API_NAME,
          displayName: 'Car',
          description: 'Cars a lead owns',
          createdAt: SAMPLE_TIME,
          updatedAt: SAMPLE_TIME,
          idField: 'marketoGUID',
          dedupeFields: ['vin'],
          searchableFields: [['vin'], ['marketoGUID'], ['leadId']],
          relationships: [{ field: 'leadId', type: 'child', relatedTo: { name: 'Lead', field: 'Id' } }],
          fields: schemaOf('customObjects').fields.map(fieldEntry),
        },
      ];
  }
}
