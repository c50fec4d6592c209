// `history [export]`: the last runs, local ones from the events file or a DEPLOYED stack's; with
// `--windows`, every window of the export as its ledger records it (from --out or --bucket).
import * as path from 'node:path';
import { z } from 'zod';
import { readLedger } from '#window/ledger-store';
import { createStore } from '../../local-runtime';
import { UsageError } from '../usage-error';
import { renderWindowLedger } from '../window-ledger-view';
import { deployedRunHistory, localRunHistory, renderHistory } from '../run-history';
import { sfnClientFor } from '../sfn-client';

export async function historyCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({
      exportName: z.string().optional(),
      stateMachineArn: z.string().optional(),
      events: z.string(),
      limit: z.number().int().positive(),
      windows: z.boolean().optional(),
      out: z.string().optional(),
      bucket: z.string().optional(),
    })
    .parse(raw);
  if (opts.windows) {
    if (!opts.exportName) throw new UsageError('--windows lists the windows of one export: name it');
    const { store } = createStore(
      opts.bucket ? { kind: 's3', bucket: opts.bucket } : { kind: 'dir', dir: opts.out ?? 'exports' },
    );
    const { ledger, exists } = await readLedger(store, opts.exportName);
    process.stdout.write(`${renderWindowLedger(ledger, exists)}\n`);
    return 0;
  }
  const filter = { ...(opts.exportName ? { export: opts.exportName } : {}), limit: opts.limit };
  const runs = opts.stateMachineArn
    ? await deployedRunHistory(sfnClientFor(opts.stateMachineArn), opts.stateMachineArn, filter)
    : await localRunHistory(path.resolve(opts.events), filter);
  process.stdout.write(`${renderHistory(runs)}\n`);
  return 0;
}
