import { describe, expect, it } from 'vitest';
import * as errors from '../../../lambdas/shared/errors';

describe('named errors', () => {
  it('every error class reports its own class name, which the state machine matches', () => {
    const instances = [
      new errors.ValidationError('filter.createdAt', 'is required'),
      new errors.TransientApiError('timeout', '604'),
      new errors.RateLimitedError('slow down', 20, '606'),
      new errors.QueueFullError('queue full', 300),
      new errors.QuotaExceededError('quota', '2026-01-01T06:00:00.000Z', '1029'),
      new errors.AuthenticationError('bad secret'),
      new errors.ProviderApiError('bad field', '1003'),
      new errors.FileNotReadyError('not yet'),
      new errors.LinkExpiredError('expired'),
      new errors.ForbiddenLinkError('http'),
      new errors.RangeMismatchError('range'),
      new errors.JobFailedError('failed'),
      new errors.JobCancelledError('cancelled'),
      new errors.JobDeadlineExceededError('late'),
      new errors.ChecksumMismatchError('sha'),
      new errors.SizeMismatchError('size'),
      new errors.RecordCountMismatchError('records'),
      new errors.PreconditionFailedError('etag changed'),
      new errors.TransferStalledError('no progress'),
    ];
    for (const e of instances) expect(e.name).toBe(e.constructor.name);
    const listed = new Set<string>([...errors.TRANSIENT_ERROR_NAMES, ...errors.FATAL_ERROR_NAMES]);
    for (const e of instances.filter((x) => !['QueueFullError', 'QuotaExceededError', 'LinkExpiredError'].includes(x.name))) {
      expect(listed.has(e.name), e.name).toBe(true);
    }
  });

  it('the state machine retries only real error names, and every transient name is retried', () => {
    const retried = Object.values(errors.RETRY_GROUPS).flat();
    const classes = new Set(Object.values(errors).filter((v): v is typeof errors.PipelineError => typeof v === 'function').map((c) => c.name));
    for (const name of retried) expect(classes.has(name), name).toBe(true);
    for (const name of errors.TRANSIENT_ERROR_NAMES) expect(retried).toContain(name);
  });

  it('a validation error names its field first', () => {
    expect(new errors.ValidationError('fields[2]', 'unknown field "foo"').message).toBe('fields[2]: unknown field "foo"');
  });
});
