// Window planning: which half-open [start, end) ranges one run exports. Windows never cross a grain
// boundary (so one window lands in exactly one `dt=` partition and its key is deterministic: a re-run
// replaces, never duplicates) nor the provider's maximum span.
import { DateTime } from 'luxon';
import type { WindowGrain } from '#shared/export-definition';
import { ValidationError } from '#shared/errors';
import type { ExportWindow } from '#providers/types';
import { GRAIN_EXAMPLES, isOnGrainBoundary, startOfGrain } from '#shared/grain';
import { parseInstant, toIsoSeconds } from '#shared/time';

/** More windows than this in one execution would bloat the execution history; schedules catch up over runs. */
export const MAX_WINDOWS_PER_RUN = 62;

export interface PlanRequest {
  readonly grain: WindowGrain;
  readonly maxSpanDays: number;
  /** An explicit range (manual run / backfill). */
  readonly explicit?: { readonly from: string; readonly to: string };
  /** Scheduled runs: export from here (the watermark, or the export's first start)… */
  readonly resumeFrom?: string;
  /** …up to now − lag, cut down to a grain boundary so only complete grains are exported. */
  readonly now: Date;
  readonly lagMinutes: number;
}

export interface WindowPlan {
  readonly windows: ExportWindow[];
  /** The end of the last window, or undefined when there is nothing to do. */
  readonly end?: string;
  /** True when the range was cut at MAX_WINDOWS_PER_RUN and the next run continues. */
  readonly truncated: boolean;
}

function nextGrainBoundary(dt: DateTime, grain: WindowGrain): DateTime {
  return startOfGrain(dt, grain).plus({ [`${grain}s`]: 1 });
}

export function planWindows(req: PlanRequest): WindowPlan {
  let from: DateTime;
  let to: DateTime;
  if (req.explicit) {
    from = DateTime.fromJSDate(parseInstant(req.explicit.from, 'from'), { zone: 'utc' });
    to = DateTime.fromJSDate(parseInstant(req.explicit.to, 'to'), { zone: 'utc' });
    if (to <= from) throw new ValidationError('to', `must be after from (${req.explicit.from})`);
    // Keys are per window: a range off the grain would land rows under keys that scheduled runs
    // (always aligned) never replace.
    for (const [field, value] of [
      ['from', req.explicit.from],
      ['to', req.explicit.to],
    ] as const) {
      if (!isOnGrainBoundary(value, req.grain))
        throw new ValidationError(field, `${value} is not on a ${req.grain} boundary (${GRAIN_EXAMPLES[req.grain]})`);
    }
    if (to.toJSDate() > req.now) throw new ValidationError('to', `${req.explicit.to} is in the future`);
  } else {
    if (!req.resumeFrom) throw new ValidationError('window.firstStart', 'is required for scheduled runs');
    from = DateTime.fromJSDate(parseInstant(req.resumeFrom, 'window.firstStart'), { zone: 'utc' });
    const latest = DateTime.fromJSDate(req.now, { zone: 'utc' }).minus({ minutes: req.lagMinutes });
    to = startOfGrain(latest, req.grain);
  }

  const windows: ExportWindow[] = [];
  let cursor = from;
  while (cursor < to && windows.length < MAX_WINDOWS_PER_RUN) {
    const byGrain = nextGrainBoundary(cursor, req.grain);
    const bySpan = cursor.plus({ days: req.maxSpanDays });
    const end = DateTime.min(byGrain, bySpan, to);
    windows.push({ start: toIsoSeconds(cursor.toJSDate()), end: toIsoSeconds(end.toJSDate()) });
    cursor = end;
  }
  const truncated = cursor < to;
  if (truncated && req.explicit) {
    throw new ValidationError(
      'to',
      `the range covers more than ${MAX_WINDOWS_PER_RUN} ${req.grain} windows; split the backfill into smaller ranges`,
    );
  }
  const last = windows.at(-1);
  return { windows, truncated, ...(last ? { end: last.end } : {}) };
}

/**
 * The one window of a snapshot run: the grain period it runs in. Its key is the same for every run in
 * that period, so a second snapshot the same day replaces the first instead of adding to it.
 */
export function snapshotWindow(now: Date, grain: WindowGrain): ExportWindow {
  const at = DateTime.fromJSDate(now, { zone: 'utc' });
  return {
    start: toIsoSeconds(startOfGrain(at, grain).toJSDate()),
    end: toIsoSeconds(nextGrainBoundary(at, grain).toJSDate()),
  };
}
