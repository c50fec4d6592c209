// The `poisonJobsStartingAt` fault: a job's file whose first record carries a value no parser can type
// (its leadId, an integer column, becomes a word). The bytes are what Marketo announced (size and
// checksum are computed over them), so the transfer verifies and only the typed conversion refuses it:
// the data error a window can fail on every run until the data is fixed.
import { DELIMITER } from './delimited-format';
import type { RowSource } from './row-source';

export const POISON_VALUE = 'not-a-lead-id';

/** `source` with its first record's `leadId` replaced by POISON_VALUE (the fields before it carry no delimiter). */
export function withPoisonedFirstRow(source: RowSource): RowSource {
  const delimiter = DELIMITER[source.format];
  const column = source.header.toString('utf8').trimEnd().split(delimiter).indexOf('leadId');
  const poisoned = (row: Buffer): Buffer => {
    if (column < 0) return row;
    const fields = row.toString('utf8').split(delimiter);
    fields[column] = POISON_VALUE;
    return Buffer.from(fields.join(delimiter), 'utf8');
  };
  return {
    header: source.header,
    format: source.format,
    renderRows(from, to, rowEnds) {
      if (from > 0 || to <= from) return source.renderRows(from, to, rowEnds);
      const first = poisoned(source.renderRows(0, 1));
      const restEnds: number[] = [];
      const rest = to > 1 ? source.renderRows(1, to, restEnds) : Buffer.alloc(0);
      if (rowEnds) rowEnds.push(first.length, ...restEnds.map((end) => first.length + end));
      return Buffer.concat([first, rest]);
    },
  };
}
