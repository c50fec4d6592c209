// What each CLI command does. Errors a user can fix are printed as one line and exit non-zero;
// an export that fails prints its summary (what failed, what was cleaned up) and exits 1.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { listExportFields } from '../../lambdas/providers/clickwrap';
import { PipelineError, ValidationError } from '../../lambdas/shared/errors';
import { providerDescriptor } from '../../lambdas/providers/descriptors';
import { planWindows } from '../../lambdas/workflow/windows';
import { GRAIN_EXAMPLES, isOnGrainBoundary } from '../../lambdas/shared/grain';
import { silentLogger } from '../../lambdas/shared/logger';
import { earliestWindowStart, type ExportDefinition } from '../../lambdas/shared/export-definition';
import { ScaledSleepClock, systemClock } from '../../lambdas/shared/clock';
import { loadPipelineConfig, PipelineConfigError, type PipelineConfig } from '../../lib/config';
import { fileLogger } from '../file-logger';
import { credentialsFromEnv, SIMULATOR_SLEEP_SCALE, type StoreTarget } from '../local-runtime';
import { MissingCuratedDataError } from '../query/curated-views';
import { renderTable } from '../query/render-table';
import { QueryFailedError, runLocalQuery } from '../query/run-query';
import { runExport, UnknownExportError } from '../run-export';
import { startSimulatorFor } from '../simulators/start-simulator';
import { executionHistory, renderWindowProgress, windowProgress } from './execution-progress';
import { draftExportDefinition, marketoFieldsOf, renderMarketoFields } from './marketo-fields';
import { createProgressReporter, formatBytes } from './progress';
import { deployedRunHistory, localRunHistory, renderHistory } from './run-history';
import { interruptOnSignals } from './interrupt';
import { renderParked, renderSummary } from './summary';
import { parseWaitDuration } from './wait-duration';
import { redact } from '../../lambdas/shared/redact';
import { tableNameOf } from '../../lambdas/window/table-names';

const DEMO_EXPORT = 'marketo-activities';
const DEFAULT_MAX_WAIT = '5m';
const DEFAULT_CONFIG = 'config/pipeline.json';
const DEFAULT_EVENTS = '.local-state/events.jsonl';

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const RunOptionsSchema = z.object({
  exportName: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  out: z.string().optional(),
  bucket: z.string().optional(),
  config: z.string(),
  simulator: z.boolean().optional(),
  simulatorIntoBucket: z.boolean().optional(),
  events: z.string(),
  maxWait: z.string().default(DEFAULT_MAX_WAIT),
  verbose: z.boolean().optional(),
  simulatorBytesPerSecond: z.number().int().positive().optional(),
});

const DemoOptionsSchema = z.object({
  out: z.string(),
  sizeMb: z.number().int().positive(),
  maxWait: z.string().default(DEFAULT_MAX_WAIT),
  verbose: z.boolean().optional(),
  simulatorBytesPerSecond: z.number().int().positive().optional(),
});

/** A local run stopped before a wait longer than --max-wait: its job is recorded for the next run. */
export const EXIT_PARKED = 75;

function loadConfig(file: string): PipelineConfig {
  return loadPipelineConfig(file);
}

/** The export, and an explicit range checked against its grain, before anything runs. */
function exportFor(config: PipelineConfig, configFile: string, name: string, range: { from?: string | undefined; to?: string | undefined }) {
  const def = config.exports.find((e) => e.name === name);
  if (!def) throw new UsageError(`no export named "${name}" in ${configFile} (known: ${config.exports.map((e) => e.name).join(', ')})`);
  if ((range.from === undefined) !== (range.to === undefined)) throw new UsageError('--from and --to go together');
  const earliest = earliestWindowStart(def);
  if (range.from !== undefined && Date.parse(range.from) < Date.parse(earliest)) {
    throw new UsageError(`--from ${range.from} is before export "${name}"'s earliest window (${earliest}); set window.backfillFrom in the config to reach further back`);
  }
  for (const [flag, value] of [['--from', range.from], ['--to', range.to]] as const) {
    if (value !== undefined && !isOnGrainBoundary(value, def.window.grain)) {
      throw new UsageError(`${flag} ${value} is not on a ${def.window.grain} boundary of export "${name}" (${GRAIN_EXAMPLES[def.window.grain]})`);
    }
  }
  if (range.from !== undefined && range.to !== undefined) {
    if (Date.parse(range.from) >= Date.parse(range.to)) throw new UsageError(`--from ${range.from} must be before --to ${range.to}`);
    if (Date.parse(range.to) > Date.now()) throw new UsageError(`--to ${range.to} is in the future: only complete windows can be exported`);
    try {
      planWindows({ grain: def.window.grain, maxSpanDays: providerDescriptor(def.provider).limits.maxWindowDays, explicit: { from: range.from, to: range.to }, now: new Date(), lagMinutes: 0 });
    } catch (err) {
      if (err instanceof ValidationError) throw new UsageError(`--${err.field === 'to' || err.field === 'from' ? err.field : 'from/--to'}: ${err.message.replace(/^[^:]+: /, '')}`);
      throw err;
    }
  }
  return def;
}

