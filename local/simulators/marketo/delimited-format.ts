// How Marketo renders a value in CSV / TSV / SSV: RFC 4180 quoting (quotes doubled) whenever the value
// holds the delimiter, a quote, CR or LF; empty values are the literal `null`, never quoted.

export type ExportFormat = 'CSV' | 'TSV' | 'SSV';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['CSV', 'TSV', 'SSV'];

export const DELIMITER: Readonly<Record<ExportFormat, string>> = { CSV: ',', TSV: '\t', SSV: ' ' };

/** Marketo writes LF between records (and no CR). */
export const RECORD_SEPARATOR = '\n';

export const NULL_VALUE = 'null';

const NEEDS_QUOTES: Readonly<Record<ExportFormat, RegExp>> = {
  CSV: /[",\r\n]/,
  TSV: /["\t\r\n]/,
  SSV: /[" \r\n]/,
};

export type FieldEncoder = (value: string | null) => string;

export function fieldEncoder(format: ExportFormat): FieldEncoder {
  const needsQuotes = NEEDS_QUOTES[format];
  return (value) => {
    if (value === null) return NULL_VALUE;
    return needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  };
}

export function contentTypeFor(format: ExportFormat): string {
  if (format === 'TSV') return 'text/tab-separated-values;charset=UTF-8';
  if (format === 'SSV') return 'text/plain;charset=UTF-8';
  return 'text/csv;charset=UTF-8';
}
