// Where a paged source stands, as far as this invocation has learned it: the position it was started
// from and every page boundary its opened bodies passed. A re-open and the cursor handed back each take
// the latest boundary at or before their own offset, so bytes and position always line up.
import type { OpenedRange, SourcePosition } from '#providers/types';

/** A position longer than this is not carried (the cursor must stay a few kilobytes). */
export const MAX_SOURCE_POSITION_CHARS = 1024;

export class SourceMarks {
  private readonly opened: NonNullable<OpenedRange['positionAt']>[] = [];

  constructor(private readonly initial?: SourcePosition) {}

  /** Remembers an opened body's boundaries (a body without any adds nothing). */
  track(opened: OpenedRange): void {
    if (opened.positionAt) this.opened.push(opened.positionAt);
  }

  /** The latest known boundary at or before `offset` whose position may be carried. */
  best(offset: number): SourcePosition | undefined {
    let best = this.initial && this.initial.at <= offset ? this.initial : undefined;
    for (const positionAt of this.opened) {
      const mark = positionAt(offset);
      if (!mark || mark.at > offset || mark.position.length > MAX_SOURCE_POSITION_CHARS) continue;
      if (!best || mark.at > best.at) best = { at: mark.at, position: mark.position };
    }
    return best;
  }
}
