// The state machine's Lambda Task states and the handler module each one runs
// (lambdas/handlers/<file>.ts). The local engine binds the same names to the same modules.
import { RETRY_GROUPS } from '../../lambdas/shared/errors';

export const WORKFLOW_TASKS = {
  Plan: 'plan',
  StartJob: 'start-job',
  CheckJob: 'check-job',
  BeginFile: 'begin-file',
  TransferChunk: 'transfer-chunk',
  FinishFile: 'finish-file',
  WriteManifest: 'write-manifest',
  CommitWatermark: 'commit-watermark',
  Cleanup: 'cleanup',
} as const;

export type WorkflowTaskName = keyof typeof WORKFLOW_TASKS;

/** The native EventBridge PutEvents tasks (no Lambda). */
export const EVENT_TASKS = ['PublishSucceeded', 'PublishFailed'] as const;

/** Error names (lambdas/shared/errors.ts) the state machine retries as transient. */
export const TRANSIENT_ERRORS = RETRY_GROUPS.transient;
export const RATE_LIMIT_ERRORS = RETRY_GROUPS['rate-limited'];
export const QUOTA_ERRORS = RETRY_GROUPS.quota;
/** A Lambda that ran out of time: safe to re-run, the cursor only advances after a part is stored. */
export const TIMEOUT_ERRORS = ['Sandbox.Timedout', 'States.Timeout'] as const;

/** Event detail-types on the pipeline's bus. */
export const DETAIL_TYPES = { succeeded: 'Export Succeeded', failed: 'Export Failed' } as const;
