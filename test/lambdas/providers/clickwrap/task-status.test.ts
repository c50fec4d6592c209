import { describe, expect, it } from 'vitest';
import { TaskResponseSchema, viewTask } from '../../../../lambdas/providers/clickwrap/task-status';
import { ProviderApiError } from '../../../../lambdas/shared/errors';

const view = (body: unknown, pollCount = 0) => viewTask(TaskResponseSchema.parse(body), pollCount);

describe('export task status mapping', () => {
  it('non-empty links mean done whatever the status word', () => {
    expect(view({ data: { id: 'a', status: 'weird', links: ['https://x/1.csv', 'https://x/2.csv'] } })).toMatchObject({
      state: 'succeeded',
      links: ['https://x/1.csv', 'https://x/2.csv'],
    });
    expect(view({ id: 'a', links: 'https://x/only.csv' }).links).toEqual(['https://x/only.csv']);
  });

  it('reads links given as objects with url or href, and as a keyed object', () => {
    expect(
      view({ data: { id: 'a', links: [{ url: 'https://x/1' }, { href: 'https://x/2', name: 'b.csv' }] } }).links,
    ).toEqual(['https://x/1', 'https://x/2']);
    expect(view({ data: { id: 'a', links: { 1: 'https://x/1', 2: { href: 'https://x/2' } } } }).links).toEqual([
      'https://x/1',
      'https://x/2',
    ]);
    expect(() => view({ data: { id: 'a', links: [{ name: 'x' }] } })).toThrow(ProviderApiError);
  });

  it.each([
    ['failed', 'failed'],
    ['ERROR', 'failed'],
    ['errored_out', 'failed'],
    ['Cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['pending', 'queued'],
    ['processing', 'running'],
    ['in_progress', 'running'],
    [undefined, 'running'],
  ])('status %s without links → %s', (status, state) => {
    expect(view({ data: { id: 'a', status, links: [] } }).state).toBe(state);
  });

  it('keeps the failure message the task gives', () => {
    expect(view({ data: { id: 'a', status: 'failed', error: 'query timed out' } }).message).toBe('query timed out');
    expect(view({ data: { id: 'a', status: 'failed', error: { message: 'nested' } } }).message).toBe('nested');
    expect(view({ data: { id: 'a', status: 'failed' } }).message).toContain('failed');
  });

  it('a "completed" task without links is given two polls for links to appear, then counts as empty', () => {
    expect(view({ data: { id: 'a', status: 'completed', links: null } }, 0).state).toBe('running');
    expect(view({ data: { id: 'a', status: 'completed', links: null } }, 2)).toMatchObject({
      state: 'succeeded',
      links: [],
    });
  });

  it('accepts numeric ids and rejects a body without an id', () => {
    expect(TaskResponseSchema.parse({ data: { id: 42 } }).id).toBe('42');
    expect(TaskResponseSchema.safeParse({ data: { status: 'x' } }).success).toBe(false);
  });
});
