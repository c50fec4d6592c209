// start / status / history --state-machine-arn need no AWS_REGION: the ARN names the region.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { regionOfArn, sfnClientFor } from '../../../local/cli/sfn-client';

afterEach(() => vi.unstubAllEnvs());

describe('Step Functions client for an ARN', () => {
  it('takes the region from a state machine or execution ARN', async () => {
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    expect(regionOfArn('arn:aws:states:eu-west-1:123456789012:stateMachine:Exports')).toBe('eu-west-1');
    expect(regionOfArn('arn:aws-cn:states:cn-north-1:123456789012:execution:Exports:run-1')).toBe('cn-north-1');
    await expect(
      sfnClientFor('arn:aws:states:eu-west-1:123456789012:execution:Exports:run-1').config.region(),
    ).resolves.toBe('eu-west-1');
  });

  it('the ARN wins over AWS_REGION (the machine lives in one region only); a text that is no ARN leaves the default chain', () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    expect(regionOfArn('not-an-arn')).toBeUndefined();
    expect(regionOfArn('arn:aws:lambda:eu-west-1:123456789012:function:f')).toBeUndefined();
    return expect(
      sfnClientFor('arn:aws:states:ap-south-1:123456789012:stateMachine:Exports').config.region(),
    ).resolves.toBe('ap-south-1');
  });
});
