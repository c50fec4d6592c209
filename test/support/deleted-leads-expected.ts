// What a deleted-leads file must hold, written here by hand from the simulator's records (its own
// quoting, not the adapter's csv-stringify), so a test compares the adapter against an independent
// rendering: header, then one LF-ended row per record, RFC 4180 quotes where a value needs them.
import type { DeletedLeadRecord } from '../../local/simulators/marketo';

const HEADER = [
  'marketoGUID',
  'id',
  'leadId',
  'activityDate',
  'activityTypeId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
];

function quoted(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(cells: readonly string[]): string {
  return `${cells.map(quoted).join(',')}\n`;
}

export function expectedDeletedLeadsCsv(records: readonly DeletedLeadRecord[]): Buffer {
  const lines = records.map((r) =>
    row([
      r.marketoGUID ?? 'null',
      String(r.id),
      String(r.leadId),
      r.activityDate,
      String(r.activityTypeId),
      String(r.primaryAttributeValueId),
      r.primaryAttributeValue ?? 'null',
      JSON.stringify(r.attributes),
    ]),
  );
  return Buffer.from(row(HEADER) + lines.join(''), 'utf8');
}
