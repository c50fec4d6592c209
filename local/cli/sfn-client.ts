// The Step Functions client for a deployed stack's ARN: the region is the ARN's (a state machine or
// execution lives in exactly one), so AWS_REGION is not needed and cannot point elsewhere.
import { SFNClient } from '@aws-sdk/client-sfn';

/** The region of a Step Functions ARN (arn:<partition>:states:<region>:<account>:…), if it names one. */
export function regionOfArn(arn: string): string | undefined {
  const [prefix, , service, region] = arn.split(':');
  return prefix === 'arn' && service === 'states' && region ? region : undefined;
}

export function sfnClientFor(arn: string): SFNClient {
  const region = regionOfArn(arn);
  return new SFNClient(region ? { region } : {});
}
