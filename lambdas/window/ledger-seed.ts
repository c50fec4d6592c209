// The ledger of an export that has none yet: every deployment before the ledger has only its manifests
// and a watermark. Seeded on the first read, so that the first run under the ledger exports nothing it
// had already landed: each manifest is a landed window, and whatever below the old watermark no
// manifest covers is taken as landed too (the old runs only moved the watermark over landed windows).
import type { ObjectStore } from '#transfer/object-store';
import { manifestsPrefix } from './bucket-layout';
import { windowOfStem } from './keys';
import { emptyLedger, type Ledger, type LedgerEntry } from './ledger';
import { readLedger, updateLedger } from './ledger-store';
import { readManifest } from './manifest';

/** The watermark as the old runs left it (`state/<export>/watermark.json`). */
export interface LegacyWatermark {
  readonly watermark: string;
  readonly source?: string | undefined;
}

const byStart = (a: LedgerEntry, b: LedgerEntry) => Date.parse(a.start) - Date.parse(b.start);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The export's ledger, seeded from its manifests and old watermark when none is stored yet. */
export async function readOrSeedLedger(
  store: ObjectStore,
  exportName: string,
  legacy: () => Promise<LegacyWatermark | undefined>,
  meta: { at: string; firstStart: string },
): Promise<Ledger> {
  const stored = await readLedger(store, exportName);
  if (stored.exists) return stored.ledger;
  const seeded = await seededLedger(store, exportName, await legacy(), meta);
  if (seeded.windows.length === 0) return seeded;
  // Another run seeding at the same moment seeds the same: whichever writes first wins.
  return updateLedger(store, exportName, (current) => (current.windows.length > 0 ? current : seeded));
}

async function seededLedger(
  store: ObjectStore,
  exportName: string,
  legacy: LegacyWatermark | undefined,
  meta: { at: string; firstStart: string },
): Promise<Ledger> {
  const landed: LedgerEntry[] = [];
  for (const key of await store.listKeys(manifestsPrefix(exportName))) {
    const window = windowOfStem(key.slice(manifestsPrefix(exportName).length).replace(/\.json$/, ''));
    const manifest = window ? await readManifest(store, key) : undefined;
    if (!window || !manifest) continue;
    const previous = landed.at(-1);
    // Manifests of two grains never both stay (a landing window supersedes the other): keep the first.
    if (previous && Date.parse(window.start) < Date.parse(previous.end)) continue;
    landed.push({
      ...window,
      state: 'landed',
      attempts: 0,
      updatedAt: meta.at,
      landedAt: manifest.timings.finishedAt,
      manifestKey: key,
      records: manifest.records.counted,
      ...(manifest.source ? { source: manifest.source } : {}),
    });
  }
  landed.sort(byStart);
  const gaps: LedgerEntry[] = [];
  if (legacy) {
    const to = Date.parse(legacy.watermark);
    let cursor = Date.parse(meta.firstStart);
    const gap = (end: number) => {
      if (end > cursor) {
        gaps.push({
          start: iso(cursor),
          end: iso(end),
          state: 'landed',
          attempts: 0,
          updatedAt: meta.at,
          ...(legacy.source ? { source: legacy.source } : {}),
        });
      }
    };
    for (const entry of landed) {
      if (cursor >= to) break;
      gap(Math.min(Date.parse(entry.start), to));
      cursor = Math.max(cursor, Date.parse(entry.end));
    }
    if (cursor < to) gap(to);
  }
  return { ...emptyLedger(exportName), windows: [...landed, ...gaps].sort(byStart) };
}
