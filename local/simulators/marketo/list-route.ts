// The list route of every bulk type: status filter, batch size and an opaque page token, checked the
// way Marketo checks them.
import type { ServerResponse } from 'node:http';
import type { BulkTarget } from './bulk-target';
import { sendSuccess } from './envelope';
import { MarketoApiFailure } from './marketo-errors';
import type { ServerContext } from './server-context';

const LIST_STATUSES = ['Created', 'Queued', 'Processing', 'Completed', 'Failed', 'Cancelled'];
const MAX_BATCH_SIZE = 300;

export function listJobs(
  ctx: ServerContext,
  target: BulkTarget,
  res: ServerResponse,
  url: URL,
  requestId: string,
): void {
  const q = url.searchParams;
  const wanted = q
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === 'Canceled' ? 'Cancelled' : s));
  const unknown = wanted.find((s) => !LIST_STATUSES.includes(s));
  if (unknown) throw new MarketoApiFailure('1003', `Invalid status: '${unknown}'`);
  const batchText = q.get('batchSize');
  const batchSize = batchText === null ? MAX_BATCH_SIZE : Number(batchText);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new MarketoApiFailure('1003', `Invalid batchSize: '${batchText}' (1 to ${MAX_BATCH_SIZE})`);
  }
  const pageToken = q.get('nextPageToken');
  let offset = 0;
  if (pageToken !== null) {
    const decoded = Number(
      Buffer.from(pageToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw new MarketoApiFailure('1003', 'Invalid nextPageToken');
    offset = decoded;
  }
  const jobs = ctx.store.recent(target).filter((j) => wanted.length === 0 || wanted.includes(j.status));
  const page = jobs.slice(offset, offset + batchSize).map((j) => ctx.store.describe(j));
  const more = offset + batchSize < jobs.length;
  const extra = more ? { nextPageToken: Buffer.from(`offset:${offset + batchSize}`).toString('base64url') } : {};
  sendSuccess(res, requestId, page, extra);
}
