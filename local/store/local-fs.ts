// Filesystem helpers the local-directory store's objects and uploads share.
import { readdir } from 'node:fs/promises';

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** Every path below `dir`, relative to it; none when it does not exist. */
export async function entriesBelow(dir: string): Promise<string[]> {
  try {
    return await readdir(dir, { recursive: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}
