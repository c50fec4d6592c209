// `status <execution-arn>`: a DEPLOYED run's status and, while it runs, where each window is.
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { redact } from '#shared/redact';
import { executionHistory, renderWindowProgress, windowProgress } from '../execution-progress';
import { formatBytes } from '../progress';
import { sfnClientFor } from '../sfn-client';

export async function statusCommand(raw: unknown): Promise<number> {
  const { executionArn } = z.object({ executionArn: z.string() }).parse(raw);
  const sfn = sfnClientFor(executionArn);
  const res = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  process.stdout.write(
    `${res.status ?? 'UNKNOWN'}  started ${res.startDate?.toISOString() ?? '-'}  stopped ${res.stopDate?.toISOString() ?? '-'}\n`,
  );
  if (res.output) {
    const detail = JSON.parse(res.output) as { files?: { uri: string; bytes: number }[] };
    for (const f of detail.files ?? []) process.stdout.write(`  ${f.uri}  ${formatBytes(f.bytes)}\n`);
  }
  if (res.error) process.stdout.write(redact(`  ${res.error}: ${res.cause ?? ''}\n`));
  // Where each window is: only a running execution needs it, a finished one said it above.
  if (res.status === 'RUNNING') {
    const windows = windowProgress(await executionHistory(sfn, executionArn));
    if (windows.length > 0) process.stdout.write(`${renderWindowProgress(windows).join('\n')}\n`);
  }
  return res.status === 'FAILED' || res.status === 'TIMED_OUT' || res.status === 'ABORTED' ? 1 : 0;
}
