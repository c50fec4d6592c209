// A trickling source through the whole workflow: the Marketo simulator sends the file far below the
// export's minTransferBytesPerSecond; the range is abandoned and resumed, then the window fails as
// TransferTooSlowError, with no object, no open upload and the watermark unmoved.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { configWith, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describeWithMoto('a source slower than the minimum transfer rate (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('is abandoned, resumed, then failed by name; nothing of the window stays', async () => {
    const s = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 20, processingMs: 50, bytesPerJob: 512 * 1024 },
    })) as RunningSimulator & { provider: 'marketo' };
    sim = s;
    s.marketo.faults.slowBytesPerSecond = 20_000;
    const config = configWith(EXPORT, {
      minTransferBytesPerSecond: 200_000,
      window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' },
    });
    // The rate is judged every 300 ms here instead of every minute.
    const result = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      transferTuning: { retry: { rateWindowMs: 300, backoffBaseMs: 10, backoffMaxMs: 20 } },
    });
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('TransferTooSlowError');
    const detail = result.events.find((e) => e.detailType === 'Export Failed')?.detail as ExportFailedDetail;
    expect(detail.windows.failed).toEqual([
      expect.objectContaining({
        error: expect.objectContaining({
          name: 'TransferTooSlowError',
          message: expect.stringMatching(
            /^source too slow at byte \d+ on 3 requests in a row .*below the minimum of 200000 bytes\/s/,
          ),
        }),
      }),
    ]);
    // Abandoned and resumed with Range, not started over: three file requests in all.
    expect(s.marketo.stats().byKind.file).toBe(3);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.watermark).toBeUndefined();
  });
});
