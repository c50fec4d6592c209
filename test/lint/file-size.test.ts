// One job per file: no source file grows past 300 lines (formatted by Prettier, so the count is honest).
// A file that does is doing two things; split it by what each part is for.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_LINES = 300;
// Generated (a bundled worker as one string line): not written by hand.
const GENERATED = new Set(['lambdas/transfer/part-worker-source.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.(ts|js)$/.test(entry.name) && !GENERATED.has(rel) ? [rel] : [];
  });
}

it(`no source file under lambdas/, lib/, local/, bin/, bench/ or lint/ has more than ${MAX_LINES} lines`, () => {
  const files = ['lambdas', 'lib', 'local', 'bin', 'bench', 'lint'].flatMap(sourceFiles);
  expect(files.length).toBeGreaterThan(100);
  const long = files
    .map((file) => ({ file, lines: readFileSync(path.join(repoRoot, file), 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES);
  expect(long).toEqual([]);
});
