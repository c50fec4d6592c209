// The reference refresh on the local engine: a listing that fails is a logged and metered failure of
// that table only (the window still lands, the other tables refresh), and a 606 storm on the asset
// calls is waited out like any other call's (the provider tests ride out a longer storm on a shared clock).
import { beforeAll, expect, it } from 'vitest';
import { memoryMetrics } from '../support/memory-metrics';
import { useMarketoSimulator } from '../support/marketo-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50 });

describeWithMoto('Marketo reference refresh (local engine, simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('a listing Marketo refuses fails that table only: logged, metered, the window lands', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ code: '603', message: 'Access denied', times: 1, kinds: ['assets'] }];
    const metrics = memoryMetrics();
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s }, metrics });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(result.state.manifests).toHaveLength(1);
    // The first listing (programs) was refused; the other tables and activity_types landed.
    expect(result.state.referenceManifests).not.toContain('manifests/marketo_programs/simulator.json');
    expect(result.state.referenceManifests).toEqual(
      expect.arrayContaining([
        'manifests/activity_types/simulator.json',
        'manifests/marketo_emails/simulator.json',
        'manifests/marketo_forms/simulator.json',
      ]),
    );
    expect(result.logs).toContainEqual(
      expect.objectContaining({ message: 'reference table not refreshed; the previous copy stays' }),
    );
    const failures = metrics.emitted().filter((m) => m.name === 'ReferenceRefreshFailures');
    expect(failures.map((m) => [m.dimensions.reason, m.value])).toEqual([['marketo_programs', 1]]);
  });

  it('a burst of 606 on the asset listings is waited out and every table lands', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ code: '606', times: 4, kinds: ['assets'] }];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(s.marketo.faults.injectErrors?.every((f) => f.times === 0) ?? true).toBe(true);
    expect(result.state.referenceManifests).toHaveLength(6);
  });
});
