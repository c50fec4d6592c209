// One simulated Marketo instance across its exports: four days of leads, activities and deleted leads,
// with merges and deletions between them, through the synthesized state machine on the local engine
// into a local directory. The analyst views agree with the simulator's ground truth lead by lead:
// `marketo_leads_current` holds every lead the leads export saw with its newest values, `deleted_at`
// and `merged_into` followed to the final winner; `marketo_merged_leads` lists exactly its merges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../lib/config';
import { openCuratedDatabase } from '../../local/query/curated-views';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { runExport } from '../../local/run-export';
import { useMarketoSimulator } from '../support/marketo-simulator';
import { memoryLogger } from '../support/memory-logger';

const RANGE = { from: '2026-11-01T00:00:00Z', to: '2026-11-05T00:00:00Z' };
const window = { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' };
const secretName = 'bulk-export/marketo';
const LEAD_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'leadStatus',
  'leadScore',
  'createdAt',
  'updatedAt',
];
const config = parsePipelineConfig(
  {
    exports: [
      { name: 'marketo-activities', provider: 'marketo', secretName, request: { format: 'CSV' }, window },
      {
        name: 'marketo-leads',
        provider: 'marketo',
        dataset: 'leads',
        secretName,
        request: { fields: LEAD_FIELDS },
        window,
      },
      { name: 'marketo-deleted-leads', provider: 'marketo', dataset: 'deleted-leads', secretName, window },
    ],
  },
  'instance views scenario',
);

// A small instance keeps the run short: 200 lead events a day, a deletion every half hour on average.
const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, recordsPerDay: 200 });
const workflow = synthesizeLocalWorkflow(config);
const out = mkdtempSync(path.join(tmpdir(), 'instance-views-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const sec = (iso: string | null) => (iso === null ? null : Date.parse(iso));

it('marketo_leads_current and marketo_merged_leads equal the simulated instance’s ground truth', async () => {
  const sim = await startSim();
  for (const exportName of ['marketo-leads', 'marketo-activities', 'marketo-deleted-leads']) {
    const result = await runExport({
      config,
      exportName,
      ...RANGE,
      store: { kind: 'dir', dir: out },
      logger: memoryLogger(),
      source: 'simulator',
      simulator: { running: sim },
      workflow,
      waitMs: 5,
    });
    expect(result.status, `${exportName}: ${JSON.stringify(result.error)}`).toBe('SUCCEEDED');
  }
  const instance = sim.marketo.instance!;
  const truth = instance.groundTruth(RANGE.from, RANGE.to);
  const merges = instance.merges(RANGE.from, RANGE.to);

  const db = await openCuratedDatabase(out, config.exports);
  try {
    const rows = async (sql: string) => (await db.connection.runAndReadAll(sql)).getRowObjectsJS();
    const current = await rows(
      `SELECT id, email, firstname, lastname, company, leadstatus, leadscore, epoch_ms(updatedat) AS updated, ` +
        `epoch_ms(deleted_at) AS deleted, merged_into FROM marketo_leads_current`,
    );
    const seen = current.map((r) => ({
      id: Number(r.id),
      email: r.email,
      firstName: r.firstname,
      lastName: r.lastname,
      company: r.company,
      leadStatus: r.leadstatus,
      leadScore: r.leadscore === null ? null : String(r.leadscore),
      updatedAt: Number(r.updated),
      deletedAt: r.deleted === null ? null : Number(r.deleted),
      mergedInto: r.merged_into === null ? null : Number(r.merged_into),
    }));
    const expected = [...truth.values()].map((t) => ({
      id: t.id,
      email: t.values.email,
      firstName: t.values.firstName,
      lastName: t.values.lastName,
      company: t.values.company,
      leadStatus: t.values.leadStatus,
      leadScore: t.values.leadScore,
      updatedAt: sec(t.values.updatedAt ?? null),
      deletedAt: sec(t.deletedAt),
      mergedInto: t.mergedInto,
    }));
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    expect(seen.sort(byId)).toEqual(expected.sort(byId));

    // The story is not trivial: leads were deleted, merged, and merged into leads that later lost.
    const truths = [...truth.values()];
    expect(truths.filter((t) => t.deletedAt !== null).length).toBeGreaterThan(20);
    expect(truths.filter((t) => t.mergedInto !== null).length).toBeGreaterThan(5);
    const losers = new Set(merges.map((m) => m.losingLeadId));
    expect(merges.some((m) => losers.has(m.winningLeadId))).toBe(true);

    const merged = await rows(
      'SELECT losing_lead_id, winning_lead_id, epoch_ms(merged_at) AS at FROM marketo_merged_leads',
    );
    const mergedSeen = merged
      .map((r) => [Number(r.losing_lead_id), Number(r.winning_lead_id), Number(r.at)])
      .sort((a, b) => a[0]! - b[0]!);
    const mergedExpected = merges
      .map((m) => [m.losingLeadId, m.winningLeadId, Date.parse(m.mergedAt)])
      .sort((a, b) => a[0]! - b[0]!);
    expect(mergedSeen).toEqual(mergedExpected);
  } finally {
    db.close();
  }
}, 120_000);
