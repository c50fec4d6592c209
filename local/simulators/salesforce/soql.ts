// The SOQL a Bulk 2.0 query job accepts, as far as the simulator needs it: a field list, one object, and
// an optional WHERE of datetime comparisons joined by AND. What Bulk 2.0 refuses is refused with the
// errors Salesforce answers (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALIDENTITY).
import { simObject, type SimObject } from './objects';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ParsedQuery {
  readonly object: SimObject;
  readonly fields: readonly string[];
  /** Datetime bounds on one field, each inclusive (`>=`) or exclusive (`<`, `>`). */
  readonly conditions: ReadonlyArray<{
    readonly field: string;
    readonly op: '>=' | '>' | '<' | '<=';
    readonly ms: number;
  }>;
}

const UNSUPPORTED: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bGROUP\s+BY\b/i, 'GROUP BY is not supported in Bulk API 2.0 queries'],
  [/\bOFFSET\b/i, 'OFFSET is not supported in Bulk API 2.0 queries'],
  [/\bTYPEOF\b/i, 'TYPEOF is not supported in Bulk API 2.0 queries'],
  [/\bCOUNT\s*\(/i, 'Aggregate functions are not supported in Bulk API 2.0 queries'],
  [/\bFIELDS\s*\(/i, 'FIELDS() is not supported in Bulk API 2.0 queries'],
  [/\(\s*SELECT\b/i, 'Nested queries are not supported in Bulk API 2.0 queries'],
];

// dateTime literals are unquoted: 2026-11-01T00:00:00Z, with optional milliseconds or a ±hh:mm offset.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

export function parseSoql(query: string): ParsedQuery {
  for (const [pattern, message] of UNSUPPORTED)
    if (pattern.test(query)) throw new SoqlError('MALFORMED_QUERY', message);
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s*$/is.exec(query);
  if (!m)
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${query.trim().split(/\s+/).slice(0, 3).join(' ')}'`);
  const [, fieldList = '', objectName = '', where] = m;
  const object = simObject(objectName);
  if (!object) throw new SoqlError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
  if (!object.bulkQueryable)
    throw new SoqlError('INVALIDENTITY', `Entity '${object.name}' is not supported by the Bulk API.`);
  const fields = fieldList.split(',').map((f) => f.trim());
  for (const name of fields) {
    const field = object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw new SoqlError('INVALID_FIELD', `No such column '${name}' on entity '${object.name}'.`);
    if (field.compound) throw new SoqlError('API_ERROR', 'Selecting compound data not supported in Bulk Query');
  }
  const canonical = fields.map((name) => object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase())!.name);
  return { object, fields: canonical, conditions: where ? parseWhere(object, where) : [] };
}

function parseWhere(object: SimObject, where: string): ParsedQuery['conditions'] {
  return where.split(/\s+AND\s+/i).map((clause) => {
    const c = /^(\w+)\s*(>=|<=|>|<)\s*(\S+)$/.exec(clause.trim());
    if (!c) throw new SoqlError('MALFORMED_QUERY', `unexpected token in WHERE: '${clause.trim()}'`);
    const [, name = '', op, literal = ''] = c;
    const field = object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw new SoqlError('INVALID_FIELD', `No such column '${name}' on entity '${object.name}'.`);
    if (field.type !== 'datetime')
      throw new SoqlError('MALFORMED_QUERY', `only datetime conditions are simulated, not '${field.name}'`);
    if (!DATETIME.test(literal))
      throw new SoqlError(
        'MALFORMED_QUERY',
        `value of filter criterion for field '${field.name}' must be of type dateTime and should not be enclosed in quotes`,
      );
    return { field: field.name, op: op as '>=' | '>' | '<' | '<=', ms: Date.parse(literal) };
  });
}

export function matches(query: ParsedQuery, record: Readonly<Record<string, string | null>>): boolean {
  return query.conditions.every(({ field, op, ms }) => {
    const value = record[field];
    if (value == null) return false;
    const t = Date.parse(value);
    return op === '>=' ? t >= ms : op === '>' ? t > ms : op === '<' ? t < ms : t <= ms;
  });
}

/** The range of SystemModstamp the query can match, to generate only the records it can see. */
export function modstampRange(query: ParsedQuery): { fromMs: number; toMs: number } {
  let fromMs = Date.UTC(2000, 0, 1);
  let toMs = Date.UTC(2100, 0, 1);
  for (const { field, op, ms } of query.conditions) {
    if (field !== 'SystemModstamp' && field !== 'LastModifiedDate') continue;
    if (op === '>=' || op === '>') fromMs = Math.max(fromMs, ms);
    else toMs = Math.min(toMs, op === '<=' ? ms + 1 : ms);
  }
  return { fromMs, toMs };
}
