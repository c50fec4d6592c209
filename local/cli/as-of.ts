// `run --as-of <iso>`: a scheduled run replayed at a past instant, on this machine only. The checks that
// refuse it (with an explicit range, in the future, on a deployed stack) and the clock it runs on.
import { AsOfClock } from '../as-of-clock';
import { UsageError } from './usage-error';

/** --as-of where it cannot mean anything: named, so a script can tell it from other usage errors. */
export class AsOfRefusedError extends UsageError {
  override readonly name: string = 'AsOfRefusedError';
}

export function asOfClock(opts: { asOf?: string | undefined; from?: string | undefined; to?: string | undefined }) {
  if (opts.asOf === undefined) return undefined;
  if (opts.from !== undefined || opts.to !== undefined)
    throw new AsOfRefusedError(
      '--as-of replays a scheduled run (windows from the watermark); it does not go with --from/--to',
    );
  const asOf = new Date(Date.parse(opts.asOf));
  if (asOf.getTime() > Date.now())
    throw new AsOfRefusedError(`--as-of ${opts.asOf} is in the future: only past schedules can be replayed`);
  return new AsOfClock(asOf);
}

/** A deployed run starts at the real now (StartExecution has no clock to set). */
export function refuseAsOfOnDeployed(asOf: string | undefined): void {
  if (asOf !== undefined)
    throw new AsOfRefusedError(
      '--as-of replays a schedule on this machine only (`run --as-of`); a deployed run always starts now',
    );
}
