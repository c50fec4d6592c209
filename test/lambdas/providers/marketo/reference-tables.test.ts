// The instance's reference tables through the real client against the simulator: every Asset API
// listing paged to its end (a short page, the "no assets found" answer, or its 702/709 codes), the
// rows equal to the simulator's assets (deleted ones absent), and a 606 storm ridden out like any call.
import { describe, expect, it } from 'vitest';
import { MARKETO_ASSET_TABLES } from '../../../../lambdas/providers/marketo/asset-tables';
import { assetListing, type AssetType } from '../../../../local/simulators/marketo/asset-data';
import { closeAllAfterTests, harness } from './support/harness';

closeAllAfterTests();

const TYPE_OF_TABLE: Readonly<Record<string, AssetType>> = {
  marketo_programs: 'programs',
  marketo_smart_campaigns: 'smartCampaigns',
  marketo_static_lists: 'staticLists',
  marketo_emails: 'emails',
  marketo_forms: 'forms',
  marketo_landing_pages: 'landingPages',
};

function idsOf(rows: readonly Readonly<Record<string, unknown>>[]): unknown[] {
  return rows.map((row) => row.id);
}

describe('Marketo reference tables (asset listings)', () => {
  it.each(MARKETO_ASSET_TABLES.map((table) => [table.name]))(
    '%s: every live asset of the instance, once, with its name and folder',
    async (name) => {
      const h = await harness();
      const rows = await h.provider.fetchReferenceTable!(name);
      const truth = assetListing(TYPE_OF_TABLE[name]!);
      expect(idsOf(rows)).toEqual(truth.map((asset) => asset.id));
      expect(rows.map((row) => row.name)).toEqual(truth.map((asset) => asset.name));
      expect(rows.every((row) => row.source === new URL(h.sim.baseUrl).host)).toBe(true);
      expect(rows[0]).toMatchObject({ created_at: '2024-01-10T18:07:29Z', workspace: 'Default' });
      expect(h.sim.stats().byKind.assets).toBe(1);
    },
  );

  it.each(['warning', '702', '709'] as const)(
    'pages across several pages of 200 and stops at the end answer (%s)',
    async (endAnswer) => {
      const h = await harness();
      // 8 programs of the instance + 392 made up = 400: two full pages, then the end answer.
      h.sim.faults.assetListing = { extraPerType: 392, endAnswer };
      const rows = await h.provider.fetchReferenceTable!('marketo_programs');
      expect(rows).toHaveLength(400);
      expect(new Set(idsOf(rows)).size).toBe(400);
      expect(h.sim.stats().byKind.assets).toBe(3);
      const pages = h.sim.requestLog().filter((line) => line.includes('/rest/asset/v1/programs.json'));
      expect(pages.map((line) => new URL(line.split(' ')[1]!, 'http://x').searchParams.get('offset'))).toEqual([
        '0',
        '200',
        '400',
      ]);
    },
  );

  it('a short page ends the listing without asking for another', async () => {
    const h = await harness();
    h.sim.faults.assetListing = { extraPerType: 250 };
    const rows = await h.provider.fetchReferenceTable!('marketo_forms');
    expect(rows.length).toBeGreaterThan(250);
    expect(h.sim.stats().byKind.assets).toBe(2);
  });

  it('rides out a 606 storm on the asset calls (the limiter waits, nothing fails)', async () => {
    const h = await harness();
    h.sim.faults.rateStorm = { code: '606', forMs: 45_000, kinds: ['assets'] };
    const rows = await h.provider.fetchReferenceTable!('marketo_emails');
    expect(idsOf(rows)).toEqual(assetListing('emails').map((asset) => asset.id));
    expect(h.sim.stats().byKind.assets).toBeGreaterThan(1);
    expect(h.logger.lines.some((line) => line.message === 'marketo call retry')).toBe(true);
  });

  it('an error that is not the end of the listing fails the table (named error, code kept)', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: '709', message: 'Access denied to workspace', times: 1, kinds: ['assets'] }];
    await expect(h.provider.fetchReferenceTable!('marketo_landing_pages')).rejects.toMatchObject({
      name: 'ProviderApiError',
      code: '709',
    });
  });
});
