// How a window and its remote job are named wherever they are written down: in state between steps,
// in job records and in manifests. One schema each, so a record and a payload cannot disagree.
import { z } from 'zod';

export const WindowSchema = z.object({ start: z.string(), end: z.string() }).strict();

export const JobRefSchema = z
  .object({ id: z.string().min(1), enqueued: z.boolean().optional(), createdAt: z.string().optional() })
  .strict();
