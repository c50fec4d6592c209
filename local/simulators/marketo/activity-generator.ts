// Deterministic activity rows for one export. Row i is a pure function of (seed, filter, i): nothing
// carries over from row i-1, so rendering can start at any row, which the file index relies on.
// Dates rise with i (the file is sorted by activityDate) because row i's date is drawn from its own
// slot [i, i+1) of `spreadRows` equal slots across the window.
import { DATE_BYTES, ActivityDates } from './activity-dates';
import { CAMPAIGN_BASE_ID, CAMPAIGN_COUNT } from './asset-data';
import { hazardFor } from './activity-hazards';
import { LEAD_ID_BASE, LEAD_ID_SPACE } from './activity-pools';
import { ATTRIBUTE_VARIANTS, pickSlot, typeSlots, type TypeSlot } from './activity-type-slots';
import type { ExportRequest } from './create-request';
import { DEFAULT_ACTIVITY_FIELDS } from './create-request';
import { isoSeconds } from './entity-schema';
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
import type { InstanceTimeline, MergeEvent } from './instance-timeline';
import { mergeAttributes } from './instance-activities';
import { MERGE_LEADS_TYPE_ID } from './activity-types';

export interface GeneratorSpec {
  readonly seed: number;
  readonly request: ExportRequest;
  /** Write a NUL byte into some values (the `includeNulByte` fault, fixed when the job is indexed). */
  readonly includeNulByte: boolean;
  /** Number of equal date slots across the window; rows past it all fall in the last second. */
  readonly spreadRows: number;
  /** The `poisonValue` fault: this row's activityDate is this value (no other value changes). */
  readonly poison?: { readonly row: number; readonly value: string } | undefined;
  /** The instance's timeline: a file of whole slots takes its leads and merges from it. */
  readonly timeline?: InstanceTimeline | undefined;
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

const NULL_BYTES = Buffer.from(NULL_VALUE);
const ACTION_BYTES = [Buffer.from('succeeded'), Buffer.from('skipped'), Buffer.from('failed')] as const;
const LF = RECORD_SEPARATOR.charCodeAt(0);
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
  private readonly dates: ActivityDates;
  private readonly rng = new Rng(0);
  private scratch: Buffer;
  /** The timeline slot of row 0, when rows follow the instance's timeline. */
  private readonly firstSlot: number | undefined;
  private readonly mergeSlot: TypeSlot | undefined;
  /** What a row that drew Merge Leads becomes when its slot holds no merge. */
  private readonly notMergeSlot: TypeSlot | undefined;

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
    this.dates = new ActivityDates(
      Math.floor(request.startMs / 1000),
      Math.max(1, Math.floor((request.endMs - request.startMs) / 1000)),
      spec.spreadRows,
    );

    const fields = request.fields ?? DEFAULT_ACTIVITY_FIELDS;
    this.selected = fields.map((f) => {
      const index = FIELD_INDEX[f];
      if (index === undefined) throw new Error(`unknown field ${f}`);
      return index;
    });
    const headerLine =
      fields.map((f) => this.encode(request.columnHeaderNames?.[f] ?? f)).join(delimiter) + RECORD_SEPARATOR;
    this.header = Buffer.from(headerLine, 'utf8');

    const { slots, totalWeight } = typeSlots(filter, this.key, this.encode);
    this.slots = slots;
    this.totalWeight = totalWeight;
    const longest = (buffers: readonly Buffer[]) => buffers.reduce((max, b) => Math.max(max, b.length), 0);
    this.maxRowBytes =
      ROW_SLACK_BYTES +
      (spec.poison ? Buffer.byteLength(this.encode(spec.poison.value)) : 0) +
      this.selected.length * 24 +
      Math.max(
        ...this.slots.map((slot) => longest(slot.attributes) + 2 * longest(slot.primary.map((p) => p.nameBytes))),
      ) +
      16;
    this.scratch = Buffer.allocUnsafe(this.maxRowBytes * 64);
    this.firstSlot = spec.timeline?.firstSlotOf(request.startMs, request.endMs, spec.spreadRows);
    this.mergeSlot = slots.find((s) => s.type.id === MERGE_LEADS_TYPE_ID);
    this.notMergeSlot = slots.find((s) => s.type.id !== MERGE_LEADS_TYPE_ID) ?? this.mergeSlot;
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
    let slot = pickSlot(this.slots, rng.float() * this.totalWeight);
    let lead = LEAD_ID_BASE + rng.int(LEAD_ID_SPACE);
    let merge: MergeEvent | undefined;
    const { timeline } = this.spec;
    if (timeline && this.firstSlot !== undefined) {
      // The slot's lead acts; only the timeline's merges are Merge Leads rows.
      const at = this.firstSlot + i;
      lead = timeline.leadAt(at);
      merge = this.mergeSlot ? timeline.mergeAt(at) : undefined;
      if (merge && this.mergeSlot) slot = this.mergeSlot;
      else if (slot === this.mergeSlot && this.notMergeSlot) slot = this.notMergeSlot;
    }
    const slotOffset = rng.float();
    const campaign = CAMPAIGN_BASE_ID + rng.int(CAMPAIGN_COUNT);
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
          if (merge) {
            offset += buf.write(isoSeconds(merge.atSec), offset, 'latin1');
            break;
          }
          if (this.spec.poison?.row === i) {
            offset += buf.write(this.encode(this.spec.poison.value), offset, 'utf8');
            break;
          }
          buf.set(this.dates.of(i, slotOffset), offset);
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
          const hazard = primary ? hazardFor(i, this.spec.includeNulByte) : undefined;
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
          if (merge) {
            offset += buf.write(this.encode(mergeAttributes(merge)), offset, 'utf8');
            break;
          }
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
}
