// RefreshReferences over the memory store: each enabled table of the instance lands as one Parquet
// object keyed by the data's source, with its manifest; a simulator's copy sits beside a real
// instance's and never replaces it; a table that fails is logged and metered while the others land.
import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import type { ReferenceRow } from '../../../../lambdas/providers/types';
import { refreshReferences } from '../../../../lambdas/workflow/steps/refresh-references';
import { ProviderApiError } from '../../../../lambdas/shared/errors';
import { createHash } from 'node:crypto';
import { DAY1, exportDefinition, NOW, stepWorld, type StepWorld } from './support/step-world';

const HOST = '123-abc-456.mktorest.com';

function rowsOf(name: string, source: string): ReferenceRow[] {
  if (name === 'activity_types')
    return [{ id: 6, name: 'Send Email', description: null, primary_attribute: 'Mail ID', attributes: '[]', source }];
  return [{ id: 4000, name: `${name} one`, created_at: '2024-01-10T18:07:29Z', source }];
}

function withReferences(world: StepWorld, source: string, failing: readonly string[] = []): string[] {
  const asked: string[] = [];
  Object.assign(world.provider, {
    fetchReferenceTable: async (name: string) => {
      asked.push(name);
      if (failing.includes(name)) throw new ProviderApiError('Marketo error 611: System error', '611');
      return rowsOf(name, source);
    },
  });
  return asked;
}

function plan(source: string) {
  return {
    plan: {
      export: 'acts',
      windows: [DAY1],
      mode: 'scheduled',
      end: DAY1.end,
      truncated: false,
      maxConcurrency: 1,
      startedAt: NOW,
      source,
    },
  };
}

async function bodyOf(world: StepWorld, key: string): Promise<Buffer> {
  const got = await world.store.getObject(key);
  if (!got) throw new Error(`no object ${key}`);
  return got.body;
}

function emitted(world: StepWorld, name: string): [string | undefined, number][] {
  world.metrics.flush();
  return world.metrics
    .emitted()
    .filter((m) => m.name === name)
    .map((m) => [m.dimensions.reason, m.value]);
}

async function parquetRows(world: StepWorld, key: string): Promise<Record<string, unknown>[]> {
  const body = await bodyOf(world, key);
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

describe('RefreshReferences', () => {
  it('lands every table on by default, keyed by instance, each with a manifest of its rows, bytes and sha256', async () => {
    const world = stepWorld();
    const asked = withReferences(world, HOST);
    const outcome = await refreshReferences(plan(HOST), world.rt);
    expect(asked).toEqual([
      'activity_types',
      'marketo_programs',
      'marketo_smart_campaigns',
      'marketo_emails',
      'marketo_forms',
      'marketo_landing_pages',
    ]);
    expect(outcome.failed).toEqual([]);
    expect(outcome.refreshed.map((r) => r.key)).toContain(`curated/marketo_programs/${HOST}.parquet`);
    const manifest = JSON.parse((await bodyOf(world, `manifests/marketo_programs/${HOST}.json`)).toString()) as Record<
      string,
      unknown
    >;
    const body = await bodyOf(world, `curated/marketo_programs/${HOST}.parquet`);
    expect(manifest).toMatchObject({
      manifestVersion: 2,
      kind: 'reference-table',
      table: 'marketo_programs',
      source: HOST,
      export: 'acts',
      rows: 1,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(await parquetRows(world, `curated/marketo_programs/${HOST}.parquet`)).toMatchObject([
      { id: 4000, name: 'marketo_programs one', source: HOST },
    ]);
    const refreshed = emitted(world, 'ReferenceRowsRefreshed');
    expect(refreshed.map(([table]) => table).sort()).toEqual(asked.slice().sort());
  });

  it("a simulator run writes its own object beside the real instance's, never over it", async () => {
    const world = stepWorld();
    withReferences(world, HOST);
    await refreshReferences(plan(HOST), world.rt);
    const real = await bodyOf(world, `curated/activity_types/${HOST}.parquet`);
    withReferences(world, 'simulator');
    await refreshReferences(plan('simulator'), world.rt);
    expect((await bodyOf(world, `curated/activity_types/${HOST}.parquet`)).equals(real)).toBe(true);
    expect(await parquetRows(world, 'curated/activity_types/simulator.parquet')).toMatchObject([
      { source: 'simulator' },
    ]);
    expect(await parquetRows(world, `curated/activity_types/${HOST}.parquet`)).toMatchObject([{ source: HOST }]);
  });

  it('a table that fails is logged and metered, the previous copy stays and the other tables land', async () => {
    const world = stepWorld();
    withReferences(world, HOST);
    await refreshReferences(plan(HOST), world.rt);
    const before = await bodyOf(world, `curated/marketo_emails/${HOST}.parquet`);
    withReferences(world, HOST, ['marketo_emails']);
    const outcome = await refreshReferences(plan(HOST), world.rt);
    expect(outcome.failed).toEqual([
      { table: 'marketo_emails', error: 'ProviderApiError: Marketo error 611: System error' },
    ]);
    expect(outcome.refreshed).toHaveLength(5);
    expect((await bodyOf(world, `curated/marketo_emails/${HOST}.parquet`)).equals(before)).toBe(true);
    expect(world.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'reference table not refreshed; the previous copy stays' }),
    );
    expect(emitted(world, 'ReferenceRefreshFailures')).toEqual([['marketo_emails', 1]]);
  });

  it('the config switches a table on or off for the instance', async () => {
    const world = stepWorld({
      exports: [exportDefinition({ referenceTables: { marketo_static_lists: true, marketo_forms: false } })],
    });
    const asked = withReferences(world, HOST);
    await refreshReferences(plan(HOST), world.rt);
    expect(asked).toContain('marketo_static_lists');
    expect(asked).not.toContain('marketo_forms');
  });
});
