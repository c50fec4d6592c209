// A quarantined window's raw files, kept for inspection under quarantine/<export>/<window>/: the
// window's undo removes them from raw/ (nothing a manifest does not vouch for stays there), and an
// operator looking into why the data fails needs exactly those bytes. A server-side copy, best effort:
// a copy that fails is logged and the window is quarantined anyway (the ledger says why it failed).
import type { ExportWindow } from '#providers/types';
import type { Logger } from '#shared/logger';
import { redact } from '#shared/redact';
import type { ObjectStore } from '#transfer/object-store';
import { quarantinePrefix } from './bucket-layout';
import { rawWindowPrefix, windowStem } from './keys';

/** `quarantine/<export>/<window-start>_<window-end>/`: where a quarantined window's raw files are kept. */
export function quarantineWindowPrefix(exportName: string, window: ExportWindow): string {
  return `${quarantinePrefix(exportName)}${windowStem(window)}/`;
}

/** Copies the window's complete raw files under its quarantine prefix; returns the keys kept. */
export async function keepQuarantinedRaw(
  store: ObjectStore,
  logger: Logger,
  exportName: string,
  window: ExportWindow,
): Promise<string[]> {
  const kept: string[] = [];
  try {
    for (const key of await store.listKeys(rawWindowPrefix(exportName, window))) {
      const target = `${quarantineWindowPrefix(exportName, window)}${key.slice(key.lastIndexOf('/') + 1)}`;
      await store.copyObject(key, target);
      kept.push(target);
    }
  } catch (err) {
    logger.error('could not keep the raw files of a quarantined window', {
      export: exportName,
      window,
      error: redact(String(err)),
    });
  }
  return kept;
}
