// The reader that samples the curated tables while the soak runs (every second): per export and day
// partition, the rows a query would count now against the rows the partition's manifests promise. A
// partition whose count is neither 0 nor the manifests' total shows a partial window to readers. A
// sample is only judged when two reads around it agree (listing and manifests unchanged), so a change
// landing between two reads is never mistaken for a partial window.
import { isDeepStrictEqual } from 'node:util';
import type { LakeReader } from './lake-reader';
import { partitionOf } from './lake-reader';

export interface Sighting {
  readonly export: string;
  readonly dt: string;
  /** The simulated day the soak was on. */
  readonly day: number;
  /** What a query counted, and what the manifests promise (undefined: no manifest for that partition). */
  readonly rows: number;
  readonly expected: number | undefined;
  readonly firstSeen: string;
  lastSeen: string;
  samples: number;
}

export interface WatchSummary {
  readonly samples: number;
  /** Samples dropped because something changed between the two reads. */
  readonly unsettled: number;
  readonly sightings: readonly Sighting[];
}

export class PartialWindowWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private samples = 0;
  private unsettled = 0;
  private readonly sightings = new Map<string, Sighting>();
  day = 0;

  constructor(
    private readonly reader: LakeReader,
    private readonly exports: readonly string[],
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sampleAll());
    }, this.intervalMs);
  }

  /** One more sample now (the end of a day), then the summary so far. */
  async sampleNow(): Promise<void> {
    this.running = this.running.then(() => this.sampleAll());
    await this.running;
  }

  async stop(): Promise<WatchSummary> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    return { samples: this.samples, unsettled: this.unsettled, sightings: [...this.sightings.values()] };
  }

  private async sampleAll(): Promise<void> {
    for (const name of this.exports) {
      try {
        await this.sample(name);
      } catch {
        // A file vanished between listing and reading: a change in flight, judged by the next sample.
        this.unsettled += 1;
      }
    }
  }

  private async sample(name: string): Promise<void> {
    const before = await this.reader.manifests(name);
    const partitions = await this.reader.partitions(name);
    const after = await this.reader.manifests(name);
    const again = await this.reader.partitions(name);
    if (
      !isDeepStrictEqual(before, after) ||
      !isDeepStrictEqual(
        partitions.map((p) => p.listing),
        again.map((p) => p.listing),
      )
    ) {
      this.unsettled += 1;
      return;
    }
    this.samples += 1;
    const promised = new Map<string, number>();
    for (const manifest of after.values()) {
      if (!manifest) continue;
      const dt = partitionOf(manifest);
      promised.set(dt, (promised.get(dt) ?? 0) + manifest.records.curated);
    }
    const now = new Date().toISOString();
    for (const p of partitions) {
      const expected = promised.get(p.dt);
      if (p.rows === 0 || p.rows === expected) continue;
      const key = `${name}|${p.dt}|${this.day}|${p.rows}|${expected ?? '-'}`;
      const seen = this.sightings.get(key);
      if (seen) {
        seen.lastSeen = now;
        seen.samples += 1;
      } else {
        this.sightings.set(key, {
          export: name,
          dt: p.dt,
          day: this.day,
          rows: p.rows,
          expected,
          firstSeen: now,
          lastSeen: now,
          samples: 1,
        });
      }
    }
  }
}
