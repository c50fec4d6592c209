// `run --as-of`: the replayed instant's clock, and the refusals (exit 2, one line, AsOfRefusedError)
// where a replay cannot mean anything.
import { describe, expect, it } from 'vitest';
import { AsOfClock } from '../../../local/as-of-clock';
import { AsOfRefusedError, asOfClock, refuseAsOfOnDeployed } from '../../../local/cli/as-of';
import type { Clock } from '../../../lambdas/shared/clock';
import { cliInProcess } from '../../support/cli-in-process';

/** A wall clock a test moves by hand. */
function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: () => Promise.resolve(),
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('AsOfClock', () => {
  it('reads the replayed instant at first and advances with the wall clock from there', () => {
    const wall = manualClock(Date.parse('2026-12-06T12:00:00Z'));
    const clock = new AsOfClock(new Date('2026-11-20T02:15:00Z'), wall);
    expect(clock.now().toISOString()).toBe('2026-11-20T02:15:00.000Z');
    wall.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-11-20T02:16:30.000Z');
  });
});

describe('asOfClock (the checks)', () => {
  it('is absent without --as-of, and a clock at the instant with it', () => {
    expect(asOfClock({})).toBeUndefined();
    const clock = asOfClock({ asOf: '2026-11-20T02:15:00Z' });
    expect(Math.abs(clock!.now().getTime() - Date.parse('2026-11-20T02:15:00Z'))).toBeLessThan(60_000);
  });

  it('refuses --as-of with --from/--to, in the future, and on a deployed run, by name', () => {
    expect(() => asOfClock({ asOf: '2026-11-20', from: '2026-11-01', to: '2026-11-02' })).toThrow(AsOfRefusedError);
    expect(() => asOfClock({ asOf: new Date(Date.now() + 86_400_000).toISOString() })).toThrow(/in the future/);
    expect(() => refuseAsOfOnDeployed('2026-11-20')).toThrow(AsOfRefusedError);
    expect(() => refuseAsOfOnDeployed(undefined)).not.toThrow();
    const err = (() => {
      try {
        refuseAsOfOnDeployed('2026-11-20');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.name).toBe('AsOfRefusedError');
  });
});

describe('the command line', () => {
  it('run --as-of with --from/--to: exit 2, one line, before anything runs', async () => {
    const res = await cliInProcess([
      'run',
      'marketo-activities',
      '--simulator',
      '--as-of',
      '2026-11-20T02:15:00Z',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-02',
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: --as-of replays a scheduled run (windows from the watermark); it does not go with --from/--to\n',
    );
  });

  it('run --as-of that is not a date: exit 2 naming the value', async () => {
    const res = await cliInProcess(['run', 'marketo-activities', '--simulator', '--as-of', 'last week']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('"last week" is not an ISO-8601 date or date-time');
  });

  it('start --as-of (a deployed stack): exit 2, named, before any AWS call', async () => {
    const res = await cliInProcess([
      'start',
      'marketo-activities',
      '--state-machine-arn',
      'arn:aws:states:us-east-1:123456789012:stateMachine:BulkExport',
      '--as-of',
      '2026-11-20T02:15:00Z',
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: --as-of replays a schedule on this machine only (`run --as-of`); a deployed run always starts now\n',
    );
  });

  it('--attach-simulator does not go with --simulator', async () => {
    const res = await cliInProcess(['run', 'marketo-activities', '--simulator', '--attach-simulator']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--attach-simulator uses the simulator the environment names');
  });
});
