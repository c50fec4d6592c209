// Deterministic activity rows for one export. Row i is a pure function of (seed, filter, i): nothing
// carries over from row i-1, so rendering can start at any row, which the file index relies on.
// Dates rise with i (the file is sorted by activityDate) because row i's date is drawn from its own
// slot [i, i+1) of `spreadRows` equal slots across the window.
import { ACTIVITY_TYPES, ACTIVITY_TYPES_BY_ID, DELETE_LEAD_TYPE_ID, type ActivityType } from './activity-types';
import { NON_ASCII_SUFFIXES, POOL_OF_TYPE, PRIMARY_POOLS, attributesFor, type PrimaryValue } from './activity-pools';
import type { ExportRequest } from './create-request';
import { DEFAULT_ACTIVITY_FIELDS } from './create-request';
import {
  DELIMITER,
  NULL_VALUE,
  RECORD_SEPARATOR,
  fieldEncoder,
  type ExportFormat,
  type FieldEncoder,
} from './delimited-format';
import type { RowSource } from './row-source';
import { Rng, hashString, mix32 } from './prng';

export interface GeneratorSpec {
  readonly seed: number;
  readonly request: ExportRequest;
  /** Write a NUL byte into some values (the `includeNulByte` fault, fixed when the job is indexed). */
  readonly includeNulByte: boolean;
  /** Number of equal date slots across the window; rows past it all fall in the last second. */
  readonly spreadRows: number;
}

const FIELD_INDEX: Readonly<Record<string, number>> = {
  marketoGUID: 0,
  leadId: 1,
  activityDate: 2,
  activityTypeId: 3,
  campaignId: 4,
  primaryAttributeValueId: 5,
  primaryAttributeValue: 6,
  attributes: 7,
  actionResult: 8,
};

const ATTRIBUTE_VARIANTS = 64;

/**
 * Hazards on a fixed cadence of row numbers (i % every === at), applied to primaryAttributeValue in
 * this order of precedence. Public so tests can find them.
 */
export const HAZARDS = {
  lineFeed: { every: 97, at: 13, apply: (v: string) => `${v}\nFollow-up` },
  crLf: { every: 101, at: 29, apply: (v: string) => `${v}\r\nPart 2` },
  loneCr: { every: 103, at: 41, apply: (v: string) => `${v}\rDraft` },
  lineSeparator: { every: 89, at: 17, apply: (v: string) => `${v}\u2028Archived` },
  quoteAndDelimiter: { every: 53, at: 7, apply: (v: string) => `${v} "VIP", EMEA` },
  nul: { every: 211, at: 5, apply: (v: string) => `${v}\u0000` },
} as const;

/** Rows i % NON_ASCII_EVERY === NON_ASCII_AT get a suffix with accents, CJK or emoji. */
export const NON_ASCII_EVERY = 7;
export const NON_ASCII_AT = 3;

interface EncodedPrimary {
  readonly id: number;
  readonly name: string;
  readonly idBytes: Buffer;
  readonly nameBytes: Buffer;
}

interface TypeSlot {
  readonly type: ActivityType;
  readonly idBytes: Buffer;
  readonly cumulativeWeight: number;
  readonly primary: readonly EncodedPrimary[];
  readonly attributes: readonly Buffer[];
}

const NULL_BYTES = Buffer.from(NULL_VALUE);
const ACTION_BYTES = [Buffer.from('succeeded'), Buffer.from('skipped'), Buffer.from('failed')] as const;
const LF = RECORD_SEPARATOR.charCodeAt(0);
const DATE_BYTES = 20;
/** Digits of the longest number a row holds, plus room for the hazard suffixes. */
const ROW_SLACK_BYTES = 256;

/** Writes a non-negative integer as ASCII digits; returns the new offset. */
function writeUint(buf: Buffer, offset: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let at = offset + digits;
  let v = value;
  do {
    buf[--at] = 48 + (v % 10);
    v = Math.floor(v / 10);
  } while (v > 0);
  return offset + digits;
}

export class ActivityGenerator implements RowSource {
  /** The header line, encoded. */
  readonly header: Buffer;
  /** No row is longer than this many bytes. */
  readonly maxRowBytes: number;
  private readonly slots: readonly TypeSlot[];
  private readonly totalWeight: number;
  private readonly selected: readonly number[];
  private readonly delimiter: number;
  private readonly encode: FieldEncoder;
  private readonly key: number;
  private readonly guidBase: number;
  private readonly startSec: number;
  private readonly spanSec: number;
  private readonly rng = new Rng(0);
  private readonly dateBytes = Buffer.alloc(DATE_BYTES);
  private scratch: Buffer;
  private lastSec = -1;

  get format(): ExportFormat {
    return this.spec.request.format;
  }

