// The input an execution was started with, from Step Functions itself, for the rare status-change event
// that arrives without it.
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';

let client: SFNClient | undefined;

export async function describeExecutionInput(executionArn: string): Promise<string | undefined> {
  client ??= new SFNClient({});
  const described = await client.send(new DescribeExecutionCommand({ executionArn }));
  return described.input ?? undefined;
}
