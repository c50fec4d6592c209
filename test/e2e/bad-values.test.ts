// A value that can never be typed (the Marketo simulator's poisonValue fault: a non-date in activityDate,
// record 42 of one window), through the synthesized state machine on the local engine into a local
// directory, under both `badValues` settings:
// - "fail" (the default): the window fails by name (UntypeableValueError naming the record and the
//   column), and nothing of it is left, rejects included;
// - "null": the window lands, the value is NULL in the curated table, and `<export>_rejects` (the local
//   DuckDB view, as Athena's table) holds exactly that value; a re-run after the source is fixed replaces
//   the window and its rejects with it.
// And the same "null" landing for Clickwrap (its badValueNext fault) into S3 (moto).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../lib/config';
import { openCuratedDatabase } from '../../local/query/curated-views';
import { runExport } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { useMarketoSimulator, type MarketoTestSimulator } from '../support/marketo-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { memoryLogger } from '../support/memory-logger';
import { memoryMetrics } from '../support/memory-metrics';
import { baseConfig, configWith, objectText, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const DAY = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const STEM = '20261101T000000Z_20261102T000000Z';
const RAW_KEY = `raw/${EXPORT}/dt=2026-11-01/${STEM}.csv`;
const REJECTS_KEY = `curated/${EXPORT}_rejects/dt=2026-11-01/${STEM}-0001.parquet`;
const POISON_ROW = 41;

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 });
const workflow = synthesizeLocalWorkflow(baseConfig);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function poisonedSim(): Promise<MarketoTestSimulator> {
  const sim = await startSim();
  sim.marketo.faults.poisonValue = { startMs: Date.parse(DAY.start), row: POISON_ROW };
  return sim;
}

function run(sim: MarketoTestSimulator, config: PipelineConfig, dir: string, metrics = memoryMetrics()) {
  return runExport({
    config,
    exportName: EXPORT,
    from: DAY.start,
    to: DAY.end,
    store: { kind: 'dir', dir },
    logger: memoryLogger(),
    metrics,
    source: 'simulator',
    simulator: { running: sim },
    workflow,
    waitMs: 5,
  });
}

function outDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bad-values-'));
  dirs.push(dir);
  return dir;
}

async function sql(dir: string, config: PipelineConfig, text: string): Promise<Record<string, unknown>[]> {
  const db = await openCuratedDatabase(dir, config.exports);
  try {
    return (await db.connection.runAndReadAll(text)).getRowObjectsJS();
  } finally {
    db.close();
  }
}

describe('a poison value (local engine, Marketo simulator)', () => {
  it('badValues "fail": the window fails with UntypeableValueError naming the record and the column, leaving nothing', async () => {
    const sim = await poisonedSim();
    const dir = outDir();
    const result = await run(sim, baseConfig, dir);
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('UntypeableValueError');
    expect(result.error?.message).toMatch(
      new RegExp(
        `${RAW_KEY}: record ${POISON_ROW + 1} \\(byte \\d+\\), column activitydate \\(timestamp\\): .*"not-a-date"`,
      ),
    );
    // The reference table (activity types) may land; nothing of the export's tables does.
    expect(existsSync(path.join(dir, 'curated', EXPORT))).toBe(false);
    expect(existsSync(path.join(dir, 'curated', `${EXPORT}_rejects`))).toBe(false);
    expect(existsSync(path.join(dir, RAW_KEY))).toBe(false);
    expect(existsSync(path.join(dir, 'manifests', EXPORT, `${STEM}.json`))).toBe(false);
  });

  it('badValues "null": the window lands, the value is NULL, the rejects table holds exactly it; a fixed re-run replaces both', async () => {
    const config = configWith(EXPORT, { badValues: 'null' });
    const sim = await poisonedSim();
    const dir = outDir();
    const metrics = memoryMetrics();
    const result = await run(sim, config, dir, metrics);
    expect(result.status).toBe('SUCCEEDED');

    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifests', EXPORT, `${STEM}.json`), 'utf8')) as {
      manifestVersion: number;
      records: { counted: number; curated: number };
      rejectedValues?: number;
      files: { curated: { rejects?: { key: string; rows: number } }[] }[];
    };
    expect(manifest.manifestVersion).toBe(2);
    // Nulled values are still rows: rows = records counted holds.
    expect(manifest.records.curated).toBe(manifest.records.counted);
    expect(manifest.rejectedValues).toBe(1);
    expect(manifest.files[0]!.curated[0]!.rejects).toMatchObject({ key: REJECTS_KEY, rows: 1 });
    metrics.flush();
    expect(
      metrics
        .emitted()
        .filter((m) => m.name === 'ValuesRejected')
        .map((m) => m.value),
    ).toEqual([1]);

    const table = EXPORT.replaceAll('-', '_');
    expect(await sql(dir, config, `SELECT count(*) AS n FROM ${table} WHERE activitydate IS NULL`)).toEqual([
      { n: 1n },
    ]);
    expect(
      await sql(
        dir,
        config,
        `SELECT raw_file, record, column_name, column_type, raw_value, raw_length, dt FROM ${table}_rejects`,
      ),
    ).toEqual([
      {
        raw_file: RAW_KEY,
        record: BigInt(POISON_ROW + 1),
        column_name: 'activitydate',
        column_type: 'timestamp',
        raw_value: 'not-a-date',
        raw_length: 10,
        dt: '2026-11-01',
      },
    ]);

    // The source is fixed: the re-run replaces the window, and with it its rejects.
    delete sim.marketo.faults.poisonValue;
    expect((await run(sim, config, dir)).status).toBe('SUCCEEDED');
    expect(existsSync(path.join(dir, REJECTS_KEY))).toBe(false);
    expect(await sql(dir, config, `SELECT count(*) AS n FROM ${table} WHERE activitydate IS NULL`)).toEqual([
      { n: 0n },
    ]);
  });
});

describeWithMoto('a value no type accepts in a Clickwrap file, badValues "null" (local engine, moto S3)', () => {
  beforeAll(() => useMotoEnv());
  let sim: RunningSimulator | undefined;
  afterAll(async () => sim?.stop());

  it('lands the window with its rejects object listed in the manifest', async () => {
    sim = await startSimulatorFor('clickwrap', { clickwrap: { processingMs: 100, recordsPerDay: 600 } });
    if (sim.provider !== 'clickwrap') throw new Error('not the Clickwrap simulator');
    sim.clickwrap.faults.badValueNext = { field: 'created_time', value: 'last tuesday' };
    const exportName = 'clickwrap-activity';
    const result = await runScenario({
      exportName,
      config: configWith(exportName, { badValues: 'null' }),
      simulator: { running: sim },
    });
    expect(result.status).toBe('SUCCEEDED');
    const rejects = result.state.keys.filter((k) => k.startsWith(`curated/${exportName}_rejects/dt=2026-11-01/`));
    expect(rejects).toHaveLength(1);
    const manifest = JSON.parse(await objectText(result.bucket, result.state.manifests[0]!)) as {
      rejectedValues?: number;
      files: { curated: { rejects?: { key: string } }[] }[];
    };
    expect(manifest.rejectedValues).toBe(1);
    expect(manifest.files.flatMap((f) => f.curated.flatMap((p) => (p.rejects ? [p.rejects.key] : [])))).toEqual(
      rejects,
    );
  });
});
