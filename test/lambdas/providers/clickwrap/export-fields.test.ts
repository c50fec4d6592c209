import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExportFields } from '../../../../lambdas/providers/clickwrap';
import { parseExportFields } from '../../../../lambdas/providers/clickwrap/export-fields';
import type { Clock } from '../../../../lambdas/shared/clock';
import { ProviderApiError, ValidationError } from '../../../../lambdas/shared/errors';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { startClickwrapSimulator } from '../../../../local/simulators/clickwrap';
import type { ClickwrapSimulator } from '../../../../local/simulators/clickwrap';

const clock: Clock = { now: () => new Date('2024-03-10T00:00:00Z'), sleep: async () => {} };

describe('listExportFields', () => {
  let sim: ClickwrapSimulator;
  beforeAll(async () => {
    sim = await startClickwrapSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('lists the fields a site can export', async () => {
    const fields = await listExportFields({ apiToken: sim.apiToken, baseUrl: sim.baseUrl }, '5193', {
      clock,
      logger: silentLogger,
    });
    expect(fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['id', 'signer_id', 'created_time', 'connection_data.remote_address', 'custom_data.vip']),
    );
    expect(fields.find((f) => f.field === 'custom_data.vip')).toMatchObject({ label: 'Vip', type: 'boolean' });
    expect(sim.stats().byPath['GET /sites/:id/exportFields']).toBe(1);
  });

  it('names an unknown site and refuses a malformed id before the network', async () => {
    await expect(
      listExportFields({ apiToken: sim.apiToken, baseUrl: sim.baseUrl }, '999', { clock, logger: silentLogger }),
    ).rejects.toThrow(ProviderApiError);
    const calls = sim.stats().total;
    await expect(
      listExportFields({ apiToken: sim.apiToken, baseUrl: sim.baseUrl }, '../tasks', { clock, logger: silentLogger }),
    ).rejects.toThrow(ValidationError);
    expect(sim.stats().total).toBe(calls);
  });

  it('reads the undocumented shapes: strings, objects under several keys, a field→label map', () => {
    expect(parseExportFields(['id', 'custom_data.vip'])).toEqual([{ field: 'id' }, { field: 'custom_data.vip' }]);
    expect(
      parseExportFields([
        { key: 'id', title: 'ID' },
        { name: 'signer_id' },
        { path: 'x.y', label: 'X Y', type: 'string' },
      ]),
    ).toEqual([{ field: 'id', label: 'ID' }, { field: 'signer_id' }, { field: 'x.y', label: 'X Y', type: 'string' }]);
    expect(parseExportFields({ id: 'ID', created_time: 'Created' })).toEqual([
      { field: 'id', label: 'ID' },
      { field: 'created_time', label: 'Created' },
    ]);
    expect(() => parseExportFields([{ nothing: 1 }])).toThrow(ProviderApiError);
  });
});
