// Plan without moto: windows from an explicit range or from the window ledger (seeded from the old
// watermark on the first read), each recorded `planned`, and every refusal before any job exists.
import { publishIntentsPrefix } from '../../../../lambdas/window/keys';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { watermarkKey } from '../../../../lambdas/window/keys';
import { withFailed, withLanded } from '../../../../lambdas/window/ledger';
import { ledgerKey, readLedger, updateLedger } from '../../../../lambdas/window/ledger-store';
import { leaseKey } from '../../../../lambdas/window/lease';
import { plan } from '../../../../lambdas/workflow/steps/plan';
import { MAX_WINDOWS_PER_RUN } from '../../../../lambdas/workflow/windows';
import { EXECUTION, exportDefinition, stepWorld } from './support/step-world';

const STARTED = '2026-01-03T05:00:00Z';

function planEvent(input: unknown) {
  return { input, startedAt: STARTED, executionId: EXECUTION };
}

function seedWatermark(world: ReturnType<typeof stepWorld>, watermark: string): void {
  world.store.seed(
    watermarkKey('acts'),
    JSON.stringify({ export: 'acts', watermark, updatedAt: STARTED }),
    'application/json',
  );
}

describe('Plan', () => {
  it('an explicit range: one window per day, the request validated, the provider limits, nothing remote', async () => {
    const world = stepWorld();
    const def = exportDefinition();
    const out = await plan(
      planEvent({ export: world.define(def), from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }),
      world.rt,
    );
    expect(out).toEqual({
      export: def.name,
      windows: [
        { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
        { start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' },
      ],
      mode: 'explicit',
      end: '2026-01-03T00:00:00Z',
      truncated: false,
      maxConcurrency: 2,
      startedAt: STARTED,
      // The provider's host only: what manifests, events and the watermark record as the source.
      source: 'fake-provider.test',
    });
    expect(world.provider.calls).toEqual([]);
    // A backfill does not depend on the watermark or the ledger (windows dead runs left behind are
    // ReclaimDeadRuns'): it takes the export's lease, finishes any publish a dead run began, then
    // records its windows planned.
    expect(world.store.calls).toEqual([
      { op: 'getObject', key: leaseKey('acts') },
      { op: 'putObject', key: leaseKey('acts') },
      { op: 'listKeys', key: publishIntentsPrefix('acts') },
      { op: 'getObject', key: ledgerKey('acts') },
      { op: 'putObject', key: ledgerKey('acts') },
    ]);
    expect(world.progress).toEqual([{ export: 'acts', step: 'Plan', message: '2 window(s)' }]);
  });

  it('a scheduled run without a watermark starts at firstStart and stops at now − lag, on the grain', async () => {
    const world = stepWorld({ now: '2026-01-03T00:30:00Z' });
    const out = await plan(planEvent({ export: 'acts' }), world.rt);
    // 00:30 − 60 min is before midnight: 2 Jan is not complete yet.
    expect(out).toMatchObject({
      mode: 'scheduled',
      windows: [{ start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }],
      end: '2026-01-02T00:00:00Z',
    });
    // No ledger yet: it would be seeded from the manifests and the old watermark (there are none).
    // Everything under the lease, the finished publishes before the ledger is read.
    expect(world.store.calls).toEqual([
      { op: 'getObject', key: leaseKey('acts') },
      { op: 'putObject', key: leaseKey('acts') },
      { op: 'listKeys', key: publishIntentsPrefix('acts') },
      { op: 'getObject', key: ledgerKey('acts') },
      { op: 'getObject', key: watermarkKey('acts') },
      { op: 'listKeys', key: 'manifests/acts/' },
      { op: 'getObject', key: ledgerKey('acts') },
      { op: 'putObject', key: ledgerKey('acts') },
    ]);
  });

  it('a scheduled run resumes from the watermark of an export without a ledger; a landed window is not planned again', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-02T00:00:00Z');
    const out = await plan(planEvent({ export: 'acts' }), world.rt);
    expect(out.windows).toEqual([{ start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' }]);

    // The window landed (WriteManifest records it): nothing is owed any more.
    await updateLedger(world.rt.store, 'acts', (l) =>
      withLanded(l, out.windows[0]!, { at: STARTED, manifestKey: 'm', records: 1, source: 'fake-provider.test' }),
    );
    const idle = await plan(planEvent({ export: 'acts' }), world.rt);
    expect(idle).toMatchObject({ windows: [], end: null, truncated: false });
  });

  it("a simulator's watermark does not hold back a real run: it plans from firstStart; a simulator run plans from a real one", async () => {
    let world = stepWorld();
    const seed = (source: string) =>
      world.store.seed(
        watermarkKey('acts'),
        JSON.stringify({ export: 'acts', watermark: '2026-01-02T00:00:00Z', updatedAt: STARTED, source }),
        'application/json',
      );
    seed('simulator');
    const real = await plan(planEvent({ export: 'acts' }), world.rt);
    expect(real).toMatchObject({
      source: 'fake-provider.test',
      windows: [{ start: '2026-01-01T00:00:00Z' }, { start: '2026-01-02T00:00:00Z' }],
    });
    world = stepWorld();
    seed('fake-provider.test');
    const simulated = await plan(planEvent({ export: 'acts' }), { ...world.rt, simulated: true });
    expect(simulated).toMatchObject({
      source: 'simulator',
      windows: [{ start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' }],
    });
  });

  it('a retry plans the one quarantined window, under the lease, its attempts starting over', async () => {
    const world = stepWorld();
    const day2 = { start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' };
    await updateLedger(world.rt.store, 'acts', (l) =>
      withFailed(
        l,
        day2,
        { name: 'MalformedCsvError', message: 'm', dataError: true },
        { at: STARTED, maxAttempts: 1 },
      ),
    );
    const out = await plan(planEvent({ export: 'acts', retryWindow: '2026-01-02' }), world.rt);
    expect(out).toMatchObject({ mode: 'explicit', windows: [day2], end: day2.end, truncated: false });
    const [entry] = (await readLedger(world.rt.store, 'acts')).ledger.windows;
    expect(entry).toMatchObject({ state: 'planned', attempts: 0, executionId: EXECUTION });
    await expect(
      plan(planEvent({ export: 'acts', retryWindow: day2.start, from: day2.start, to: day2.end }), stepWorld().rt),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'retryWindow' });
  });

  it(`a long way behind: at most ${MAX_WINDOWS_PER_RUN} windows, truncated, the next run goes on`, async () => {
    const world = stepWorld();
    const out = await plan(
      planEvent({ export: world.define(exportDefinition({ window: { firstStart: '2025-06-01' } })) }),
      world.rt,
    );
    expect(out.windows).toHaveLength(MAX_WINDOWS_PER_RUN);
    expect(out.truncated).toBe(true);
    expect(out.end).toBe(out.windows.at(-1)?.end);
    expect(world.progress.at(-1)?.message).toContain('more next run');
  });

  it.each([
    ['a startedAt missing', { input: { export: 'acts' } }, 'startedAt'],
    ['from without to', planEvent({ export: 'acts', from: '2026-01-01T00:00:00Z' }), 'to'],
    ['an export name that cannot be one', planEvent({ export: 'Not Valid' }), 'export'],
    ['a definition instead of a name', planEvent({ export: exportDefinition() }), 'export'],
  ])('refuses %s with a ValidationError naming the field', async (_what, event, field) => {
    const world = stepWorld();
    await expect(plan(event, world.rt)).rejects.toMatchObject({ name: 'ValidationError', field });
    expect(world.provider.calls).toEqual([]);
  });

  it('an export the deployment does not define fails with UnknownExportError, naming the known ones', async () => {
    const world = stepWorld();
    await expect(plan(planEvent({ export: 'other-export' }), world.rt)).rejects.toMatchObject({
      name: 'UnknownExportError',
      message: 'no export named "other-export" in this deployment (known: acts)',
    });
    expect(world.provider.calls).toEqual([]);
    expect(world.store.calls).toEqual([]);
  });

  it('a backfill before the earliest window is refused (the tables would not project it)', async () => {
    const world = stepWorld();
    await expect(
      plan(planEvent({ export: 'acts', from: '2025-12-31T00:00:00Z', to: '2026-01-01T00:00:00Z' }), world.rt),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'from',
      message: expect.stringContaining('window.backfillFrom'),
    });
    const deeper = world.define(exportDefinition({ window: { firstStart: '2026-01-01', backfillFrom: '2025-12-01' } }));
    const out = await plan(
      planEvent({ export: deeper, from: '2025-12-31T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
      world.rt,
    );
    expect(out.windows).toEqual([{ start: '2025-12-31T00:00:00Z', end: '2026-01-01T00:00:00Z' }]);
  });

  it('a request the provider refuses fails before the watermark is read', async () => {
    const world = stepWorld();
    const run = plan(planEvent({ export: world.define(exportDefinition({ request: { format: 'xml' } })) }), world.rt);
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({ field: 'format' });
    expect(world.store.calls).toEqual([]);
  });

  it('a window the request refuses fails the plan before any job exists', async () => {
    const world = stepWorld();
    const def = exportDefinition({ request: { until: '2026-01-02T00:00:00Z' } });
    await expect(
      plan(
        planEvent({ export: world.define(def), from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }),
        world.rt,
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'until',
    });
    expect(world.provider.calls).toEqual([]);
  });

  it('an explicit range off the grain or in the future is refused', async () => {
    const world = stepWorld();
    await expect(
      plan(planEvent({ export: 'acts', from: '2026-01-01T06:00:00Z', to: '2026-01-02T00:00:00Z' }), world.rt),
    ).rejects.toMatchObject({ field: 'from' });
    await expect(
      plan(planEvent({ export: 'acts', from: '2026-01-01T00:00:00Z', to: '2026-01-05T00:00:00Z' }), world.rt),
    ).rejects.toMatchObject({ field: 'to' });
  });
});
