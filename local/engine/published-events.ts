// EventBridge PutEvents tasks, run locally: the entries become PublishedEvents (redacted, like every log
// line), handed to the caller and appended to a JSON-lines file that `history` reads.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { redactDeep } from '#shared/redact';
import type { PublishedEvent } from './local-run-types';

const EntriesSchemaGuard = (
  v: unknown,
): v is { Entries: { Detail: unknown; DetailType: string; Source: string; EventBusName: string }[] } =>
  typeof v === 'object' && v !== null && Array.isArray((v as { Entries?: unknown }).Entries);

export interface EventSink {
  readonly events: PublishedEvent[];
  readonly onEvent?: (event: PublishedEvent) => void;
  /** Where published events are appended as JSON lines. */
  readonly eventsFile?: string;
}

/** Runs the PutEvents task `name` locally: every entry is published to `sink`; none fails. */
export async function putEvents(name: string, input: unknown, sink: EventSink): Promise<unknown> {
  if (!EntriesSchemaGuard(input)) throw new Error(`${name}: unexpected PutEvents input`);
  for (const entry of input.Entries) {
    const event: PublishedEvent = redactDeep({
      time: new Date().toISOString(),
      source: entry.Source,
      detailType: entry.DetailType,
      eventBusName: entry.EventBusName,
      detail: entry.Detail,
    });
    sink.events.push(event);
    sink.onEvent?.(event);
    if (sink.eventsFile) {
      await mkdir(path.dirname(sink.eventsFile), { recursive: true });
      await appendFile(sink.eventsFile, `${JSON.stringify(event)}\n`);
    }
  }
  return { Entries: input.Entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
}
