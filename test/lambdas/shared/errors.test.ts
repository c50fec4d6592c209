import { describe, expect, it } from 'vitest';
import * as errors from '../../../lambdas/shared/errors';
import { isDataError, WINDOW_FAILURE_KIND } from '../../../lambdas/shared/error-policy';

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
      new errors.FilterNotSupportedError('no smart lists here', '1035'),
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
      new errors.UnknownExportError('no such export'),
      new errors.UntypeableValueError('not a number'),
      new errors.TooManyRejectsError('10,001 bad values'),
      new errors.MalformedCsvError('unbalanced quote'),
      new errors.PartWorkerError('worker exited'),
      new errors.TlsVerificationError('certificate expired'),
      new errors.WindowsFailedError('2 of 3 windows failed'),
      new errors.TransferTooSlowError('source too slow'),
      new errors.SourcePositionExpiredError('paging token expired'),
      new errors.ExportBusyError('x', 'run-1', 'busy'),
    ];
    for (const e of instances) expect(e.name).toBe(e.constructor.name);
    // One instance per policy entry: the table names no class that does not exist.
    expect(instances.map((e) => e.name).sort()).toEqual(Object.keys(errors.ERROR_POLICY).sort());
  });

  it('a class whose name has no policy entry does not compile (tsc checks this file)', () => {
    class UnlistedError extends errors.PipelineError {
      // @ts-expect-error 'UnlistedError' is not a key of ERROR_POLICY
      override readonly name = 'UnlistedError';
    }
    expect(new UnlistedError('x').policy).toBeUndefined();
  });

  it('the policy table names exactly the exported error classes', () => {
    const classes = Object.entries(errors)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof errors.PipelineError)
      .map(([name]) => name);
    expect(classes.sort()).toEqual(Object.keys(errors.ERROR_POLICY).sort());
  });

  it('the retry groups are derived from the policy table, in table order', () => {
    expect(errors.RETRY_GROUPS).toEqual({
      transient: ['TransientApiError', 'FileNotReadyError', 'PartWorkerError'],
      'rate-limited': ['RateLimitedError'],
    });
    const retried = Object.values(errors.RETRY_GROUPS).flat();
    for (const [name, policy] of Object.entries(errors.ERROR_POLICY)) {
      expect(retried.includes(name as errors.PipelineErrorName), name).toBe(
        policy !== 'handled' && policy !== 'fatal' && policy !== 'deferred',
      );
    }
    expect(errors.DEFERRED_ERRORS).toEqual(['QuotaExceededError']);
  });

  it('classifies every error once for a window: the data errors count towards quarantine, nothing else', () => {
    expect(Object.keys(WINDOW_FAILURE_KIND).sort()).toEqual(Object.keys(errors.ERROR_POLICY).sort());
    const data = Object.entries(WINDOW_FAILURE_KIND).filter(([, kind]) => kind === 'data');
    expect(data.map(([name]) => name).sort()).toEqual([
      'ChecksumMismatchError',
      'MalformedCsvError',
      'RecordCountMismatchError',
      'SizeMismatchError',
      'TooManyRejectsError',
      'UntypeableValueError',
    ]);
    expect(isDataError('UntypeableValueError')).toBe(true);
    // Step Functions' own errors and anything unknown: a later run may pass.
    expect(isDataError('States.Timeout')).toBe(false);
    expect(isDataError('constructor')).toBe(false);
  });

  it("a deferral's message carries its instant at the word the state machine reads", () => {
    const error = new errors.QuotaExceededError(
      'Marketo error 607: Max rate limit exceeded',
      '2026-01-01T06:00:00Z',
      '607',
    );
    expect(error.message.split(' ')[errors.DEFERRAL_INSTANT_WORD]).toBe('2026-01-01T06:00:00Z');
    expect(error.message).toContain('Marketo error 607: Max rate limit exceeded');
    expect(error.reason).toBe('Marketo error 607: Max rate limit exceeded');
  });

  it('retryability reads the policy: only fatal errors are not retryable', () => {
    expect(new errors.TransientApiError('x')).toMatchObject({ policy: 'transient', retryable: true });
    expect(new errors.QueueFullError('x', 60)).toMatchObject({ policy: 'handled', retryable: true });
    expect(new errors.QuotaExceededError('x', '2026-01-01T06:00:00.000Z')).toMatchObject({
      policy: 'deferred',
      retryable: true,
    });
    expect(new errors.ProviderApiError('x', '1003')).toMatchObject({ policy: 'fatal', retryable: false });
    expect(new errors.ValidationError('f', 'x').retryable).toBe(false);
  });

  it('every constructor forwards its cause', () => {
    const cause = new Error('underlying');
    const wrapped = [
      new errors.ValidationError('f', 'x', { cause }),
      new errors.TransientApiError('x', 'c', { cause }),
      new errors.RateLimitedError('x', 20, 'c', { cause }),
      new errors.QueueFullError('x', 60, { cause }),
      new errors.QuotaExceededError('x', '2026-01-01T06:00:00.000Z', 'c', { cause }),
      new errors.ProviderApiError('x', 'c', { cause }),
      new errors.AuthenticationError('x', { cause }),
      new errors.PreconditionFailedError('x', { cause }),
      new errors.TransferTooSlowError('x', { cause }),
    ];
    for (const e of wrapped) expect(e.cause, e.name).toBe(cause);
  });

  it('a validation error names its field first', () => {
    expect(new errors.ValidationError('fields[2]', 'unknown field "foo"').message).toBe(
      'fields[2]: unknown field "foo"',
    );
  });
});
