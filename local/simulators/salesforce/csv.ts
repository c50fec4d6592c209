// Bulk 2.0 result CSV as the documentation shows it: a header, every value double-quoted with `"`
// doubled inside, the delimiter and line ending the job asked for. Null and empty are both `""`: the
// Bulk results cannot tell them apart.
export const DELIMITERS = { BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t' } as const;
export type ColumnDelimiter = keyof typeof DELIMITERS;
export const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' } as const;
export type LineEnding = keyof typeof LINE_ENDINGS;

const quote = (value: string | null) => `"${(value ?? '').replaceAll('"', '""')}"`;

export function csvPage(
  fields: readonly string[],
  rows: ReadonlyArray<Readonly<Record<string, string | null>>>,
  delimiter: ColumnDelimiter,
  lineEnding: LineEnding,
): Buffer {
  const sep = DELIMITERS[delimiter];
  const eol = LINE_ENDINGS[lineEnding];
  const lines = [fields.map(quote).join(sep), ...rows.map((row) => fields.map((f) => quote(row[f] ?? null)).join(sep))];
  return Buffer.from(lines.map((l) => `${l}${eol}`).join(''), 'utf8');
}
