// The filter language as far as it is documented: `field<op>value` clauses joined by `and`, bare
// values. The simulator is strict on purpose: a client that encodes badly gets a 400 or no rows.
import type { Activity } from './activity-data';
import { fieldValue } from './csv';

type Op = '==' | '!=' | '>=' | '<=' | '>' | '<';
export interface Clause {
  readonly field: string;
  readonly op: Op;
  readonly value: string;
}

export class FilterSyntaxError extends Error {}

export function parseFilter(filter: string | null): Clause[] {
  if (filter === null || filter.trim() === '') return [];
  return filter.split(/\s+and\s+/i).map((text) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|!=|>=|<=|>|<)\s*(.+)$/.exec(text.trim());
    if (!m || !m[1] || !m[2] || !m[3]) throw new FilterSyntaxError(`cannot parse filter clause "${text}"`);
    const clause = { field: m[1], op: m[2] as Op, value: m[3].trim() };
    if (clause.field === 'created_time' && Number.isNaN(Date.parse(clause.value)))
      throw new FilterSyntaxError(`"${clause.value}" is not a date`);
    return clause;
  });
}

/** The created_time bounds the clauses imply, [start, end) in ms (open ends left undefined). */
export function timeBounds(clauses: readonly Clause[]): { startMs?: number; endMs?: number } {
  let startMs: number | undefined;
  let endMs: number | undefined;
  for (const c of clauses) {
    if (c.field !== 'created_time') continue;
    const t = Date.parse(c.value);
    if (c.op === '>=' || c.op === '>') startMs = Math.max(startMs ?? -Infinity, c.op === '>' ? t + 1 : t);
    if (c.op === '<' || c.op === '<=') endMs = Math.min(endMs ?? Infinity, c.op === '<=' ? t + 1 : t);
    if (c.op === '==') {
      startMs = t;
      endMs = t + 1;
    }
  }
  return { ...(startMs !== undefined ? { startMs } : {}), ...(endMs !== undefined ? { endMs } : {}) };
}

function compare(op: Op, actual: string, expected: string): boolean {
  const bothNumbers = actual !== '' && !Number.isNaN(Number(actual)) && !Number.isNaN(Number(expected));
  const cmp = bothNumbers ? Number(actual) - Number(expected) : actual < expected ? -1 : actual > expected ? 1 : 0;
  switch (op) {
    case '==':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
  }
}

export function matches(row: Activity, clauses: readonly Clause[]): boolean {
  return clauses.every((c) => {
    if (c.field === 'created_time') {
      const t = Date.parse(row.created_time);
      const v = Date.parse(c.value);
      return compare(c.op, String(t), String(v));
    }
    return compare(c.op, fieldValue(row, c.field), c.value);
  });
}
