// A WorkflowRuntime made of the fake provider, the memory store and a manual clock: each step runs
// in-process, with every side effect observable (store calls, provider calls, logs, progress).
import type { ExportWindow } from '../../../../../lambdas/providers/types';
import type { Clock } from '../../../../../lambdas/shared/clock';
import {
  ExportDefinitionSchema,
  type ExportDefinition,
  type ExportDefinitionInput,
} from '../../../../../lambdas/shared/export-definition';
import { memoryLogger } from '../../../../support/memory-logger';
import { memoryMetrics } from '../../../../support/memory-metrics';
import { exportCatalog } from '../../../../../lambdas/shared/export-catalog';
import type { TransferTuning } from '../../../../../lambdas/transfer/transfer-file';
import { jobRecordKey } from '../../../../../lambdas/window/keys';
import { createRuntime, type StepEvent, type WorkflowRuntime } from '../../../../../lambdas/workflow/runtime';
import { FakeProvider, type FakeProviderOptions } from '../../../../support/fake-provider';
import { MemoryObjectStore } from '../../../../support/memory-object-store';

export const NOW = '2026-01-03T05:00:00Z';
export const DAY1: ExportWindow = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
export const DAY2: ExportWindow = { start: '2026-01-02T00:00:00Z', end: '2026-01-03T00:00:00Z' };
export const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:export:run-1';

export function exportDefinition(change: Partial<ExportDefinitionInput> = {}): ExportDefinition {
  return ExportDefinitionSchema.parse({
    name: 'acts',
    provider: 'marketo',
    secretName: 'acts/connection',
    window: { firstStart: '2026-01-01' },
    ...change,
  });
}

export class ManualClock implements Clock {
  private ms: number;
  constructor(start: string) {
    this.ms = Date.parse(start);
  }
  now(): Date {
    return new Date(this.ms);
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface StepWorld {
  readonly rt: WorkflowRuntime;
  readonly store: MemoryObjectStore;
  readonly provider: FakeProvider;
  readonly clock: ManualClock;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** What the steps emitted (flush() to read a step's lines, as stepHandler does after each invocation). */
  readonly metrics: ReturnType<typeof memoryMetrics>;
  readonly progress: StepEvent[];
  /** Adds (or replaces) an export of the deployment and returns its name, for a run's input. */
  readonly define: (def: ExportDefinition) => string;
}

export interface StepWorldOptions {
  readonly provider?: FakeProviderOptions;
  readonly now?: string;
  /** rt.provider() rejects with this (the secret could not be read, say). */
  readonly providerFails?: Error;
  readonly chunkBudgetMs?: number;
  readonly transferTuning?: TransferTuning;
  /** The deployment's exports (default: `exportDefinition()`). */
  readonly exports?: readonly ExportDefinition[];
}

export function stepWorld(options: StepWorldOptions = {}): StepWorld {
  const clock = new ManualClock(options.now ?? NOW);
  const store = new MemoryObjectStore('test-bucket');
  const provider = new FakeProvider({ now: () => clock.now(), ...options.provider });
  const logger = memoryLogger();
  const metrics = memoryMetrics();
  const progress: StepEvent[] = [];
  const defined = new Map((options.exports ?? [exportDefinition()]).map((d) => [d.name, d]));
  const rt: WorkflowRuntime = createRuntime({
    exports: {
      get names() {
        return [...defined.keys()];
      },
      definition: (name) => exportCatalog([...defined.values()]).definition(name),
    },
    store,
    uri: (key) => `memory://test-bucket/${key}`,
    provider: async () => {
      if (options.providerFails) throw options.providerFails;
      return provider;
    },
    clock,
    logger,
    metrics,
    tuning: {
      chunkBudgetMs: options.chunkBudgetMs ?? 600_000,
      ...(options.transferTuning ? { transfer: options.transferTuning } : {}),
    },
    subscribers: [(event) => void progress.push(event)],
  });
  const define = (def: ExportDefinition): string => {
    defined.set(def.name, def);
    return def.name;
  };
  return { rt, store, provider, clock, logger, metrics, progress, define };
}

/** A job record as StartJob writes it (seeded: the step under test did not write it). */
export function seedJobRecord(
  world: StepWorld,
  window: ExportWindow,
  job: { id: string; enqueued?: boolean },
  extra: { savedAt?: string; executionId?: string } = {},
): void {
  const record = {
    job,
    window,
    savedAt: extra.savedAt ?? world.clock.now().toISOString(),
    ...(extra.executionId ? { executionId: extra.executionId } : {}),
  };
  world.store.seed(jobRecordKey('acts', window), JSON.stringify(record), 'application/json');
}
