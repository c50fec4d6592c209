// Maps object keys onto a directory tree laid out exactly like the bucket, refusing keys that would
// escape the root or collide with the hidden staging directories.
import { dirname, join } from 'node:path';
import { ValidationError } from '#shared/errors';

/** Hidden (Athena skips names starting with '.'), beside the target, one per upload. */
export const STAGING_PREFIX = '.upload-';

export function pathForKey(root: string, key: string): string {
  if (key.length === 0 || key.length > 1024) throw new ValidationError('key', 'must be 1 to 1024 characters');
  if (key.includes('\\') || key.includes('\0'))
    throw new ValidationError('key', `"${key}" contains a backslash or NUL`);
  const segments = key.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..')
      throw new ValidationError('key', `"${key}" has an empty, '.' or '..' segment`);
    if (s.startsWith(STAGING_PREFIX))
      throw new ValidationError('key', `"${key}" uses the reserved prefix ${STAGING_PREFIX}`);
  }
  return join(root, ...segments);
}

export function stagingDirFor(root: string, key: string, uploadId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(uploadId)) throw new ValidationError('uploadId', 'is not an id this store issued');
  return join(dirname(pathForKey(root, key)), `${STAGING_PREFIX}${uploadId}`);
}

export function partFileName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}`;
}

export function partNumberOf(fileName: string): number | undefined {
  const m = /^part-(\d{5})$/.exec(fileName);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** The directory to start a walk from for a key prefix (the part before its last '/'). */
export function walkRootFor(root: string, prefix: string): string {
  const cut = prefix.lastIndexOf('/');
  if (cut <= 0) return root;
  return join(
    root,
    ...prefix
      .slice(0, cut)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..'),
  );
}
