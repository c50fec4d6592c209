// Counts CSV records exactly while the bytes stream past, in pieces cut anywhere (mid-quote, mid-CRLF,
// between parts or invocations): its whole state is a few flags that travel in the cursor. Rules are
// csv-parse's with relax_quotes and skip_empty_lines: a quote opens a quoted field only at a field's
// start, "" inside quotes is a literal quote, a newline inside quotes belongs to the field, and a
// line with nothing on it (or only CR) is no record. Bytes other than '"', '\n', '\r' and the
// delimiter are opaque, so UTF-8 text, NULs and U+2028 pass through as field content.
export type CsvDelimiter = ',' | '\t' | ' ';

export interface CsvCountState {
  readonly delimiter: CsvDelimiter;
  /** Records completed by a line end so far (a header row included). */
  readonly rows: number;
  readonly inQuotes: boolean;
  /** Inside quotes, the last byte was '"': the next byte says whether it closed the field or was doubled. */
  readonly quotePending: boolean;
  /** The last byte was a delimiter or LF (or nothing yet): a quote here would open a quoted field. */
  readonly atFieldStart: boolean;
  readonly lineHasContent: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Whether s[from, to) holds anything but CR (a line of only CR is an empty line). */
function hasContent(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) !== CR) return true;
  return false;
}

export function initialCsvState(delimiter: CsvDelimiter = ','): CsvCountState {
  return { delimiter, rows: 0, inQuotes: false, quotePending: false, atFieldStart: true, lineHasContent: false };
}

export class CsvRecordCounter {
  private readonly delimiter: number;
  private rows: number;
  private inQuotes: boolean;
  private quotePending: boolean;
  private atFieldStart: boolean;
  private lineHasContent: boolean;

  constructor(private readonly initial: CsvCountState = initialCsvState()) {
    this.delimiter = initial.delimiter.charCodeAt(0);
    this.rows = initial.rows;
    this.inQuotes = initial.inQuotes;
    this.quotePending = initial.quotePending;
    this.atFieldStart = initial.atFieldStart;
    this.lineHasContent = initial.lineHasContent;
  }

  /**
   * Consumes `buf`. With `stopAfterRows`, stops right after the line end that completes that many
   * rows and returns the index just past it; otherwise returns buf.length.
   */
  update(buf: Buffer, stopAfterRows = Number.POSITIVE_INFINITY): number {
    // Searching a latin1 string (one char per byte) with String#indexOf, a cheap builtin, beats both a
    // byte loop and Buffer#indexOf (a C++ call per quote): ~530 against ~300 and ~150 MB/s on
    // Marketo-like rows, whose JSON attributes are full of doubled quotes.
    const s = buf.toString('latin1');
    const end = this.scan(s, stopAfterRows);
    if (end > 0) {
      const last = s.charCodeAt(end - 1);
      this.atFieldStart = last === this.delimiter || last === LF;
    }
    return end;
  }

  private scan(s: string, stopAfterRows: number): number {
    const n = s.length;
    if (n === 0) return 0;
    const delimiter = this.delimiter;
    let rows = this.rows;
    let inQuotes = this.inQuotes;
    let lineHasContent = this.lineHasContent;
    let quotePending = false;
    let i = 0;
    if (this.quotePending) {
      if (s.charCodeAt(0) === QUOTE) i = 1;
      else inQuotes = false; // the pending quote closed the field; byte 0 is read unquoted below
    }
    let nextQuote = -2;
    let nextLf = -2;
    while (i < n) {
      if (inQuotes) {
        const q = s.indexOf('"', i);
        if (q < 0) {
          i = n;
        } else if (q + 1 === n) {
          quotePending = true;
          i = n;
        } else if (s.charCodeAt(q + 1) === QUOTE) {
          i = q + 2;
        } else {
          inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      if (nextQuote < i && nextQuote !== -1) nextQuote = s.indexOf('"', i);
      if (nextLf < i && nextLf !== -1) nextLf = s.indexOf('\n', i);
      if (nextLf !== -1 && (nextQuote === -1 || nextLf < nextQuote)) {
        if (!lineHasContent) lineHasContent = hasContent(s, i, nextLf);
        i = nextLf + 1;
        if (lineHasContent) {
          rows++;
          lineHasContent = false;
          if (rows >= stopAfterRows) break;
        }
        continue;
      }
      if (nextQuote === -1) {
        if (!lineHasContent) lineHasContent = hasContent(s, i, n);
        i = n;
        break;
      }
      lineHasContent = true;
      // A quote opens a quoted field only at the field's start; elsewhere it is a literal character.
      const before = nextQuote > 0 ? s.charCodeAt(nextQuote - 1) : this.atFieldStart ? delimiter : -1;
      if (before === delimiter || before === LF) inQuotes = true;
      i = nextQuote + 1;
    }
    this.rows = rows;
    this.inQuotes = inQuotes;
    this.quotePending = quotePending;
    this.lineHasContent = lineHasContent;
    return i;
  }

  /** Records completed so far, the last line counted only once it ends (or at `finalRows`). */
  get completedRows(): number {
    return this.rows;
  }

  /** Rows once the input has ended: a last line without a line end still counts. */
  finalRows(): number {
    return this.rows + (this.lineHasContent ? 1 : 0);
  }

  state(): CsvCountState {
    return {
      delimiter: this.initial.delimiter,
      rows: this.rows,
      inQuotes: this.inQuotes,
      quotePending: this.quotePending,
      atFieldStart: this.atFieldStart,
      lineHasContent: this.lineHasContent,
    };
  }
}

/** Index just past the first record's line end in `buf`, or undefined when it does not end in `buf`. */
export function endOfFirstRecord(buf: Buffer, delimiter: CsvDelimiter = ','): number | undefined {
  const counter = new CsvRecordCounter(initialCsvState(delimiter));
  const end = counter.update(buf, 1);
  return counter.completedRows >= 1 ? end : undefined;
}
