// The input an execution was started with, from Step Functions itself, for the rare status-change
// event that arrives without it.
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';

let client: SFNClient | undefined;
const sfn = () => (client ??= new SFNClient({}));

export async function describeExecutionInput(executionArn: string): Promise<string | undefined> {
  const described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
  return described.input ?? undefined;
}
