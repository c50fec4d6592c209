// The simulated org's sObjects: their fields as describe answers them, and deterministic records whose
// values carry every hazard a CSV reader can trip on (quotes, delimiters, line breaks inside values, NUL
// bytes, non-ASCII, empty strings), spread over time by SystemModstamp, some deleted.
import { createHash } from 'node:crypto';

export type SalesforceFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'double'
  | 'currency'
  | 'int'
  | 'reference'
  | 'picklist'
  | 'email';

export interface SimField {
  readonly name: string;
  readonly type: SalesforceFieldType;
  readonly nillable: boolean;
  /** Compound fields (BillingAddress) cannot be selected in a Bulk query. */
  readonly compound?: boolean;
}

export interface SimObject {
  readonly name: string;
  readonly keyPrefix: string;
  readonly fields: readonly SimField[];
  /** Objects the Bulk API refuses (INVALIDENTITY). */
  readonly bulkQueryable: boolean;
}

const SYSTEM: readonly SimField[] = [
  { name: 'Id', type: 'id', nillable: false },
  { name: 'IsDeleted', type: 'boolean', nillable: false },
  { name: 'CreatedDate', type: 'datetime', nillable: false },
  { name: 'LastModifiedDate', type: 'datetime', nillable: false },
  { name: 'SystemModstamp', type: 'datetime', nillable: false },
];

export const SIM_OBJECTS: readonly SimObject[] = [
  {
    name: 'Account',
    keyPrefix: '001',
    bulkQueryable: true,
    fields: [
      ...SYSTEM,
      { name: 'Name', type: 'string', nillable: false },
      { name: 'Description', type: 'textarea', nillable: true },
      { name: 'Industry', type: 'picklist', nillable: true },
      { name: 'AnnualRevenue', type: 'currency', nillable: true },
      { name: 'NumberOfEmployees', type: 'int', nillable: true },
      { name: 'BillingCity', type: 'string', nillable: true },
      { name: 'BillingAddress', type: 'string', nillable: true, compound: true },
    ],
  },
  {
    name: 'Contact',
    keyPrefix: '003',
    bulkQueryable: true,
    fields: [
      ...SYSTEM,
      { name: 'FirstName', type: 'string', nillable: true },
      { name: 'LastName', type: 'string', nillable: false },
      { name: 'Email', type: 'email', nillable: true },
      { name: 'AccountId', type: 'reference', nillable: true },
      { name: 'Birthdate', type: 'date', nillable: true },
      { name: 'HasOptedOutOfEmail', type: 'boolean', nillable: false },
    ],
  },
  {
    name: 'AccountFeed',
    keyPrefix: '0D5',
    bulkQueryable: false,
    fields: [...SYSTEM, { name: 'Body', type: 'textarea', nillable: true }],
  },
];

export function simObject(name: string): SimObject | undefined {
  return SIM_OBJECTS.find((o) => o.name.toLowerCase() === name.toLowerCase());
}

/** One stored record: field name → value (null is a null field; Bulk CSV cannot tell it from ''). */
export type SimRecord = Readonly<Record<string, string | null>> & {
  readonly Id: string;
  readonly SystemModstamp: string;
};

const TEXTS = [
  'Plain',
  'Comma, inside',
  'She said "hello"',
  'Line one\nline two',
  'CRLF\r\ninside',
  'Ünïcödé – 東京 – emoji 🎉',
  'NUL\u0000byte',
  '',
  'Trailing space ',
  '"quoted start',
  'semi;colon|pipe^caret`back',
];
const INDUSTRIES = ['Banking', 'Energy', 'Retail', 'Technology'];

const unit = (...parts: Array<string | number>) =>
  createHash('sha256').update(parts.join(':')).digest().readUInt32BE(0) / 4294967296;
const pickOf = <T>(items: readonly T[], ...parts: Array<string | number>): T =>
  items[Math.floor(unit(...parts) * items.length)]!;

/** Salesforce datetimes as Bulk CSV writes them: milliseconds and `Z`. */
export const bulkDateTime = (ms: number) => new Date(ms).toISOString();

function valueOf(object: SimObject, field: SimField, n: number, modstamp: number, deleted: boolean): string | null {
  const seed = [object.name, field.name, n] as const;
  switch (field.name) {
    case 'Id':
      return recordId(object, n);
    case 'IsDeleted':
      return deleted ? 'true' : 'false';
    case 'CreatedDate':
      return bulkDateTime(modstamp - Math.floor(unit(...seed) * 86_400_000 * 30));
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return bulkDateTime(modstamp);
  }
  if (field.nillable && unit(...seed, 'null') < 0.1) return null;
  switch (field.type) {
    case 'boolean':
      return unit(...seed) < 0.5 ? 'true' : 'false';
    case 'currency':
    case 'double':
      return (Math.floor(unit(...seed) * 1e8) / 100).toFixed(1);
    case 'int':
      return String(Math.floor(unit(...seed) * 5000));
    case 'date':
      return bulkDateTime(Date.UTC(1960, 0, 1) + Math.floor(unit(...seed) * 40 * 365) * 86_400_000).slice(0, 10);
    case 'datetime':
      return bulkDateTime(modstamp);
    case 'picklist':
      return pickOf(INDUSTRIES, ...seed);
    case 'email':
      return `person${n}@example.com`;
    case 'reference':
      return `001${String(Math.floor(unit(...seed) * 1000)).padStart(12, '0')}AAA`;
    default:
      return `${pickOf(TEXTS, ...seed)}${field.name === 'Name' || field.name === 'LastName' ? ` #${n}` : ''}`;
  }
}

export function recordId(object: SimObject, n: number): string {
  return `${object.keyPrefix}${String(n).padStart(12, '0')}AAA`;
}

/**
 * The object's records whose SystemModstamp lies in [fromMs, toMs): `perDay` records a UTC day, the n-th
 * of a day at a fixed instant. `deletedEvery`-th records sit in the Recycle Bin (IsDeleted = true): only
 * `queryAll` sees them.
 */
export function recordsBetween(
  object: SimObject,
  fromMs: number,
  toMs: number,
  perDay: number,
  deletedEvery: number,
): SimRecord[] {
  const out: SimRecord[] = [];
  const dayMs = 86_400_000;
  for (let day = Math.floor(fromMs / dayMs); day * dayMs < toMs; day++) {
    for (let i = 0; i < perDay; i++) {
      const modstamp = day * dayMs + Math.floor(((i + 0.5) * dayMs) / perDay);
      if (modstamp < fromMs || modstamp >= toMs) continue;
      const n = day * perDay + i;
      const deleted = deletedEvery > 0 && n % deletedEvery === deletedEvery - 1;
      const record: Record<string, string | null> = {};
      for (const field of object.fields)
        if (!field.compound) record[field.name] = valueOf(object, field, n, modstamp, deleted);
      out.push(record as SimRecord);
    }
  }
  return out;
}
