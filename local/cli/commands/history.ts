// `history [export]`: the last runs, local ones from the events file or a DEPLOYED stack's.
import * as path from 'node:path';
import { z } from 'zod';
import { deployedRunHistory, localRunHistory, renderHistory } from '../run-history';
import { sfnClientFor } from '../sfn-client';

export async function historyCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({
      exportName: z.string().optional(),
      stateMachineArn: z.string().optional(),
      events: z.string(),
      limit: z.number().int().positive(),
    })
    .parse(raw);
  const filter = { ...(opts.exportName ? { export: opts.exportName } : {}), limit: opts.limit };
  const runs = opts.stateMachineArn
    ? await deployedRunHistory(sfnClientFor(opts.stateMachineArn), opts.stateMachineArn, filter)
    : await localRunHistory(path.resolve(opts.events), filter);
  process.stdout.write(`${renderHistory(runs)}\n`);
  return 0;
}
