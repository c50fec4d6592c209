// Uploads parts with a bounded number in flight, so the next part is read and hashed while earlier ones
// travel, and reports progress only over an unbroken run of finished parts: the cursor may advance past
// part N only when parts up to N have all been stored.
export interface PartCheckpoint {
  readonly partNumber: number;
}

export type UploadPart = (partNumber: number, body: Buffer) => Promise<void>;

export class PartUploadQueue<C extends PartCheckpoint> {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly finished = new Map<number, C>();
  private nextToCommit: number;
  private committedCheckpoint: C | undefined;
  private firstError: unknown;
  private failed = false;

  constructor(
    private readonly upload: UploadPart,
    private readonly maxInFlight: number,
    firstPartNumber: number,
  ) {
    if (maxInFlight < 1) throw new RangeError('maxInFlight must be at least 1');
    this.nextToCommit = firstPartNumber;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** The checkpoint after the highest part such that it and every part before it are stored. */
  get committed(): C | undefined {
    return this.committedCheckpoint;
  }

  get error(): unknown {
    return this.failed ? this.firstError : undefined;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  /** Resolves once another part may start (or at once when a part has failed: check `hasFailed`). */
  async waitForSlot(): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight && !this.failed) await Promise.race(this.inFlight);
  }

  /**
   * Starts uploading; `release` runs when the body is no longer needed (success or failure). With
   * `alongside` (other work reading the same body, e.g. its hash), the part counts as stored, and
   * its slot and body are freed, only once that has settled too.
   */
  start(checkpoint: C, body: Buffer, release: () => void, alongside?: Promise<unknown>): void {
    const work = Promise.allSettled([this.upload(checkpoint.partNumber, body), alongside]).then((results) => {
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    });
    const task: Promise<void> = work
      .then(
        () => {
          this.finished.set(checkpoint.partNumber, checkpoint);
          this.advance();
        },
        (err: unknown) => {
          if (!this.failed) {
            this.failed = true;
            this.firstError = err;
          }
        },
      )
      .finally(() => {
        this.inFlight.delete(task);
        release();
      });
    this.inFlight.add(task);
  }

  /** Waits for every part in flight to settle (never rejects: see `error`). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private advance(): void {
    for (let c = this.finished.get(this.nextToCommit); c !== undefined; c = this.finished.get(this.nextToCommit)) {
      this.finished.delete(this.nextToCommit);
      this.committedCheckpoint = c;
      this.nextToCommit++;
    }
  }
}
