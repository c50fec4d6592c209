// A local run needs the state machine definition, not the CDK app: synthesizing costs seconds (loading
// the constructs is most of it), so the definition is kept on disk, keyed by everything it is made
// from — the config's exports, the infrastructure and runtime sources, and the locked dependency
// versions. Any change to one of them is a new key, so a stale definition is never run.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { PipelineConfig } from '../../lib/config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** What the synthesized definition is made from (the lambdas/ descriptors and shapes are read by lib/). */
const SOURCES = ['lib', 'lambdas', 'local/engine'];
const LOCKFILE = 'package-lock.json';
const PREFIX = 'state-machine-';

export const CachedWorkflowSchema = z.object({ definition: z.record(z.string(), z.unknown()), logicalId: z.string() });
export type LocalWorkflow = z.infer<typeof CachedWorkflowSchema>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The cache key: a hash of the config and of every file the definition depends on. */
export function workflowKey(config: PipelineConfig, root: string = repoRoot): string {
  const hash = createHash('sha256').update(JSON.stringify(config));
  for (const file of [...SOURCES.flatMap((dir) => sourceFiles(path.join(root, dir))), path.join(root, LOCKFILE)]) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/** The definition for `config`: from the cache when its key matches, else synthesized and cached. */
export async function loadLocalWorkflow(
  config: PipelineConfig,
  options: { cacheDir?: string; onSynthesize?: () => void } = {},
): Promise<LocalWorkflow> {
  const cacheDir = options.cacheDir ?? path.resolve('.local-state', 'cache');
  const key = workflowKey(config);
  const file = path.join(cacheDir, `${PREFIX}${key}.json`);
  try {
    const cached = CachedWorkflowSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (cached.success) return cached.data;
  } catch {
    // No cache yet (or an unreadable one): synthesize below.
  }
  options.onSynthesize?.();
  const { synthesizeLocalWorkflow } = await import('./local-workflow');
  const { definition, logicalId } = synthesizeLocalWorkflow(config);
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Only the newest definition is kept; written aside and renamed, so a reader never sees half a file.
    for (const old of readdirSync(cacheDir).filter((n) => n.startsWith(PREFIX)))
      rmSync(path.join(cacheDir, old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ definition, logicalId }));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written costs the next run a synth, nothing else.
  }
  return { definition, logicalId };
}
