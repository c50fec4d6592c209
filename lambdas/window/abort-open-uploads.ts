// What a dead run of a window leaves in the store besides its job record: open multipart uploads (on
// S3 they would wait for the bucket's lifecycle rule; in the local store they are hidden `.upload-*`
// staging folders that nothing else removes). Once a later run is publishing the window, every upload
// still open under the window's prefixes is such a leftover: that run's own uploads are all complete.
import type { ExportWindow } from '#providers/types';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from '#transfer/object-store';
import { stagedWindowPrefixes, windowPrefixes } from './keys';

export async function abortOpenUploadsOfLandedWindow(
  store: ObjectStore,
  logger: Logger,
  exportName: string,
  window: ExportWindow,
): Promise<number> {
  let aborted = 0;
  for (const prefix of [...windowPrefixes(exportName, window), ...stagedWindowPrefixes(exportName, window)]) {
    for (const upload of await store.listPendingUploads(prefix)) {
      await store.abortUpload(upload.key, upload.uploadId);
      aborted += 1;
      logger.warn('aborted an upload an earlier run of this window left open', { key: upload.key });
    }
  }
  return aborted;
}
