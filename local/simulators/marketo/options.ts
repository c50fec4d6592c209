// The simulator's options, checked with zod and given their defaults in one place.
import { z } from 'zod';
import { DeletedLeadsOptionsSchema } from './deleted-leads';
import { DEFAULT_CHECKPOINT_BYTES } from './file-index';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

export const MarketoSimulatorOptionsSchema = z
  .object({
    now: z.custom<() => Date>((v) => typeof v === 'function', 'must be a function returning a Date').optional(),
    clientId: z.string().min(1).default('sim-client-id'),
    clientSecret: z.string().min(1).default('sim-client-secret'),
    tokenTtlSeconds: positiveInt.default(3600),
    queuedMs: nonNegative.default(100),
    processingMs: nonNegative.default(300),
    maxProcessing: positiveInt.default(2),
    maxQueued: positiveInt.default(10),
    dailyExportQuotaBytes: nonNegative.default(500 * 1024 * 1024),
    rateLimit: z
      .union([z.object({ calls: positiveInt, windowMs: positiveInt }).strict(), z.literal(false)])
      .default({ calls: 100, windowMs: 20_000 }),
    maxConcurrentCalls: z.union([positiveInt, z.literal(false)]).default(10),
    /** Marketo's REST budget is 50,000 calls a day (607 beyond). */
    dailyCallLimit: z.union([positiveInt, z.literal(false)]).default(50_000),
    seed: z.number().int().default(1),
    recordsPerDay: nonNegative.default(500),
    bytesPerJob: nonNegative.optional(),
    /** Distance between the file index's restart points (small values exercise Range seeking). */
    fileCheckpointBytes: positiveInt.default(DEFAULT_CHECKPOINT_BYTES),
    /** Marketo keeps files 7 days; file.json answers 404 afterwards. */
    fileRetentionDays: nonNegative.default(7),
    /** Get Deleted Leads: deletions per hour, paging-token lifetime and slack (deleted-leads.ts). */
    deletedLeads: DeletedLeadsOptionsSchema.optional(),
  })
  .strict();

export type MarketoSimulatorOptions = z.input<typeof MarketoSimulatorOptionsSchema>;
export type ResolvedOptions = z.output<typeof MarketoSimulatorOptionsSchema>;
