// Download links never sit in execution state: a pre-signed link is a credential for as long as it
// lives, and GetExecutionHistory shows every state. CheckJob keeps only the link's origin and path
// (enough to name it in logs); the step that downloads asks the provider for a live link each time.
import type { ExportProvider, JobRef, RemoteFile } from '#providers/types';

/** The file as it may travel through state: a link without its query (the signature) or fragment. */
export function fileForState(file: RemoteFile): RemoteFile {
  if (file.source.kind !== 'url') return file;
  const url = new URL(file.source.url);
  return { ...file, source: { kind: 'url', url: `${url.origin}${url.pathname}` } };
}

/**
 * The file with a live link, for the step that downloads it. A provider that hands out links must be
 * able to hand them out again (refreshFile); one that cannot is refused rather than sent a stripped link.
 */
export async function liveFile(provider: ExportProvider, job: JobRef, file: RemoteFile): Promise<RemoteFile> {
  if (file.source.kind !== 'url') return file;
  if (!provider.refreshFile)
    throw new Error(
      `${provider.name} hands out links but cannot refresh them: links are kept out of state, so it must`,
    );
  return provider.refreshFile(job, file);
}