  constructor(readonly spec: GeneratorSpec) {
    const { request, seed } = spec;
    const { filter } = request;
    const delimiter = DELIMITER[request.format];
    this.delimiter = delimiter.charCodeAt(0);
    this.encode = fieldEncoder(request.format);
    // The data depends on what is asked for (seed and filter), not on the job id or how it is rendered.
    this.key = hashString(JSON.stringify([seed, filter, spec.includeNulByte]));
    this.guidBase = 700_000_000 + (this.key % 200_000_000);
    this.startSec = Math.floor(request.startMs / 1000);
    this.spanSec = Math.max(1, Math.floor((request.endMs - request.startMs) / 1000));

    const fields = request.fields ?? DEFAULT_ACTIVITY_FIELDS;
    this.selected = fields.map((f) => {
      const index = FIELD_INDEX[f];
      if (index === undefined) throw new Error(`unknown field ${f}`);
      return index;
    });
    const headerLine =
      fields.map((f) => this.encode(request.columnHeaderNames?.[f] ?? f)).join(delimiter) + RECORD_SEPARATOR;
    this.header = Buffer.from(headerLine, 'utf8');

    const wanted = filter.activityTypeIds
      ? filter.activityTypeIds
          .map((id) => ACTIVITY_TYPES_BY_ID.get(id))
          .filter((t): t is ActivityType => t !== undefined)
      : ACTIVITY_TYPES.filter((t) => t.id !== DELETE_LEAD_TYPE_ID && t.weight > 0);
    let cumulative = 0;
    this.slots = wanted.map((type) => {
      cumulative += Math.max(1, type.weight);
      return {
        type,
        idBytes: Buffer.from(String(type.id)),
        cumulativeWeight: cumulative,
        primary: this.primaryValuesFor(type).map((v) => ({
          ...v,
          idBytes: Buffer.from(String(v.id)),
          nameBytes: Buffer.from(this.encode(v.name), 'utf8'),
        })),
        attributes: this.attributeVariants(type),
      };
    });
    this.totalWeight = cumulative;
    const longest = (buffers: readonly Buffer[]) => buffers.reduce((max, b) => Math.max(max, b.length), 0);
    this.maxRowBytes =
      ROW_SLACK_BYTES +
      this.selected.length * 24 +
      Math.max(
        ...this.slots.map((slot) => longest(slot.attributes) + 2 * longest(slot.primary.map((p) => p.nameBytes))),
      ) +
      16;
    this.scratch = Buffer.allocUnsafe(this.maxRowBytes * 64);
  }

  /**
   * Renders rows [from, to) as one buffer of LF-terminated records. With `rowEnds`, pushes each row's
   * end offset within the buffer (to cut a file at an exact row).
   */
  renderRows(from: number, to: number, rowEnds?: number[]): Buffer {
    const needed = (to - from) * this.maxRowBytes;
    if (this.scratch.length < needed) this.scratch = Buffer.allocUnsafe(needed);
    const scratch = this.scratch;
    let offset = 0;
    for (let i = from; i < to; i++) {
      offset = this.writeRow(scratch, offset, i);
      rowEnds?.push(offset);
    }
    const out = Buffer.allocUnsafe(offset);
    scratch.copy(out, 0, 0, offset);
    return out;
  }

  /** One row as text (tests and diagnostics; the file path uses renderRows). */
  renderRow(i: number): string {
    return this.renderRows(i, i + 1).toString('utf8');
  }

  /** Writes row i at `offset` (the caller guarantees maxRowBytes of room); returns the new offset. */
  private writeRow(buf: Buffer, start: number, i: number): number {
    const rng = this.rng;
    rng.reseed(mix32(this.key, i));
    const slot = this.pickSlot(rng.float() * this.totalWeight);
    const lead = 1 + rng.int(6_000_000);
    const slotOffset = rng.float();
    const campaign = 1000 + rng.int(40_000);
    const primaryPick = rng.nextUint32();
    const attributesPick = rng.int(ATTRIBUTE_VARIANTS);
    const action = rng.float();
    const primary = slot.primary.length > 0 ? slot.primary[primaryPick % slot.primary.length] : undefined;

    const selected = this.selected;
    let offset = start;
    for (let k = 0; k < selected.length; k++) {
      if (k > 0) buf[offset++] = this.delimiter;
      switch (selected[k]) {
        case 0:
          offset = writeUint(buf, offset, this.guidBase + i);
          break;
        case 1:
          offset = writeUint(buf, offset, lead);
          break;
        case 2:
          buf.set(this.dateFor(i, slotOffset), offset);
          offset += DATE_BYTES;
          break;
        case 3:
          buf.set(slot.idBytes, offset);
          offset += slot.idBytes.length;
          break;
        case 4:
          if (slot.type.campaignless) {
            buf.set(NULL_BYTES, offset);
            offset += NULL_BYTES.length;
          } else {
            offset = writeUint(buf, offset, campaign);
          }
          break;
        case 5: {
          const bytes = primary ? primary.idBytes : NULL_BYTES;
          buf.set(bytes, offset);
          offset += bytes.length;
          break;
        }
        case 6: {
          const hazard = primary ? this.hazardFor(i) : undefined;
          if (primary && hazard) {
            offset += buf.write(this.encode(hazard(primary.name)), offset, 'utf8');
          } else {
            const bytes = primary ? primary.nameBytes : NULL_BYTES;
            buf.set(bytes, offset);
            offset += bytes.length;
          }
          break;
        }
        case 7: {
          const bytes = slot.attributes[attributesPick] ?? NULL_BYTES;
          buf.set(bytes, offset);
          offset += bytes.length;
          break;
        }
        default: {
          const bytes = ACTION_BYTES[action < 0.9 ? 0 : action < 0.97 ? 1 : 2];
          buf.set(bytes, offset);
          offset += bytes.length;
        }
      }
    }
    buf[offset++] = LF;
    return offset;
  }

