// Lambda entry point for the TransferChunk Task: streams as much of the file as fits in this
// invocation's time (bounded by the Lambda's own remaining time) and returns the advanced cursor.
import { getRuntime } from '../workflow/runtime';
import { transferFileChunk } from '../workflow/steps/transfer-steps';

interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
}

export const handler = (event: unknown, context?: LambdaContextLike) =>
  transferFileChunk(event, getRuntime(), context?.getRemainingTimeInMillis?.());
