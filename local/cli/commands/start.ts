// `start <export>`: a run of a DEPLOYED stack (StartExecution), optionally for an explicit range.
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { loadPipelineConfig } from '../../../lib/config';
import { refuseAsOfOnDeployed } from '../as-of';
import { exportFor } from '../run-checks';
import { sfnClientFor } from '../sfn-client';

export async function startCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({
      exportName: z.string(),
      stateMachineArn: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
      asOf: z.string().optional(),
      config: z.string(),
    })
    .parse(raw);
  refuseAsOfOnDeployed(opts.asOf);
  const config = loadPipelineConfig(opts.config);
  const def = exportFor(config, opts.config, opts.exportName, opts);
  const input = { export: def.name, ...(opts.from && opts.to ? { from: opts.from, to: opts.to } : {}) };
  const res = await sfnClientFor(opts.stateMachineArn).send(
    new StartExecutionCommand({ stateMachineArn: opts.stateMachineArn, input: JSON.stringify(input) }),
  );
  process.stdout.write(`${res.executionArn}\n`);
  return 0;
}
