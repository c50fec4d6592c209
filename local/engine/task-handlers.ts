// Every Lambda Task of the state machine bound to the very handler module the Lambda runs, so a local
// run exercises the deployed code path, not a stand-in.
import type { WorkflowTaskName } from '../../lib/constructs/workflow-tasks';
import * as beginFile from '#handlers/begin-file';
import * as checkJob from '#handlers/check-job';
import * as cleanup from '#handlers/cleanup';
import * as cleanupWindow from '#handlers/cleanup-window';
import * as commitWatermark from '#handlers/commit-watermark';
import * as convertSplit from '#handlers/convert-split';
import * as finishFile from '#handlers/finish-file';
import * as plan from '#handlers/plan';
import * as reclaimDeadRuns from '#handlers/reclaim-dead-runs';
import * as refreshReferences from '#handlers/refresh-references';
import * as releaseJob from '#handlers/release-job';
import * as startJob from '#handlers/start-job';
import * as transferChunk from '#handlers/transfer-chunk';
import * as writeManifest from '#handlers/write-manifest';

export type Handler = (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

export const HANDLERS: Record<WorkflowTaskName, Handler> = {
  Plan: plan.handler,
  ReclaimDeadRuns: reclaimDeadRuns.handler,
  RefreshReferences: refreshReferences.handler,
  StartJob: startJob.handler,
  CheckJob: checkJob.handler,
  BeginFile: beginFile.handler,
  TransferChunk: transferChunk.handler,
  FinishFile: finishFile.handler,
  ConvertSplit: convertSplit.handler,
  WriteManifest: writeManifest.handler,
  ReleaseJob: releaseJob.handler,
  CleanupWindow: cleanupWindow.handler,
  CommitWatermark: commitWatermark.handler,
  Cleanup: cleanup.handler,
};
