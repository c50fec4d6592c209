// Validation of a bulk program member export request. PURE (zod only). `filter.programIds` (1 to 10
// programs) is required; `isExhausted`, `nurtureCadence` and `statusNames` narrow it. Without
// `windowFilter` the export is a snapshot of the programs' members; with `windowFilter: "updatedAt"` it
// is incremental and its window becomes `filter.updatedAt`.
import { z } from 'zod';
import type { ExportWindow } from '#providers/types';
import {
  EntityOptionsShape,
  checkEntityOptions,
  parseEntityRequest,
  requireLatestFields,
  withWindow,
} from './entity-request';
import { DateRangeSchema } from './request';

export const MAX_PROGRAM_IDS = 10;
export const PROGRAM_MEMBERS_LATEST = { key: ['leadId', 'programId'], orderBy: 'updatedAt' } as const;

const ProgramMembersRequestSchema = z
  .object(
    {
      ...EntityOptionsShape,
      windowFilter: z
        .literal('updatedAt', { error: 'must be "updatedAt" (program members have no other date filter)' })
        .optional(),
      filter: z
        .object(
          {
            programIds: z
              .array(
                z
                  .number({ error: 'must be a positive integer' })
                  .int('must be a positive integer')
                  .positive('must be a positive integer'),
                {
                  error: 'is required: an array of 1 to 10 program ids',
                },
              )
              .min(1, 'must not be empty')
              .max(MAX_PROGRAM_IDS, `at most ${MAX_PROGRAM_IDS} programs per export`),
            isExhausted: z.boolean({ error: 'must be true or false' }).optional(),
            nurtureCadence: z.enum(['paused', 'norm'], { error: 'must be "paused" or "norm"' }).optional(),
            statusNames: z
              .array(z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'), {
                error: 'must be an array of status names',
              })
              .min(1, 'must not be empty')
              .optional(),
            updatedAt: DateRangeSchema.optional(),
          },
          { error: 'is required: an object with programIds' },
        )
        .strict(),
    },
    { error: 'must be an object' },
  )
  .strict()
  .superRefine((request, ctx) => {
    checkEntityOptions(request, ctx);
    const ids = request.filter.programIds;
    const duplicate = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (duplicate >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['filter', 'programIds', duplicate],
        message: `duplicate program id ${ids[duplicate]}`,
      });
    if (request.filter.updatedAt !== undefined && !request.windowFilter) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter', 'updatedAt'],
        message: 'is set by the export window: set windowFilter "updatedAt" for an incremental export instead',
      });
    }
    requireLatestFields(request, PROGRAM_MEMBERS_LATEST.key, PROGRAM_MEMBERS_LATEST.orderBy, ctx);
  });

export type ProgramMembersRequest = z.output<typeof ProgramMembersRequestSchema>;

export function validateProgramMembersRequest(request: unknown, window?: ExportWindow): ProgramMembersRequest {
  return withWindow(parseEntityRequest(ProgramMembersRequestSchema, request), window);
}
