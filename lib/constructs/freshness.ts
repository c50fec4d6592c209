// How long a scheduled export may go without landing before someone should look: the longest gap its
// schedule leaves between runs, plus the time the watermark legitimately trails "now" (the lag and
// one partition grain), plus a slack for a run that is slow or retried. Pure arithmetic on the config.
import type { ExportDefinition } from '#shared/export-definition';

const HOUR = 3600;
const GRAIN_SECONDS = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR, month: 31 * 24 * HOUR } as const;
const RATE_UNITS: Record<string, number> = {
  minute: 60,
  minutes: 60,
  hour: HOUR,
  hours: HOUR,
  day: 24 * HOUR,
  days: 24 * HOUR,
};

/**
 * The longest gap between two runs of a schedule expression, in seconds, erring long (an alarm that
 * fires between two on-time runs would teach people to ignore it). A cron that names months or days
 * of the month (monthly and rarer) reads as 31 days.
 */
export function longestScheduleGapSeconds(expression: string): number {
  const rate = /^rate\(\s*(\d+)\s+(\w+)\s*\)$/.exec(expression);
  if (rate?.[1] && rate[2]) return Number(rate[1]) * (RATE_UNITS[rate[2]] ?? 24 * HOUR);
  const cron = /^cron\((.+)\)$/.exec(expression)?.[1]?.trim().split(/\s+/);
  if (!cron || cron.length !== 6) return 31 * 24 * HOUR;
  const [minutes = '*', hours = '*', dayOfMonth = '*', month = '*', dayOfWeek = '*'] = cron;
  const any = (field: string) => field === '*' || field === '?';
  if (!any(month) || !any(dayOfMonth)) return 31 * 24 * HOUR;
  if (!any(dayOfWeek)) return 7 * 24 * HOUR;
  if (/^\d+$/.test(hours)) return 24 * HOUR;
  if (any(hours)) {
    const step = /^(?:\*|\d+)\/(\d+)$/.exec(minutes)?.[1];
    return step ? Number(step) * 60 : HOUR;
  }
  // A list or step of hours: at most a day apart.
  return 24 * HOUR;
}

export interface FreshnessBudget {
  /** Hours in a row without a successful commit (missing data) before the alarm fires. */
  readonly silentHours: number;
  /** A watermark older than this (seconds) breaches: the export runs but falls behind. */
  readonly maxWatermarkAgeSeconds: number;
}

/** CloudWatch evaluates at most 7 days of hourly periods: a schedule sparser than that gets no freshness alarm. */
export const MAX_SILENT_HOURS = 7 * 24;

/** The export's freshness budget, or undefined when it is not scheduled (or too sparsely to alarm on). */
export function freshnessBudget(
  def: Pick<ExportDefinition, 'schedule' | 'window'>,
  slackSeconds = 2 * HOUR,
): FreshnessBudget | undefined {
  if (!def.schedule?.enabled) return undefined;
  const gap = longestScheduleGapSeconds(def.schedule.expression);
  const silentHours = Math.ceil((gap + slackSeconds) / HOUR);
  if (silentHours > MAX_SILENT_HOURS) return undefined;
  return {
    silentHours,
    maxWatermarkAgeSeconds: gap + def.window.lagMinutes * 60 + GRAIN_SECONDS[def.window.grain] + slackSeconds,
  };
}
