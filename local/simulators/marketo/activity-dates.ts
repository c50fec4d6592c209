// activityDate of row i, drawn from its own slot [i, i+1) of `spreadRows` equal slots across the window,
// so dates rise with i. Rendering a row must be cheap (files run to gigabytes): consecutive rows usually
// share a day, so only the time of day is rewritten, in place, in one reused buffer.

/** Length of an activityDate: `YYYY-MM-DDTHH:MM:SSZ`. */
export const DATE_BYTES = 20;

export class ActivityDates {
  private readonly bytes = Buffer.alloc(DATE_BYTES);
  private lastSec = -1;

  constructor(
    private readonly startSec: number,
    private readonly spanSec: number,
    private readonly spreadRows: number,
  ) {}

  /** The date of row i at `slotOffset` ∈ [0, 1) into its slot; the buffer is reused by the next call. */
  of(i: number, slotOffset: number): Buffer {
    const offset = Math.min(
      this.spanSec - 1,
      Math.floor(((i + slotOffset) * this.spanSec) / Math.max(1, this.spreadRows)),
    );
    const sec = this.startSec + offset;
    if (sec === this.lastSec) return this.bytes;
    const bytes = this.bytes;
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
}
