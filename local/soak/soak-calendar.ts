// Which fault happens on which simulated day of a soak. The month of the brief (30 days: kills on
// several days, poison 7→12, outage 15, quota 20, backfill 25) scales down to a few days for the
// short version inside `npm test`; every fault keeps its meaning, only its day moves.
import { seededRandom } from '../simulators/clickwrap/random';
import type { KillPointName } from './kill-points';

export const SOAK_EXPORTS = { marketo: 'marketo-activities', clickwrap: 'clickwrap-activity' } as const;
export type SoakExport = (typeof SOAK_EXPORTS)[keyof typeof SOAK_EXPORTS];

export interface SoakKill {
  readonly day: number;
  readonly export: SoakExport;
  readonly at: KillPointName;
}

export interface SoakCalendar {
  readonly days: number;
  readonly kills: readonly SoakKill[];
  /** The Clickwrap window of day `from` carries a value no type accepts, from that day's run until `until`'s. */
  readonly poison?: { readonly from: number; readonly until: number };
  /** Marketo answers 503 to every call during that day's run. */
  readonly outageDay?: number;
  /** Marketo's export quota is spent (1029) when that day's run enqueues: the run parks (exit 75). */
  readonly quotaDay?: number;
  /** A manual backfill of Marketo windows already landed overlaps that day's scheduled run. */
  readonly backfillDay?: number;
}

const RANDOM_POINTS: readonly KillPointName[] = ['plan', 'job', 'transfer', 'verify', 'convert', 'publish'];

export function soakCalendar(days: number, seed: number): SoakCalendar {
  if (!Number.isInteger(days) || days < 6) throw new RangeError(`a soak needs at least 6 days, got ${days}`);
  if (days < 26) {
    // The short month: one kill (during conversion), one poison, one outage; quota and backfill when they fit.
    return {
      days,
      kills: [{ day: 2, export: SOAK_EXPORTS.marketo, at: 'convert' }],
      poison: { from: 3, until: 5 },
      outageDay: 4,
      ...(days >= 7 ? { quotaDay: 6 } : {}),
      ...(days >= 9 ? { backfillDay: 8 } : {}),
    };
  }
  // A kill's next day must be clean too (it proves the convergence), and neither may carry another fault.
  const taken = new Set([7, 8, 9, 10, 11, 12, 13, 15, 16, 20, 21, 25, 26]);
  // The same seed gives the same month (0 is taken as 1, as the command's default seed).
  const random = seededRandom(seed >>> 0 || 1);
  const kills: SoakKill[] = [];
  // Conversion and publish always; then random steps on random days, either export.
  const points: KillPointName[] = [
    'convert',
    'publish',
    ...Array.from({ length: 3 }, () => pick(RANDOM_POINTS, random)),
  ];
  for (const at of points) {
    const free = Array.from({ length: days - 2 }, (_, i) => i + 2).filter((d) => !taken.has(d) && !taken.has(d + 1));
    const day = free[Math.floor(random() * free.length)];
    if (day === undefined) break;
    taken.add(day);
    taken.add(day + 1);
    // Marketo's windows convert in several splits: a kill there lands among them, or before the first copy.
    const onMarketo = at === 'convert' || at === 'publish' || random() < 0.5;
    kills.push({ day, export: onMarketo ? SOAK_EXPORTS.marketo : SOAK_EXPORTS.clickwrap, at });
  }
  kills.sort((a, b) => a.day - b.day);
  return { days, kills, poison: { from: 7, until: 12 }, outageDay: 15, quotaDay: 20, backfillDay: 25 };
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}
