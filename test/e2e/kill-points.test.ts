// Kill tests: `npm start` SIGKILLed (the local engine's fault hooks, local/engine/fault-hooks.ts) at every
// step boundary and in the middle of a publish. Three chains run side by side, each in its own folder,
// each run inheriting what the killed one before it left. After each kill the day's curated rows, as the
// local `query` reads them, are 0 or exactly the manifest's count — unless a publish had begun (its
// intent is written): then the next run finishes it before anything else. After each chain a last run
// converges to the full, correct window.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KILL_AT_VARIABLE, KILL_ON_COPY_VARIABLE } from '../../local/engine/fault-hooks';
import { openCuratedDatabase } from '../../local/query/curated-views';
import { cliProcess } from '../support/cli-process';

const work = mkdtempSync(path.join(tmpdir(), 'kill-points-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXPORT = 'marketo-activities';
const NO_CREDENTIALS = { MARKETO_BASE_URL: '', MARKETO_CLIENT_ID: '', MARKETO_CLIENT_SECRET: '' };
// A 4 MiB day cut into 1 MiB splits: four Parquet objects, so a publish has a middle.
const SPLITS = { MAX_SPLIT_BYTES: String(1024 * 1024), RECORD_START_INTERVAL_BYTES: String(1024 * 1024) };

interface Kill {
  readonly name: string;
  readonly env: Record<string, string>;
}
const after = (state: string): Kill => ({ name: `after ${state}`, env: { [KILL_AT_VARIABLE]: `after:${state}` } });
const atCopy = (n: number, of: string): Kill => ({
  name: `at copy ${n} of ${of}`,
  env: { [KILL_ON_COPY_VARIABLE]: String(n) },
});

/** Where each run dies, chain by chain: every step boundary of a one-window run, and inside the publish. */
const CHAINS: readonly (readonly Kill[])[] = [
  [after('Plan'), after('ReclaimDeadRuns'), after('RefreshReferences'), after('StartJob'), after('CheckJob')],
  [
    after('BeginFile'),
    after('TransferChunk'),
    after('FinishFile'),
    { name: 'after ConvertSplit 2 of 4', env: { [KILL_AT_VARIABLE]: 'after:ConvertSplit#2' } },
    { name: 'before WriteManifest', env: { [KILL_AT_VARIABLE]: 'before:WriteManifest' } },
  ],
  [
    atCopy(1, 'the first publish'),
    // The next run's ReclaimDeadRuns copies first: this run dies while finishing the dead run's publish.
    atCopy(3, "the roll-forward of the dead run's publish"),
    after('ReclaimDeadRuns'),
    atCopy(3, "a re-run's own publish"),
    after('WriteManifest'),
    after('CommitWatermark'),
  ],
];

function filesUnder(out: string, dir: string): string[] {
  const root = path.join(out, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((p) => !p.split(path.sep).some((s) => s.startsWith('.')) && /\.(json|parquet)$/.test(p))
    .map((p) => path.join(root, p));
}

interface Lake {
  readonly rows: number;
  readonly distinct: number;
  readonly manifestRows?: number;
  readonly providerRows?: number | null;
  readonly publishing: boolean;
}

/** What a reader sees of the export now (the local query's view), and what the bucket says of the window. */
async function lake(out: string): Promise<Lake> {
  const manifests = filesUnder(out, `manifests/${EXPORT}`);
  const manifest = manifests[0]
    ? (JSON.parse(readFileSync(manifests[0], 'utf8')) as { records: { curated: number; provider: number | null } })
    : undefined;
  let rows = 0;
  let distinct = 0;
  if (filesUnder(out, `curated/${EXPORT}`).length > 0) {
    const db = await openCuratedDatabase(out);
    try {
      const reader = await db.connection.runAndReadAll(
        'SELECT count(*) AS n, count(DISTINCT marketoGUID) AS d FROM marketo_activities',
      );
      const row = reader.getRowObjectsJS()[0] as { n: bigint; d: bigint };
      rows = Number(row.n);
      distinct = Number(row.d);
    } finally {
      db.close();
    }
  }
  return {
    rows,
    distinct,
    ...(manifest ? { manifestRows: manifest.records.curated, providerRows: manifest.records.provider } : {}),
    publishing: filesUnder(out, `state/${EXPORT}/publish`).length > 0,
  };
}

const seen: string[] = [];
afterAll(() => console.log(`rows a reader saw after each kill:\n${seen.join('\n')}`));

describe.concurrent('SIGKILL at every step boundary and mid-publish', () => {
  it.each(CHAINS.map((chain, i) => [i + 1, chain] as const))(
    "chain %i: after each kill the day reads 0 rows or the manifest's count, or its begun publish is finished next; then a run converges",
    async (_n, chain) => {
      const out = path.join(work, `chain-${_n}`);
      const demo = ['demo', '--size-mb', '4', '--out', out];
      for (const kill of chain) {
        const before = await lake(out);
        const killed = await cliProcess(demo, { ...NO_CREDENTIALS, ...SPLITS, ...kill.env });
        expect(killed.signal, `${kill.name}: ${killed.stderr}`).toBe('SIGKILL');
        // The run before left a publish half done: this one finished it first (Plan, under the lease).
        if (before.publishing && kill.name !== 'after Plan' && !kill.name.includes('roll-forward'))
          expect(killed.stderr + killed.stdout, kill.name).toContain(
            'finished the publish of 1 window(s) a dead run began',
          );
        const now = await lake(out);
        seen.push(
          `  ${kill.name}: ${now.rows} rows${now.manifestRows !== undefined ? ` (manifest: ${now.manifestRows})` : ''}${now.publishing ? ', publish begun' : ''}`,
        );
        if (!now.publishing) expect(now.rows, kill.name).toBe(now.manifestRows ?? 0);
        // Killed before its first copy, a first publish has shown nothing yet.
        if (kill.env[KILL_ON_COPY_VARIABLE] === '1')
          expect(now, kill.name).toMatchObject({ rows: 0, publishing: true });
        expect(now.distinct, kill.name).toBe(now.rows);
      }
      const res = await cliProcess(demo, { ...NO_CREDENTIALS, ...SPLITS });
      expect(res.code, res.stderr).toBe(0);
      const done = await lake(out);
      expect(done.manifestRows).toBeGreaterThan(0);
      expect(done).toMatchObject({ rows: done.manifestRows, distinct: done.manifestRows, publishing: false });
      expect(done.providerRows).toBe(done.manifestRows);
      expect(filesUnder(out, `curated/${EXPORT}`)).toHaveLength(4);
      expect(filesUnder(out, 'staging')).toEqual([]);
      expect(filesUnder(out, `state/${EXPORT}/jobs`)).toEqual([]);
    },
  );
});
