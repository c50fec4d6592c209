// A large CSV that exists only as a formula: a header followed by one block of Marketo-like activity
// rows repeated. Any byte range is a few subarrays of the block, so a source can serve GiBs from a
// few MiB of memory, and the expected size, SHA-256 and record count are known up front.
import { createHash } from 'node:crypto';

const HEADER =
  'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes\n';
const HAZARDS = ['line\nbreak', 'cr\r\nlf', 'say ""hi""', 'a,b,c', 'héllo wörld', 'null'];

function rowsBlock(targetBytes: number): { block: Buffer; rows: number } {
  let seed = 12345;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const rows: string[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const n = Math.floor(rand() * 1e9);
    const value = rand() < 0.1 ? HAZARDS[n % HAZARDS.length]! : `Form ${n % 1000}`;
    const row = `${n.toString(16)}-${rows.length},${n % 100000},2024-01-${String((n % 28) + 1).padStart(2, '0')}T10:00:00Z,${n % 50},${n % 7},${n % 1000},"${value.replaceAll('"', '""')}","{""Campaign Run ID"":""${n % 97}"",""Client IP Address"":""10.0.${n % 255}.${n % 13}"",""Webpage URL"":""https://example.com/p/${n % 1000}""}"\n`;
    rows.push(row);
    bytes += Buffer.byteLength(row);
  }
  return { block: Buffer.from(rows.join('')), rows: rows.length };
}

export class GeneratedCsv {
  readonly header = Buffer.from(HEADER);
  readonly block: Buffer;
  readonly size: number;
  readonly records: number;
  private readonly repeats: number;

  /** At least `minBytes` long: the header plus whole blocks of rows. */
  constructor(minBytes: number, blockBytes = 4 * 1024 * 1024) {
    const { block, rows } = rowsBlock(blockBytes);
    this.block = block;
    this.repeats = Math.max(1, Math.ceil((minBytes - this.header.length) / block.length));
    this.size = this.header.length + this.repeats * block.length;
    this.records = this.repeats * rows;
  }

  /** Bytes [start, endExclusive) as subarrays of at most `maxChunk` bytes (no copies). */
  *slices(start: number, endExclusive: number, maxChunk = 1024 * 1024): Generator<Buffer> {
    let pos = start;
    while (pos < endExclusive) {
      let chunk: Buffer;
      if (pos < this.header.length) {
        chunk = this.header.subarray(pos, Math.min(this.header.length, endExclusive));
      } else {
        const inBlock = (pos - this.header.length) % this.block.length;
        chunk = this.block.subarray(
          inBlock,
          Math.min(this.block.length, inBlock + maxChunk, inBlock + (endExclusive - pos)),
        );
      }
      pos += chunk.length;
      yield chunk;
    }
  }

  sha256(): string {
    const hash = createHash('sha256');
    for (const s of this.slices(0, this.size, 16 * 1024 * 1024)) hash.update(s);
    return hash.digest('hex');
  }
}
