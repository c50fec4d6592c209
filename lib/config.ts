// The deploy config: which exports exist and how the stack around them behaves. Read once by
// bin/app.ts; a bad file fails `cdk synth` with one message naming the export and the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ExportDefinitionSchema, type ExportDefinition } from '#shared/export-definition';
import { ValidationError } from '#shared/errors';
import { allDatasets, datasetDescriptor, exportMode, latestView, tableLayout } from '#providers/descriptors';
import { formatFieldPath, problemsOfError, type FieldProblem } from '#shared/validation';
import { tableNameProblems } from './config-names';
import { referenceTableProblems } from './config-references';
import { scheduleExpressionProblem } from './schedule-expression';

export const DEFAULT_CONFIG_PATH = 'config/pipeline.json';

const DATASET_NAMES = [...new Set(allDatasets().map((d) => d.dataset.name))] as [string, ...string[]];

// The config names datasets from the descriptors (so editors offer them); which provider has which
// dataset is checked with the request below, naming the export.
const ConfigExportSchema = ExportDefinitionSchema.extend({
  dataset: z.enum(DATASET_NAMES).default('activities').describe("One of the provider's datasets."),
});

export const PipelineConfigSchema = z
  .object({
    /** Lets editors find pipeline.schema.json; ignored by the app. */
    $schema: z.string().optional(),
    /** `source` of the completion events on the pipeline's bus. */
    eventSource: z
      .string()
      .min(1)
      .max(256)
      .refine((source) => !source.startsWith('aws.'), 'must not start with "aws." (reserved for AWS services)')
      .default('bulk-export')
      .describe('`source` of the Export Succeeded / Export Failed events on the pipeline bus.'),
    /** Keep the data and access-log buckets when the stack is deleted; false empties and deletes them. */
    retainData: z
      .boolean()
      .default(true)
      .describe('Keep the data and log buckets when the stack is deleted (false: empty and delete them).'),
    /** Where alarm notifications go; without it the alarms exist but notify nobody. */
    alarmEmail: z.email().optional().describe('E-mail address subscribed to the alarm topic.'),
    /** Athena bills per byte scanned: a query of the workgroup that would read more is cancelled. */
    queryScanLimitGb: z
      .number()
      .min(0.01)
      .max(1_000_000)
      .default(10)
      .describe('Largest scan (GB) one Athena query of the workgroup may make.'),
    /** The parts with a fixed monthly cost that a deployment can do without (README: What it costs). */
    optionalParts: z
      .object({
        dashboard: z.boolean().default(true).describe('The CloudWatch dashboard (runs, alarms, a section per export).'),
        functionAlarms: z
          .boolean()
          .default(true)
          .describe(
            "Each function's errors and throttles alarms, and TransferChunk's near-timeout alarm (the run, schedule, freshness and quota alarms stay).",
          ),
        eventArchiveDays: z
          .number()
          .int()
          .min(0)
          .max(3650)
          .default(90)
          .describe('Days the completion events stay replayable in the event archive; 0: no archive.'),
      })
      .strict()
      .default({ dashboard: true, functionAlarms: true, eventArchiveDays: 90 })
      .describe('Parts with a fixed monthly cost that can be turned off.'),
    exports: z
      .array(ConfigExportSchema)
      .min(1, 'declare at least one export')
      .describe('The exports this pipeline runs; names must be unique.'),
  })
  .strict();

export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

/** A config that cannot be deployed; the message is meant to be read as is. */
export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
}

/**
 * config/pipeline.schema.json: JSON Schema (draft 2020-12) of the file a user writes, for editors.
 * `io: 'input'` because users may leave out whatever has a default.
 */
