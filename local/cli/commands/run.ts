// `run <export>`: a configured export on this machine, against the real API or the bundled simulator;
// `retry <export> --window <start>` is the same run of one failed or quarantined window.
import { z } from 'zod';
import { providerDescriptor } from '#providers/descriptors';
import { loadPipelineConfig } from '../../../lib/config';
import { credentialsFromEnv, type StoreTarget } from '../../local-runtime';
import { executeExport } from '../execute-export';
import { asOfClock } from '../as-of';
import { checkRunTargets, DEFAULT_CONFIG, DEFAULT_EVENTS, DEFAULT_MAX_WAIT, exportFor } from '../run-checks';
import { UsageError } from '../usage-error';

const RunOptionsSchema = z.object({
  exportName: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  asOf: z.string().optional(),
  out: z.string().optional(),
  bucket: z.string().optional(),
  config: z.string(),
  simulator: z.boolean().optional(),
  simulatorIntoBucket: z.boolean().optional(),
  events: z.string(),
  maxWait: z.string().default(DEFAULT_MAX_WAIT),
  verbose: z.boolean().optional(),
  simulatorBytesPerSecond: z.number().int().positive().optional(),
  retryWindow: z.string().optional(),
  window: z.string().optional(),
  attachSimulator: z.boolean().optional(),
  splitBytes: z.number().int().positive().optional(),
});

export async function runCommand(raw: unknown): Promise<number> {
  const opts = RunOptionsSchema.parse(raw);
  const clock = asOfClock(opts);
  const config = loadPipelineConfig(opts.config);
  const def = exportFor(config, opts.config, opts.exportName, opts);
  checkRunTargets(opts);
  // Never a silent simulator: without credentials a run of a real export is refused, not faked.
  if (opts.simulator && opts.attachSimulator)
    throw new UsageError(
      '--attach-simulator uses the simulator the environment names; it does not go with --simulator',
    );
  if (!opts.simulator && !credentialsFromEnv(def.provider)) {
    const variables = providerDescriptor(def.provider).credentials.envVariables.join(', ');
    throw new UsageError(
      `no ${def.provider} credentials in the environment (${variables}); pass --simulator to run against the bundled simulator`,
    );
  }
  if (opts.simulator && opts.bucket && !opts.simulatorIntoBucket) {
    throw new UsageError(
      `--simulator would write the simulator's made-up data into bucket ${opts.bucket}; add --simulator-into-bucket if that is what you want`,
    );
  }
  const store: StoreTarget = opts.bucket
    ? { kind: 's3', bucket: opts.bucket }
    : { kind: 'dir', dir: opts.out ?? 'exports' };
  const resume = [
    ...(opts.retryWindow ? ['retry', opts.exportName, '--window', opts.retryWindow] : ['run', opts.exportName]),
    ...(opts.from && opts.to ? ['--from', opts.from, '--to', opts.to] : []),
    // A replayed schedule resumes as the next replayed day's run; the resume line is that of a plain run.
    ...(opts.bucket ? ['--bucket', opts.bucket] : ['--out', opts.out ?? 'exports']),
    ...(opts.config !== DEFAULT_CONFIG ? ['--config', opts.config] : []),
    ...(opts.simulator ? ['--simulator'] : []),
    ...(opts.simulatorIntoBucket ? ['--simulator-into-bucket'] : []),
    ...(opts.events !== DEFAULT_EVENTS ? ['--events', opts.events] : []),
    '--max-wait',
    opts.maxWait,
  ];
  // The bundled simulator sees the replayed day too (its quotas, its job times).
  const now = clock ? () => clock.now() : undefined;
  const simulatorSettings = {
    ...(opts.simulatorBytesPerSecond ? { slowBytesPerSecond: opts.simulatorBytesPerSecond } : {}),
    ...(now ? { marketo: { now }, clickwrap: { now } } : {}),
  };
  return executeExport(config, opts.exportName, {
    ...opts,
    store,
    source: opts.simulator ? 'simulator' : 'auto',
    maxWait: opts.maxWait,
    resume,
    ...(opts.simulator ? { simulatorSettings } : {}),
    ...(clock ? { clock, scheduled: true } : {}),
    ...(opts.attachSimulator ? { simulatedApi: true } : {}),
    ...(opts.splitBytes
      ? { splitTuning: { recordStartInterval: opts.splitBytes, maxSplitBytes: opts.splitBytes } }
      : {}),
  });
}
