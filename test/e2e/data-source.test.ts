// Manifests and events say where the data came from, and a simulator run written into a real export's
// output never moves its watermark. "Real" here is the simulator reached through credentials in the
// environment, exactly as a real instance is: the recorded source is then its host.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportSucceededDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { marketoCredentialsEnv } from '../support/marketo-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { configWith, objectText, runScenario, sha256OfObject } from '../support/scenario';

const EXPORT = 'marketo-activities';
const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' } });
const VARIABLES = ['MARKETO_BASE_URL', 'MARKETO_CLIENT_ID', 'MARKETO_CLIENT_SECRET'] as const;
let sim: RunningSimulator | undefined;
const saved = new Map<string, string | undefined>();

afterEach(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
  await sim?.stop();
  sim = undefined;
});

function credentialsInEnvironment(s: RunningSimulator & { provider: 'marketo' }): void {
  const values = marketoCredentialsEnv(s);
  for (const name of VARIABLES) {
    saved.set(name, process.env[name]);
    process.env[name] = values[name];
  }
}

describeWithMoto('the data source (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('manifest, event and watermark record the host or "simulator"; a simulator run lands but leaves a real watermark where it was', async () => {
    const s = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 20, processingMs: 50 },
    })) as RunningSimulator & { provider: 'marketo' };
    sim = s;
    const host = new URL(s.credentials.baseUrl).host;
    credentialsInEnvironment(s);
    const real = await runScenario({ exportName: EXPORT, config, source: 'auto', simulator: { running: s } });
    expect(real.error).toBeUndefined();
    expect(real.source).toBe('api');
    expect((real.events[0]!.detail as ExportSucceededDetail).source).toBe(host);
    const realManifest = JSON.parse(
      await objectText(real.bucket, 'manifests/marketo-activities/20261101T000000Z_20261102T000000Z.json'),
    ) as { source: string };
    expect(realManifest.source).toBe(host);
    expect(JSON.parse(await objectText(real.bucket, 'state/marketo-activities/watermark.json'))).toMatchObject({
      watermark: '2026-11-02T00:00:00Z',
      source: host,
    });

    const stem = host.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_');
    const realKey = `curated/activity_types/${stem}.parquet`;
    const realReferenceBefore = await sha256OfObject(real.bucket, realKey);

    // The simulator into the same output (what --simulator --simulator-into-bucket does), for the next day.
    const simulated = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      bucket: real.bucket,
      from: '2026-11-02T00:00:00Z',
      to: '2026-11-03T00:00:00Z',
    });
    expect(simulated.status).toBe('SUCCEEDED');
    const detail = simulated.events[0]!.detail as ExportSucceededDetail;
    expect(detail).toMatchObject({ source: 'simulator', watermark: '2026-11-02T00:00:00Z' });
    const simManifest = JSON.parse(
      await objectText(real.bucket, 'manifests/marketo-activities/20261102T000000Z_20261103T000000Z.json'),
    ) as { source: string };
    expect(simManifest.source).toBe('simulator');
    expect(simulated.state.watermark).toBe('2026-11-02T00:00:00Z');
    expect(
      simulated.logs.some((l) =>
        String(l.fields?.reason ?? '').includes(`follows data from ${host}: a simulator run does not move it`),
      ),
    ).toBe(true);
    // Reference tables are keyed by instance: the simulator's rows land beside the real instance's
    // object, which keeps its bytes, its manifest and its source.
    expect(real.state.keys).toContain(realKey);
    expect(simulated.state.keys).toContain('curated/activity_types/simulator.parquet');
    expect(await sha256OfObject(real.bucket, realKey)).toEqual(realReferenceBefore);
    const realReference = JSON.parse(await objectText(real.bucket, `manifests/activity_types/${stem}.json`)) as {
      source: string;
      sha256: string;
    };
    expect(realReference.source).toBe(host);
    expect((await sha256OfObject(real.bucket, realKey)).sha256).toBe(realReference.sha256);
    expect(
      (JSON.parse(await objectText(real.bucket, 'manifests/activity_types/simulator.json')) as { source: string })
        .source,
    ).toBe('simulator');
  });
});
