// Deterministic rows of an entity export (leads, program members, custom objects). Row i is a pure
// function of (seed, type, filter, i), as for activities, and rows rise by their main date (updatedAt,
// or createdAt for a createdAt filter) because row i's date is drawn from its own slot of the span.
// Simpler and slower than the activity generator: entity exports are smaller.
import { DELIMITER, RECORD_SEPARATOR, fieldEncoder, type ExportFormat, type FieldEncoder } from './delimited-format';
import type { EntityExportRequest } from './entity-request';
import type { EntitySchema, RowContext } from './entity-schema';
import { schemaOf } from './entity-schemas';
import { leadRowAt } from './instance-truth';
import type { InstanceTimeline } from './instance-timeline';
import { Rng, hashString, mix32 } from './prng';
import type { RowSource } from './row-source';

export interface EntityGeneratorSpec {
  readonly seed: number;
  readonly request: EntityExportRequest;
  readonly includeNulByte: boolean;
  /** Number of equal date slots across the span. */
  readonly spreadRows: number;
  /** The instance's timeline: a leads export by updatedAt over whole slots writes its leads. */
  readonly timeline?: InstanceTimeline | undefined;
}

export class EntityGenerator implements RowSource {
  readonly header: Buffer;
  private readonly schema: EntitySchema;
  private readonly encode: FieldEncoder;
  private readonly delimiter: string;
  private readonly key: number;
  private readonly rng = new Rng(0);
  private readonly startSec: number;
  private readonly spanSec: number;
  /** The timeline slot of row 0, when the rows are the timeline's lead events. */
  private readonly firstSlot: number | undefined;

  constructor(readonly spec: EntityGeneratorSpec) {
    const { request } = spec;
    this.schema = schemaOf(request.entity);
    this.encode = fieldEncoder(request.format);
    this.delimiter = DELIMITER[request.format];
    // The data depends on what is asked for, not on the job or when a list export ran.
    const identity = request.dateFilter ? request.filter : { ...request.filter, list: true };
    this.key = hashString(
      JSON.stringify([spec.seed, request.entity, request.apiName ?? null, identity, spec.includeNulByte]),
    );
    this.startSec = Math.floor(request.startMs / 1000);
    this.spanSec = Math.max(1, Math.floor((request.endMs - request.startMs) / 1000));
    const headerLine =
      request.fields.map((f) => this.encode(request.columnHeaderNames?.[f] ?? f)).join(this.delimiter) +
      RECORD_SEPARATOR;
    this.header = Buffer.from(headerLine, 'utf8');
    const { timeline } = spec;
    this.firstSlot =
      timeline && request.entity === 'leads' && request.dateFilter === 'updatedAt'
        ? timeline.firstSlotOf(request.startMs, request.endMs, spec.spreadRows)
        : undefined;
  }

  get format(): ExportFormat {
    return this.spec.request.format;
  }

  renderRows(from: number, to: number, rowEnds?: number[]): Buffer {
    const parts: Buffer[] = [];
    let length = 0;
    for (let i = from; i < to; i++) {
      const row = Buffer.from(this.renderRow(i), 'utf8');
      parts.push(row);
      length += row.length;
      rowEnds?.push(length);
    }
    return Buffer.concat(parts, length);
  }

  renderRow(i: number): string {
    const { request } = this.spec;
    const rng = this.rng;
    if (this.spec.timeline && this.firstSlot !== undefined) {
      const values = leadRowAt(this.spec.timeline, this.firstSlot + i, rng);
      return request.fields.map((f) => this.encode(values[f] ?? null)).join(this.delimiter) + RECORD_SEPARATOR;
    }
    rng.reseed(mix32(this.key, i));
    const slot = rng.float();
    const offset = Math.min(
      this.spanSec - 1,
      Math.floor(((i + slot) * this.spanSec) / Math.max(1, this.spec.spreadRows)),
    );
    const ctx: RowContext = {
      rng,
      row: i,
      key: this.key,
      mainSec: this.startSec + offset,
      dateFilter: request.dateFilter,
      filter: request.filter,
      includeNulByte: this.spec.includeNulByte,
    };
    const values = this.schema.row(ctx);
    return request.fields.map((f) => this.encode(values[f] ?? null)).join(this.delimiter) + RECORD_SEPARATOR;
  }
}
