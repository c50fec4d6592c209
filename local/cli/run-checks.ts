// The checks every command that runs an export makes before anything runs: the export exists, an
// explicit range fits its grain and limits, and where the run writes is usable.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '#shared/errors';
import { providerDescriptor } from '#providers/descriptors';
import { planWindows } from '#workflow/windows';
import { GRAIN_EXAMPLES, isOnGrainBoundary } from '#shared/grain';
import { earliestWindowStart } from '#shared/export-definition';
import type { PipelineConfig } from '../../lib/config';
import { UsageError } from './usage-error';

export const DEFAULT_MAX_WAIT = '5m';
export const DEFAULT_CONFIG = 'config/pipeline.json';
export const DEFAULT_EVENTS = '.local-state/events.jsonl';

/** The export, and an explicit range checked against its grain, before anything runs. */
export function exportFor(
  config: PipelineConfig,
  configFile: string,
  name: string,
  range: { from?: string | undefined; to?: string | undefined },
) {
  const def = config.exports.find((e) => e.name === name);
  if (!def)
    throw new UsageError(
      `no export named "${name}" in ${configFile} (known: ${config.exports.map((e) => e.name).join(', ')})`,
    );
  if ((range.from === undefined) !== (range.to === undefined)) throw new UsageError('--from and --to go together');
  const earliest = earliestWindowStart(def);
  if (range.from !== undefined && Date.parse(range.from) < Date.parse(earliest)) {
    throw new UsageError(
      `--from ${range.from} is before export "${name}"'s earliest window (${earliest}); set window.backfillFrom in the config to reach further back`,
    );
  }
  for (const [flag, value] of [
    ['--from', range.from],
    ['--to', range.to],
  ] as const) {
    if (value !== undefined && !isOnGrainBoundary(value, def.window.grain)) {
      throw new UsageError(
        `${flag} ${value} is not on a ${def.window.grain} boundary of export "${name}" (${GRAIN_EXAMPLES[def.window.grain]})`,
      );
    }
  }
  if (range.from !== undefined && range.to !== undefined) {
    if (Date.parse(range.from) >= Date.parse(range.to))
      throw new UsageError(`--from ${range.from} must be before --to ${range.to}`);
    if (Date.parse(range.to) > Date.now())
      throw new UsageError(`--to ${range.to} is in the future: only complete windows can be exported`);
    try {
      planWindows({
        grain: def.window.grain,
        maxSpanDays: providerDescriptor(def.provider).limits.maxWindowDays,
        explicit: { from: range.from, to: range.to },
        now: new Date(),
        lagMinutes: 0,
      });
    } catch (err) {
      if (err instanceof ValidationError)
        throw new UsageError(
          `--${err.field === 'to' || err.field === 'from' ? err.field : 'from/--to'}: ${err.message.replace(/^[^:]+: /, '')}`,
        );
      throw err;
    }
  }
  return def;
}

/** Where a run writes must be usable before anything runs: a directory to write into, a file to append to, a region. */
export function checkRunTargets(opts: { out?: string | undefined; bucket?: string | undefined; events: string }): void {
  if (!opts.bucket && opts.out !== undefined && existsSync(opts.out) && !statSync(opts.out).isDirectory()) {
    throw new UsageError(`--out ${opts.out} is a file, not a directory`);
  }
  if (!opts.bucket && opts.out !== undefined) checkWritable(opts.out);
  if (existsSync(opts.events) && statSync(opts.events).isDirectory())
    throw new UsageError(`--events ${opts.events} is a directory, not a file to append to`);
  if (
    opts.bucket &&
    !process.env.AWS_REGION &&
    !process.env.AWS_DEFAULT_REGION &&
    !existsSync(path.join(homedir(), '.aws', 'config'))
  ) {
    throw new UsageError('--bucket needs an AWS region: set AWS_REGION (or configure a profile)');
  }
}

/**
 * --out must take files: tried for real (permissions, a read-only file system, root's exemptions)
 * in the directory or, before it exists, in its nearest existing parent — without creating it.
 */
function checkWritable(out: string): void {
  let dir = path.resolve(out);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    rmSync(mkdtempSync(path.join(dir, '.write-check-')), { recursive: true, force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`--out ${out} is not writable: nothing can be created in ${dir} (${code})`);
  }
}
