// The definition of one export, as the user writes it in config. It never travels in state: it is
// baked into every function's bundle (export-catalog.ts), and a run's input and every step's payload
// only name the export. Lives on the runtime side so the catalog can parse it; lib/config.ts builds on it.
import { z } from 'zod';
import { GRAIN_EXAMPLES, isOnGrainBoundary } from './grain';
import { PROVIDER_NAMES } from './provider-names';

export const EXPORT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * `incremental`: each run exports the windows from the watermark to now − lag (the dataset's date
 * filter is the window). `snapshot`: the request has no date filter, so each run lands the whole set as
 * the snapshot of the grain period it runs in, and there is no watermark.
 */
export const EXPORT_MODES = ['incremental', 'snapshot'] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

/** What a value that cannot be typed to its curated column does to its window. */
export const BAD_VALUE_MODES = ['fail', 'null'] as const;
export type BadValueMode = (typeof BAD_VALUE_MODES)[number];

export const WindowGrainSchema = z.enum(['hour', 'day', 'week', 'month']);
export type WindowGrain = z.infer<typeof WindowGrainSchema>;

export const ExportDefinitionSchema = z
  .object({
    /** Unique, lower-case: it names S3 prefixes, Glue tables and events. */
    name: z
      .string()
      .regex(EXPORT_NAME_PATTERN, 'lower-case letters, digits and dashes, starting with a letter (2-63 chars)'),
    provider: z.enum(PROVIDER_NAMES),
    /** What is exported: one of the provider's datasets (its descriptor lists them; checked with the request). */
    dataset: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes')
      .default('activities'),
    /** Secrets Manager secret holding the connection JSON (never the secret itself). */
    secretName: z
      .string()
      .regex(
        /^[A-Za-z0-9/_+=.@-]{1,512}$/,
        'a Secrets Manager name: 1-512 of the letters A-Z a-z, digits and / _ + = . @ -',
      ),
    /** Whether runs export date windows or whole snapshots; must match what the request's filter allows. */
    mode: z.enum(EXPORT_MODES).default('incremental'),
    /** Provider-specific filters, fields and format, besides the window (validated per provider). */
    request: z.record(z.string(), z.unknown()).default({}),
    window: z
      .object({
        /** Partition grain: windows never cross a grain boundary, so one window lands in one `dt=` partition. */
        grain: WindowGrainSchema.default('day'),
        /** Scheduled runs export up to now − lag, leaving late-arriving activity time to settle. */
        lagMinutes: z.number().int().min(0).max(10_080).default(60),
        /** Where the first scheduled run starts when no watermark exists yet (ISO-8601). */
        firstStart: z.iso.datetime({ offset: true }).or(z.iso.date()),
        /**
         * The earliest instant a backfill may start (default: firstStart). The tables' partition
         * projection starts here, so a window before it would be invisible to Athena: Plan refuses it.
         */
        backfillFrom: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
      })
      .strict()
      // Windows start on grain boundaries; a first start between them would give the first window a
      // key that later re-runs (aligned) never replace: the same rows twice.
      .refine((w) => isOnGrainBoundary(w.firstStart, w.grain), {
        path: ['firstStart'],
        error: (issue) =>
          `must be on a ${(issue.input as { grain: string }).grain} boundary (${GRAIN_EXAMPLES[(issue.input as { grain: keyof typeof GRAIN_EXAMPLES }).grain]})`,
      })
      .refine((w) => w.backfillFrom === undefined || isOnGrainBoundary(w.backfillFrom, w.grain), {
        path: ['backfillFrom'],
        error: (issue) =>
          `must be on a ${(issue.input as { grain: string }).grain} boundary (${GRAIN_EXAMPLES[(issue.input as { grain: keyof typeof GRAIN_EXAMPLES }).grain]})`,
      })
      .refine((w) => w.backfillFrom === undefined || Date.parse(w.backfillFrom) <= Date.parse(w.firstStart), {
        path: ['backfillFrom'],
        error: 'must not be after firstStart',
      }),
    /**
     * The instance's reference tables (Marketo: `marketo_programs`, …) switched on (true) or off (false)
     * over the provider's defaults; every export of one instance (secretName) must say the same.
     */
    referenceTables: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.boolean()).optional(),
    /** A remote job still unfinished after this long is cancelled and the run fails. */
    // At most two days: polls back off to 5 minutes, and a longer wait would crowd the execution's
    // 25,000-event history (which fails a run without running its Cleanup).
    jobTimeoutMinutes: z
      .number()
      .int()
      .min(5)
      .max(2 * 24 * 60)
      .default(12 * 60),
    /**
     * Below this rate (bytes per second the source sends, over a minute) a file read is abandoned and
     * resumed, and after three such minutes in a row it fails (TransferTooSlowError). Default: 8 KiB/s.
     */
    minTransferBytesPerSecond: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .optional(),
    /**
     * A value that cannot take its column's type: `fail` fails the window (UntypeableValueError naming
     * the record and column); `null` lands it as NULL and records it in the `<export>_rejects` table.
     */
    badValues: z.enum(BAD_VALUE_MODES).default('fail'),
    /**
     * Runs a window may fail with a data error (an untypeable value, a malformed file, a count that does
     * not add up: WINDOW_FAILURE_KIND in error-policy.ts) before it is quarantined and later windows
     * land past it. Outages and quotas do not count. Default: DEFAULT_MAX_WINDOW_ATTEMPTS.
     */
    maxWindowAttempts: z.number().int().min(1).max(100).optional(),
    schedule: z
      .object({
        /** EventBridge Scheduler expression: `cron(…)` or `rate(…)`. */
        expression: z.string().regex(/^(cron|rate)\(.+\)$/, 'must be cron(...) or rate(...)'),
        timezone: z.string().default('UTC'),
        enabled: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ExportDefinition = z.infer<typeof ExportDefinitionSchema>;
export type ExportDefinitionInput = z.input<typeof ExportDefinitionSchema>;

/** Where the earliest window of an export may start: the tables project partitions from here on. */
export function earliestWindowStart(def: Pick<ExportDefinition, 'window'>): string {
  return def.window.backfillFrom ?? def.window.firstStart;
}

export const DEFAULT_MAX_WINDOW_ATTEMPTS = 3;

/** How many data failures quarantine a window of this export. */
export function maxWindowAttempts(def: Pick<ExportDefinition, 'maxWindowAttempts'>): number {
  return def.maxWindowAttempts ?? DEFAULT_MAX_WINDOW_ATTEMPTS;
}
