// The org's JSON answers the adapter reads, parsed with zod (unknown keys kept, never trusted).
import { z } from 'zod';

export const TokenSchema = z.looseObject({
  access_token: z.string().min(1),
  instance_url: z.string().optional(),
  signature: z.string().optional(),
  token_type: z.string().optional(),
});

/** Job info (`GET /jobs/query/{id}`, and the answer to create and abort). */
export const JobInfoSchema = z.looseObject({
  id: z.string().regex(/^[0-9A-Za-z]{15,18}$/, 'is not a Salesforce id'),
  state: z.string(),
  object: z.string().optional(),
  operation: z.string().optional(),
  createdDate: z.string().optional(),
  systemModstamp: z.string().optional(),
  // A JSON number written 58.0: zod reads 58, written back with one decimal.
  apiVersion: z.number(),
  numberRecordsProcessed: z.number().int().nonnegative().optional(),
  retries: z.number().optional(),
  totalProcessingTime: z.number().optional(),
  errorMessage: z.string().nullish(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

const LimitSchema = z.looseObject({ Max: z.number(), Remaining: z.number() });
export const LimitsSchema = z.looseObject({
  DailyApiRequests: LimitSchema.optional(),
  DailyBulkV2QueryJobs: LimitSchema.optional(),
  DailyBulkV2QueryFileStorageMB: LimitSchema.optional(),
});
export type OrgLimits = z.infer<typeof LimitsSchema>;

export const DescribeSchema = z.looseObject({
  name: z.string(),
  fields: z.array(
    z.looseObject({
      name: z.string(),
      type: z.string(),
      nillable: z.boolean().optional(),
      label: z.string().optional(),
    }),
  ),
});