  private hazardFor(i: number): ((v: string) => string) | undefined {
    if (i % HAZARDS.lineFeed.every === HAZARDS.lineFeed.at) return HAZARDS.lineFeed.apply;
    if (i % HAZARDS.crLf.every === HAZARDS.crLf.at) return HAZARDS.crLf.apply;
    if (i % HAZARDS.loneCr.every === HAZARDS.loneCr.at) return HAZARDS.loneCr.apply;
    if (i % HAZARDS.lineSeparator.every === HAZARDS.lineSeparator.at) return HAZARDS.lineSeparator.apply;
    if (i % HAZARDS.quoteAndDelimiter.every === HAZARDS.quoteAndDelimiter.at) return HAZARDS.quoteAndDelimiter.apply;
    if (this.spec.includeNulByte && i % HAZARDS.nul.every === HAZARDS.nul.at) return HAZARDS.nul.apply;
    if (i % NON_ASCII_EVERY === NON_ASCII_AT) {
      const suffix = NON_ASCII_SUFFIXES[i % NON_ASCII_SUFFIXES.length];
      return (v) => `${v} – ${suffix}`;
    }
    return undefined;
  }

  private pickSlot(point: number): TypeSlot {
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k];
      if (slot && point < slot.cumulativeWeight) return slot;
    }
    const last = slots[slots.length - 1];
    if (!last) throw new Error('no activity types to generate');
    return last;
  }

  private dateFor(i: number, slotOffset: number): Buffer {
    const offset = Math.min(
      this.spanSec - 1,
      Math.floor(((i + slotOffset) * this.spanSec) / Math.max(1, this.spec.spreadRows)),
    );
    const sec = this.startSec + offset;
    if (sec === this.lastSec) return this.dateBytes;
    const bytes = this.dateBytes;
    const day = Math.floor(sec / 86_400);
    if (Math.floor(this.lastSec / 86_400) !== day || this.lastSec < 0) {
      bytes.write(`${new Date(day * 86_400_000).toISOString().slice(0, 11)}00:00:00Z`, 0, 'latin1');
    }
    // Only the time of day changes within a day: write its six digits in place (toISOString is slow).
    const inDay = sec - day * 86_400;
    const hours = Math.floor(inDay / 3600);
    const minutes = Math.floor((inDay % 3600) / 60);
    const seconds = inDay % 60;
    bytes[11] = 48 + Math.floor(hours / 10);
    bytes[12] = 48 + (hours % 10);
    bytes[14] = 48 + Math.floor(minutes / 10);
    bytes[15] = 48 + (minutes % 10);
    bytes[17] = 48 + Math.floor(seconds / 10);
    bytes[18] = 48 + (seconds % 10);
    this.lastSec = sec;
    return bytes;
  }

  /** The values a type's primary attribute takes, narrowed by the primary attribute filters. */
  private primaryValuesFor(type: ActivityType): readonly PrimaryValue[] {
    const poolName = POOL_OF_TYPE[type.id];
    if (!poolName || !type.primaryAttribute) return [];
    const pool = PRIMARY_POOLS[poolName];
    const { primaryAttributeValueIds: ids, primaryAttributeValues: names } = this.spec.request.filter;
    const group = type.assetGroup ?? type.name;
    // Lead fields of both attribute-name types share one pool, so an id resolves whichever type asked.
    const lookup = poolName === 'score' ? PRIMARY_POOLS.leadField : pool;
    if (ids) return ids.map((id) => lookup.find((v) => v.id === id) ?? { id, name: `${group} ${id}` });
    if (names)
      return names.map(
        (name) => lookup.find((v) => v.name === name) ?? { id: 100_000 + (hashString(name) % 900_000), name },
      );
    return pool;
  }

  private attributeVariants(type: ActivityType): Buffer[] {
    const rng = new Rng(mix32(this.key, 0x5eed0000 + type.id));
    return Array.from({ length: ATTRIBUTE_VARIANTS }, () =>
      Buffer.from(this.encode(JSON.stringify(attributesFor(type, rng))), 'utf8'),
    );
  }
}
