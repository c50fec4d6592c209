// Shapes of what Marketo answers, parsed with zod (an HTTP body is untrusted input).
import { z } from 'zod';

const ErrorItemSchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().optional().default(''),
});

/** `{requestId, success, result:[…]}` or `{requestId, success:false, errors:[{code,message}]}`. */
export const EnvelopeSchema = z
  .object({
    requestId: z.string().optional(),
    success: z.boolean(),
    result: z.array(z.unknown()).optional(),
    errors: z.array(ErrorItemSchema).optional(),
    nextPageToken: z.string().optional(),
    moreResult: z.boolean().optional(),
  })
  .loose();
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** One bulk export job as create/enqueue/status/cancel/list report it. */
export const BulkJobSchema = z
  .object({
    exportId: z.string().min(1),
    status: z.string().min(1),
    format: z.string().optional(),
    createdAt: z.string().optional(),
    queuedAt: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    numberOfRecords: z.number().int().nonnegative().optional(),
    fileSize: z.number().int().nonnegative().optional(),
    fileChecksum: z.string().optional(),
    errorMsg: z.string().optional(),
    // Not in Marketo's documented listing; read when present so a lost create can be matched exactly.
    filter: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type BulkJob = z.infer<typeof BulkJobSchema>;

/** The identity endpoint's answer (not enveloped). */
export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nonnegative(),
  scope: z.string().optional(),
});