export function renderPipelineConfigSchema(): string {
  const schema = z.toJSONSchema(PipelineConfigSchema, { io: 'input', target: 'draft-2020-12' });
  const titled = {
    ...schema,
    title: 'Bulk export pipeline config',
    description: 'Generated from lib/config.ts by config/write-schema.ts: do not edit.',
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

/** Reads and validates a config file; `path` is also how errors name the file. */
export function loadPipelineConfig(path: string): PipelineConfig {
  let text: string;
  try {
    // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse would call it an unexpected token.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new PipelineConfigError(`${path}: cannot read the config file (${errorMessage(error)})`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PipelineConfigError(`${path}: not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  return parsePipelineConfig(raw, path);
}

/** Validates an already-parsed config; `source` names it in error messages. */
export function parsePipelineConfig(raw: unknown, source: string): PipelineConfig {
  const parsed = PipelineConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsOfError(parsed.error).map((problem) => describeProblem(problem, raw));
    throw new PipelineConfigError(formatProblems(source, problems));
  }
  const config = parsed.data;
  const problems = [
    ...duplicateNameProblems(config.exports),
    ...scheduleProblems(config.exports),
    ...requestProblems(config.exports),
  ];
  if (problems.length === 0) problems.push(...modeProblems(config.exports));
  if (problems.length === 0) problems.push(...referenceTableProblems(config.exports));
  if (problems.length === 0) problems.push(...tableNameProblems(config.exports));
  if (problems.length > 0) throw new PipelineConfigError(formatProblems(source, problems));
  return config;
}

function formatProblems(source: string, problems: readonly string[]): string {
  return problems.map((problem) => `${source}: ${problem}`).join('\n');
}

function duplicateNameProblems(exports: readonly ExportDefinition[]): string[] {
  const firstIndex = new Map<string, number>();
  const problems: string[] = [];
  exports.forEach((definition, index) => {
    const earlier = firstIndex.get(definition.name);
    if (earlier === undefined) firstIndex.set(definition.name, index);
    else
      problems.push(`${exportLabel(index, definition.name)}: name: duplicate export name (also exports[${earlier}])`);
  });
  return problems;
}

// Scheduler would reject these only at deploy time, after minutes of CloudFormation work.
function scheduleProblems(exports: readonly ExportDefinition[]): string[] {
  const problems: string[] = [];
  exports.forEach((definition, index) => {
    const schedule = definition.schedule;
    if (!schedule) return;
    const label = exportLabel(index, definition.name);
    const problem = scheduleExpressionProblem(schedule.expression);
    if (problem) problems.push(`${label}: schedule.expression: ${problem}`);
    if (!isKnownTimeZone(schedule.timezone)) {
      problems.push(
        `${label}: schedule.timezone: unknown time zone ${JSON.stringify(schedule.timezone)} (use an IANA name such as "Europe/Berlin")`,
      );
    }
  });
  return problems;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function requestProblems(exports: readonly ExportDefinition[]): string[] {
  const problems: string[] = [];
  exports.forEach((definition, index) => {
    try {
      datasetDescriptor(definition);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(`${exportLabel(index, definition.name)}: ${error.message}`);
      return;
    }

    try {
      // Also runs the dataset's own validator: one call proves both the request and its table.
      tableLayout(definition);
    } catch (error) {
      const label = exportLabel(index, definition.name);
      if (error instanceof ValidationError) {
        const prefix = `${error.field}: `;
        const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
        problems.push(`${label}: request.${error.field}: ${message}`);
      } else {
        problems.push(`${label}: request: ${errorMessage(error)}`);
      }
    }
  });
  return problems;
}

// After the request is known good: whether it runs in the declared mode, and exports what its latest
// view needs.
function modeProblems(exports: readonly ExportDefinition[]): string[] {
  const problems: string[] = [];
  exports.forEach((definition, index) => {
    try {
      exportMode(definition);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(`${exportLabel(index, definition.name)}: ${error.message}`);
      return;
    }
    try {
      latestView(definition);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(`${exportLabel(index, definition.name)}: request.${error.message}`);
    }
  });
  return problems;
}

function describeProblem(problem: FieldProblem, raw: unknown): string {
  const { path, message } = problem;
  if (path[0] === 'exports' && typeof path[1] === 'number') {
    const index = path[1];
    const label = exportLabel(index, rawExportName(raw, index));
    const field = formatFieldPath(path.slice(2));
    return field ? `${label}: ${field}: ${message}` : `${label}: ${message}`;
  }
  const field = formatFieldPath(path);
  return field ? `${field}: ${message}` : message;
}

function exportLabel(index: number, name: string | undefined): string {
  return name === undefined ? `exports[${index}]` : `exports[${index}] ${JSON.stringify(name)}`;
}

/** The export's name as written, even when the rest of the entry is invalid. */
function rawExportName(raw: unknown, index: number): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const exports = (raw as { exports?: unknown }).exports;
  if (!Array.isArray(exports)) return undefined;
  const entry: unknown = exports[index];
  if (typeof entry !== 'object' || entry === null) return undefined;
  const name = (entry as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
