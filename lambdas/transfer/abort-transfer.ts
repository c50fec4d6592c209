// Throws the parts away: nothing ever appears at the key. Safe to repeat.
import type { ObjectStore } from './object-store';
import type { TransferCursor } from './transfer-cursor';

export async function abortTransfer(
  store: ObjectStore,
  cursor: Pick<TransferCursor, 'key' | 'uploadId'>,
): Promise<void> {
  await store.abortUpload(cursor.key, cursor.uploadId);
}