/** Where a run writes must be usable before anything runs: a directory to write into, a file to append to, a region. */
function checkRunTargets(opts: { out?: string | undefined; bucket?: string | undefined; events: string }): void {
  if (!opts.bucket && opts.out !== undefined && existsSync(opts.out) && !statSync(opts.out).isDirectory()) {
    throw new UsageError(`--out ${opts.out} is a file, not a directory`);
  }
  if (existsSync(opts.events) && statSync(opts.events).isDirectory()) throw new UsageError(`--events ${opts.events} is a directory, not a file to append to`);
  if (opts.bucket && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION && !existsSync(path.join(homedir(), '.aws', 'config'))) {
    throw new UsageError('--bucket needs an AWS region: set AWS_REGION (or configure a profile)');
  }
}

function logFileFor(): string {
  return path.resolve('.local-state', 'logs', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
}

async function runCommand(raw: unknown): Promise<number> {
  const opts = RunOptionsSchema.parse(raw);
  const config = loadConfig(opts.config);
  const def = exportFor(config, opts.config, opts.exportName, opts);
  checkRunTargets(opts);
  // Never a silent simulator: without credentials a run of a real export is refused, not faked.
  if (!opts.simulator && !credentialsFromEnv(def.provider)) {
    const variables = providerDescriptor(def.provider).credentials.envVariables.join(', ');
    throw new UsageError(`no ${def.provider} credentials in the environment (${variables}); pass --simulator to run against the bundled simulator`);
  }
  if (opts.simulator && opts.bucket && !opts.simulatorIntoBucket) {
    throw new UsageError(`--simulator would write the simulator's made-up data into bucket ${opts.bucket}; add --simulator-into-bucket if that is what you want`);
  }
  const store: StoreTarget = opts.bucket ? { kind: 's3', bucket: opts.bucket } : { kind: 'dir', dir: opts.out ?? 'exports' };
  const resume = [
    'run',
    opts.exportName,
    ...(opts.from && opts.to ? ['--from', opts.from, '--to', opts.to] : []),
    ...(opts.bucket ? ['--bucket', opts.bucket] : ['--out', opts.out ?? 'exports']),
    ...(opts.config !== DEFAULT_CONFIG ? ['--config', opts.config] : []),
    ...(opts.simulator ? ['--simulator'] : []),
    ...(opts.simulatorIntoBucket ? ['--simulator-into-bucket'] : []),
    ...(opts.events !== DEFAULT_EVENTS ? ['--events', opts.events] : []),
    '--max-wait',
    opts.maxWait,
  ];
  const slow = opts.simulator && opts.simulatorBytesPerSecond ? { simulatorSettings: { slowBytesPerSecond: opts.simulatorBytesPerSecond } } : {};
  return execute(config, opts.exportName, { ...opts, store, source: opts.simulator ? 'simulator' : 'auto', maxWait: opts.maxWait, resume, ...slow });
}

async function demoCommand(raw: unknown): Promise<number> {
  const opts = DemoOptionsSchema.parse(raw);
  const config = loadConfig('config/pipeline.json');
  // Yesterday (UTC), one day: a complete window the simulator fills with opts.sizeMb of activity.
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const from = new Date(today.getTime() - 86_400_000).toISOString().replace('.000Z', 'Z');
  const to = today.toISOString().replace('.000Z', 'Z');
  process.stderr.write(
    `Demo: export "${DEMO_EXPORT}" for ${from} → ${to} from the bundled Marketo simulator (${opts.sizeMb} MiB of activity) into ${path.resolve(opts.out)}/\n`,
  );
  const code = await execute(config, DEMO_EXPORT, {
    from,
    to,
    store: { kind: 'dir', dir: opts.out },
    source: 'simulator',
    events: DEFAULT_EVENTS,
    maxWait: opts.maxWait,
    resume: ['demo', '--out', opts.out, '--size-mb', String(opts.sizeMb), '--max-wait', opts.maxWait],
    ...(opts.verbose ? { verbose: true } : {}),
    simulatorSettings: { marketo: { bytesPerJob: opts.sizeMb * 1024 * 1024 }, ...(opts.simulatorBytesPerSecond ? { slowBytesPerSecond: opts.simulatorBytesPerSecond } : {}) },
    // Small chunks so the demo shows the cursor crossing invocations, as a multi-GiB file does on Lambda.
    maxChunkBytes: Math.max(8, Math.ceil(opts.sizeMb / 4)) * 1024 * 1024,
  });
  if (code !== 0) return code;
  // The data as a user reads it: the same SQL as on Athena, over the curated Parquet just written.
  const sql = `SELECT t.name AS activity_type, count(*) AS records FROM ${tableNameOf(DEMO_EXPORT)} a JOIN activity_types t ON t.id = a.activitytypeid WHERE a.dt = '${from.slice(0, 10)}' GROUP BY 1 ORDER BY 2 DESC, 1`;
  process.stdout.write(`\nRecords per activity type (npm start -- query "${sql}"):\n${renderTable(await runLocalQuery(opts.out, sql))}\n`);
  return 0;
}

async function execute(
  config: PipelineConfig,
  exportName: string,
  o: {
    from?: string | undefined;
    to?: string | undefined;
    store: StoreTarget;
    source: 'auto' | 'simulator';
    events: string;
    /** --max-wait as the user wrote it. */
    maxWait: string;
    /** The arguments that run the same thing again (printed when the run stops before a long wait). */
    resume: readonly string[];
    verbose?: boolean | undefined;
    simulatorSettings?: Parameters<typeof runExport>[0]['simulator'];
    maxChunkBytes?: number;
  },
): Promise<number> {
  const maxWaitSeconds = parseWaitDuration(o.maxWait);
  if (maxWaitSeconds === undefined) throw new UsageError(`--max-wait "${o.maxWait}" is not a duration such as 90s, 5m, 2h or 1d`);
  const logFile = logFileFor();
  const progress = createProgressReporter();
  const started = Date.now();
  const interrupt = interruptOnSignals((text) => progress.line(text));
  const result = await runExport({
    config,
    exportName,
    ...(o.from && o.to ? { from: o.from, to: o.to } : {}),
    store: o.store,
    source: o.source,
    logger: fileLogger(logFile, Boolean(o.verbose)),
    eventsFile: o.events,
    onProgress: (e) => progress.onProgress(e),
    onEvent: (e) => progress.line(`• Event "${e.detailType}" published (source ${e.source})`),
    ...(o.simulatorSettings ? { simulator: o.simulatorSettings } : {}),
    ...(o.maxChunkBytes ? { transferTuning: { maxBytesPerInvocation: o.maxChunkBytes } } : {}),
    maxWaitSeconds,
    signal: interrupt.signal,
  }).finally(() => interrupt.dispose());
  progress.stop();
  const where = o.store.kind === 's3' ? `s3://${o.store.bucket}/` : `${path.resolve(o.store.dir)}/`;
  if (result.status === 'PARKED' && result.parked) {
    process.stdout.write(`${renderParked(result.parked, { exportName, maxWait: o.maxWait, resume: o.resume, where, simulator: result.source === 'simulator' })}\n`);
    return EXIT_PARKED;
  }
  process.stdout.write(`${renderSummary(result, { seconds: (Date.now() - started) / 1000, where, eventsFile: path.resolve(o.events), logFile })}\n`);
  if (result.status === 'ABORTED') return interrupt.exitCode() ?? 130;
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

async function fieldsCommand(raw: unknown): Promise<number> {
  const opts = z.object({ exportName: z.string().optional(), config: z.string(), site: z.string().min(1).optional(), simulator: z.boolean().optional() }).parse(raw);
  if (opts.site === undefined) {
    if (opts.exportName === undefined) throw new UsageError('fields needs a Marketo export name (fields <export>) or a Clickwrap site (fields --site <id>)');
    const def = draftExportDefinition(opts.config, opts.exportName);
    if (!def) throw new UsageError(`no export named "${opts.exportName}" in ${opts.config}`);
    if (def.provider !== 'marketo') throw new UsageError(`export "${def.name}" is a ${def.provider} export: list its fields with fields --site <id>`);
    return marketoFieldsCommand(def, Boolean(opts.simulator));
  }
  const env = opts.simulator ? undefined : credentialsFromEnv('clickwrap');
  const sim = env ? undefined : await startSimulatorFor('clickwrap', {});
  try {
    const credentials = (env ?? sim!.credentials) as Parameters<typeof listExportFields>[0];
    const fields = await listExportFields(credentials, opts.site, { clock: sim ? new ScaledSleepClock(systemClock, SIMULATOR_SLEEP_SCALE) : systemClock, logger: silentLogger });
    if (sim) process.stderr.write('(from the bundled simulator, whose one site is 5193: set CLICKWRAP_API_TOKEN to ask your account)\n');
    for (const f of fields) process.stdout.write(`${JSON.stringify(f)}\n`);
    return 0;
  } finally {
    await sim?.stop();
  }
}

async function marketoFieldsCommand(def: ExportDefinition, simulator: boolean): Promise<number> {
  const env = simulator ? undefined : credentialsFromEnv('marketo');
  const sim = env ? undefined : await startSimulatorFor('marketo', {});
  try {
    const credentials = env ?? sim!.credentials;
    const fields = await marketoFieldsOf(def, credentials, { clock: sim ? new ScaledSleepClock(systemClock, SIMULATOR_SLEEP_SCALE) : systemClock, logger: silentLogger });
    if (sim) process.stderr.write('(from the bundled simulator: set MARKETO_BASE_URL, MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET to ask your instance)\n');
    process.stdout.write(renderMarketoFields(def.dataset, fields));
    return 0;
  } finally {
    await sim?.stop();
  }
}

async function startCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({ exportName: z.string(), stateMachineArn: z.string(), from: z.string().optional(), to: z.string().optional(), config: z.string() })
    .parse(raw);
  const config = loadConfig(opts.config);
  const def = exportFor(config, opts.config, opts.exportName, opts);
  const input = { export: def.name, ...(opts.from && opts.to ? { from: opts.from, to: opts.to } : {}) };
  const res = await new SFNClient({}).send(new StartExecutionCommand({ stateMachineArn: opts.stateMachineArn, input: JSON.stringify(input) }));
  process.stdout.write(`${res.executionArn}\n`);
  return 0;
}

async function statusCommand(raw: unknown): Promise<number> {
  const { executionArn } = z.object({ executionArn: z.string() }).parse(raw);
  const sfn = new SFNClient({});
  const res = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  process.stdout.write(`${res.status ?? 'UNKNOWN'}  started ${res.startDate?.toISOString() ?? '-'}  stopped ${res.stopDate?.toISOString() ?? '-'}\n`);
  if (res.output) {
    const detail = JSON.parse(res.output) as { files?: { uri: string; bytes: number }[] };
    for (const f of detail.files ?? []) process.stdout.write(`  ${f.uri}  ${formatBytes(f.bytes)}\n`);
  }
  if (res.error) process.stdout.write(redact(`  ${res.error}: ${res.cause ?? ''}\n`));
  // Where each window is: only a running execution needs it, a finished one said it above.
  if (res.status === 'RUNNING') {
    const windows = windowProgress(await executionHistory(sfn, executionArn));
    if (windows.length > 0) process.stdout.write(`${renderWindowProgress(windows).join('\n')}\n`);
  }
  return res.status === 'FAILED' || res.status === 'TIMED_OUT' || res.status === 'ABORTED' ? 1 : 0;
}

async function queryCommand(raw: unknown): Promise<number> {
  const opts = z.object({ sql: z.string(), out: z.string(), config: z.string() }).parse(raw);
  if (opts.sql.trim() === '') throw new UsageError('query needs SQL, e.g. query "SELECT count(*) FROM marketo_activities"');
  // The config names the exports' latest views; the tables themselves need only the output directory.
  const exports = existsSync(opts.config) ? loadConfig(opts.config).exports : [];
  try {
    process.stdout.write(renderTable(await runLocalQuery(opts.out, opts.sql, exports)));
  } catch (err) {
    // The user's SQL or directory: a usage error (one line, exit 2), not a crash.
    if (err instanceof QueryFailedError || err instanceof MissingCuratedDataError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}

async function historyCommand(raw: unknown): Promise<number> {
  const opts = z
    .object({ exportName: z.string().optional(), stateMachineArn: z.string().optional(), events: z.string(), limit: z.number().int().positive() })
    .parse(raw);
  const filter = { ...(opts.exportName ? { export: opts.exportName } : {}), limit: opts.limit };
  const runs = opts.stateMachineArn ? await deployedRunHistory(new SFNClient({}), opts.stateMachineArn, filter) : await localRunHistory(path.resolve(opts.events), filter);
  process.stdout.write(`${renderHistory(runs)}\n`);
  return 0;
}

const COMMANDS = { run: runCommand, demo: demoCommand, fields: fieldsCommand, start: startCommand, status: statusCommand, query: queryCommand, history: historyCommand } as const;

export async function runCli(command: keyof typeof COMMANDS, opts: unknown): Promise<void> {
  try {
    process.exitCode = await COMMANDS[command](opts);
  } catch (err) {
    // One line a person can act on; the stack only with --verbose.
    const known = err instanceof UsageError || err instanceof PipelineConfigError || err instanceof UnknownExportError || err instanceof PipelineError;
    const message = err instanceof Error ? `${known ? '' : `${err.name}: `}${err.message}` : String(err);
    process.stderr.write(redact(`error: ${message.split('\n')[0]}\n`));
    if ((opts as { verbose?: boolean }).verbose && err instanceof Error && err.stack) process.stderr.write(redact(`${err.stack}\n`));
    process.exitCode = 2;
  }
}
