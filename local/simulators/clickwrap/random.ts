// Seeded randomness so a simulator run (and every test) sees the same activity for the same seed.
import { createHash } from 'node:crypto';

export type Random = () => number;

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit number from any parts (to seed per-day generators). */
export function hashSeed(...parts: Array<string | number>): number {
  return createHash('sha256').update(parts.join(':')).digest().readUInt32BE(0);
}

/** A stable lower-case hex string (Mongo-style 24-hex ids by default). */
export function hexId(length: number, ...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join(':')).digest('hex').slice(0, length);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function weighted<T>(random: Random, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  const lastEntry = table[table.length - 1];
  if (!lastEntry) throw new Error('weighted pick from an empty table');
  return lastEntry[0];
}
