// What leads, program members and custom objects have in common in the simulator: fields described the
// way the describe routes show them, and a row builder that is a pure function of (request key, row).
import type { Rng } from './prng';

/** The data types Marketo's describe routes name. */
export type MarketoDataType =
  | 'integer'
  | 'float'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'string'
  | 'text'
  | 'email'
  | 'url'
  | 'phone'
  | 'reference';

export interface DescribedField {
  /** The REST name: what `fields` asks for and the CSV header. */
  readonly name: string;
  readonly displayName: string;
  readonly dataType: MarketoDataType;
  readonly length?: number;
  readonly updateable: boolean;
}

/** The bulk types with entities (activities are events, generated elsewhere). */
export type EntityType = 'leads' | 'programMembers' | 'customObjects';

/** One row's values by field name; `null` is an empty value (written as the token `null`). */
export type EntityRow = Readonly<Record<string, string | null>>;

export interface RowContext {
  /** Re-seeded for this row. */
  readonly rng: Rng;
  readonly row: number;
  /** The request's identity as 32 bits (seed, type, filter). */
  readonly key: number;
  /** The row's main instant (its updatedAt, or createdAt when the request filters on createdAt), epoch seconds; rises with the row. */
  readonly mainSec: number;
  /** Which date filter placed `mainSec`: createdAt, updatedAt, or none (a list: the whole set). */
  readonly dateFilter: 'createdAt' | 'updatedAt' | undefined;
  /** The request's filter, as parsed. */
  readonly filter: Readonly<Record<string, unknown>>;
  /** The filter asked for a NUL byte in some values (the `includeNulByte` fault). */
  readonly includeNulByte: boolean;
  /** A lead of the instance's timeline (instance-timeline.ts): its id and dates replace drawn ones. */
  readonly lead?: { readonly id: number; readonly createdSec: number; readonly updatedSec: number };
}

export interface EntitySchema {
  readonly fields: readonly DescribedField[];
  row(ctx: RowContext): EntityRow;
}

export const field = (
  name: string,
  dataType: MarketoDataType,
  displayName = name,
  length?: number,
): DescribedField => ({
  name,
  displayName,
  dataType,
  ...(length !== undefined ? { length } : {}),
  updateable: !['id', 'createdAt', 'updatedAt', 'marketoGUID'].includes(name),
});

/** `2026-11-01T08:30:00Z`: how bulk files write datetimes. */
export function isoSeconds(sec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}Z`;
}

/** `2026-11-01`: how bulk files write dates. */
export function isoDate(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

/** Entity ids (leads among them) are 1…ID_SPACE; activities draw their leads from the same ids. */
export const ID_SPACE = 1_000_003; // prime: every stride below it walks all ids once

/** An id unique within one file (a permutation of the id space), shared across files of other windows. */
export function uniqueId(key: number, row: number, base = 1): number {
  const stride = 1 + (key % (ID_SPACE - 1));
  const offset = (key >>> 7) % ID_SPACE;
  return base + ((offset + row * stride) % ID_SPACE);
}

/** Multi-line free text on a fixed cadence of rows, the hazard a CSV parser must survive in text areas. */
export function freeText(ctx: RowContext, subject: string): string | null {
  const { row, rng } = ctx;
  if (row % 11 === 4) return null;
  if (row % 7 === 2) return `Call notes for ${subject}:\nasked for a "quote", then\nfollow-up next week, EMEA`;
  if (row % 13 === 6) return `Line one\r\nLine two — naïve café 東京 🚗`;
  if (ctx.includeNulByte && row % 17 === 9) return `binary\u0000tail`;
  return rng.pick([
    'Prefers email',
    'Met at trade show',
    'Renewal due, budget approved',
    'Asked about pricing, "enterprise" tier',
  ]);
}
