// What the ReleaseJob Task hands its handler: the landed window's export, window and job (beside
// state.ts, which holds the other payloads).
import { z } from 'zod';
import { JobRefSchema, WindowSchema } from '#window/window-ref';
import { ExportNameSchema } from './state';

export const ReleaseJobInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  job: JobRefSchema,
});
export type ReleaseJobInput = z.input<typeof ReleaseJobInputSchema>;

/** What ReleaseJob did: the job deleted, nothing to delete (the provider keeps none), or a delete that failed. */
export interface ReleaseJobResult {
  readonly jobId: string;
  readonly outcome: 'released' | 'not-applicable' | 'failed';
  /** The error's name when the delete failed. */
  readonly error?: string;
}
