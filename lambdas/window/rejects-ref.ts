// The rejects object of one split (the values a `badValues: "null"` export wrote as NULL), as the split's
// result names it in state and the window's manifest lists it: one shape for both.
import { z } from 'zod';

export const RejectsObjectSchema = z.object({
  key: z.string(),
  uri: z.string(),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  /** Values replaced by NULL in the split: one row of the rejects table each. */
  rows: z.number().int().min(1),
});
export type RejectsObject = z.infer<typeof RejectsObjectSchema>;
