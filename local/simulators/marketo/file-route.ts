// The file route of every bulk type: 404 plain text until the job's file is ready, then the file or the
// byte range asked for, with the download faults (ignored ranges, corruption, slow bytes, dropped
// connections) applied.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BulkTarget } from './bulk-target';
import { contentTypeFor } from './delimited-format';
import { takeConnectionDrop } from './faults';
import { writeBody } from './file-body';
import { openFileRange } from './file-range-stream';
import { HttpAnswer } from './http-request';
import { resolveRange } from './range-header';
import type { ServerContext } from './server-context';

export async function sendFile(
  ctx: ServerContext,
  exportId: string,
  target: BulkTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const file = ctx.store.fileOf(exportId, target);
  if (!file) throw new HttpAnswer(404, 'Not Found');
  const { generator, index } = file;
  const { faults } = ctx;
  const size = index.size;
  const contentType = contentTypeFor(generator.format);
  const range = faults.ignoreRange ? { kind: 'whole' as const } : resolveRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, {
      'content-range': `bytes */${size}`,
      'content-type': 'text/plain;charset=UTF-8',
      'content-length': 0,
    });
    res.end();
    return;
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size - 1;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': end - start + 1,
    'accept-ranges': 'bytes',
  };
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
  const dropAfterBytes = takeConnectionDrop(faults);
  await writeBody(res, openFileRange(generator, index, start, end), {
    startOffset: start,
    ...(faults.corruptByteAt !== undefined ? { corruptByteAt: faults.corruptByteAt } : {}),
    ...(faults.slowBytesPerSecond ? { bytesPerSecond: faults.slowBytesPerSecond } : {}),
    ...(dropAfterBytes !== undefined ? { dropAfterBytes } : {}),
  });
}
