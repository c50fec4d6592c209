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

/** Index of the first byte other than CR in s[from, to), or -1 (a line of only CR is an empty line). */
function firstContent(s: string, from: number, to: number): number {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) !== CR) return k;
  return -1;
}

const SCAN_SLICE_BYTES = 256 * 1024;

/** Split points beyond this many are thinned (every other dropped, the interval doubled). */
export const MAX_RECORD_STARTS = 64;

/**
 * Where records start, about one every `interval` bytes: offsets a reader can start parsing at
 * (never inside quotes), for splitting the file into pieces later.
 */
export interface RecordStarts {
  readonly interval: number;
  /** File offsets of the first byte of a record, ascending; the header's 0 is never listed. */
  readonly starts: readonly number[];
}

/** One start about every `preferred` bytes, spaced wider when the file would need more than the cap. */
export function recordStartInterval(preferred: number, fileSize: number | undefined): number {
  const MIB = 1024 * 1024;
  const needed = fileSize === undefined ? 0 : Math.ceil(fileSize / MAX_RECORD_STARTS / MIB) * MIB;
  return Math.max(preferred, needed, 1);
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
  /** File offset of the next byte, when record starts are tracked. */
  private offset = 0;
  private startInterval = 0;
  private starts: number[] = [];
  /** A record starting at or after this offset is listed (never, unless tracking). */
  private nextStartAt = Number.POSITIVE_INFINITY;

  /**
   * With `track`, also lists record starts (see RecordStarts); `offset` is the file offset of the
   * first byte this counter will see.
   */
  constructor(
    private readonly initial: CsvCountState = initialCsvState(),
    track?: { readonly offset: number; readonly recordStarts: RecordStarts },
  ) {
    if (track) {
      this.offset = track.offset;
      this.startInterval = track.recordStarts.interval;
      this.starts = [...track.recordStarts.starts];
      this.nextStartAt = (this.starts.at(-1) ?? 0) + this.startInterval;
    }
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
    // A part is megabytes: one latin1 string per slice keeps each string short-lived (young
    // generation) instead of a part-sized one per part.
    if (buf.length <= SCAN_SLICE_BYTES) return this.updateSlice(buf, stopAfterRows);
    let done = 0;
    while (done < buf.length) {
      const piece = buf.subarray(done, done + SCAN_SLICE_BYTES);
      const end = this.updateSlice(piece, stopAfterRows);
      done += end;
      if (end < piece.length || this.rows >= stopAfterRows) break;
    }
    return done;
  }

  private updateSlice(buf: Buffer, stopAfterRows: number): number {
    // Searching a latin1 string (one char per byte) with String#indexOf, a cheap builtin, beats both a
    // byte loop and Buffer#indexOf (a C++ call per quote): ~530 against ~300 and ~150 MB/s on
    // Marketo-like rows, whose JSON attributes are full of doubled quotes.
    const s = buf.toString('latin1');
    const end = this.scan(s, stopAfterRows);
    this.offset += end;
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
    const base = this.offset;
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
        if (!lineHasContent) {
          const k = firstContent(s, i, nextLf);
          lineHasContent = k >= 0;
          if (lineHasContent && base + k >= this.nextStartAt) this.addStart(base + k);
        }
        i = nextLf + 1;
        if (lineHasContent) {
          rows++;
          lineHasContent = false;
          if (rows >= stopAfterRows) break;
        }
        continue;
      }
      if (nextQuote === -1) {
        if (!lineHasContent) {
          const k = firstContent(s, i, n);
          lineHasContent = k >= 0;
          if (lineHasContent && base + k >= this.nextStartAt) this.addStart(base + k);
        }
        i = n;
        break;
      }
      if (!lineHasContent) {
        const k = firstContent(s, i, nextQuote + 1);
        lineHasContent = true;
        if (base + k >= this.nextStartAt) this.addStart(base + k);
      }
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

  private addStart(offset: number): void {
    this.starts.push(offset);
    if (this.starts.length > MAX_RECORD_STARTS) {
      this.starts = this.starts.filter((_, k) => k % 2 === 1);
      this.startInterval *= 2;
    }
    this.nextStartAt = (this.starts.at(-1) ?? 0) + this.startInterval;
  }

  /** The record starts listed so far (empty unless tracking). */
  recordStarts(): RecordStarts {
    return { interval: this.startInterval, starts: [...this.starts] };
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
