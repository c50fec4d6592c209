// A job's file is built as soon as the job starts processing, so it is usually ready (size and checksum
// known) when the processing time is over; cancelling the job aborts the build.
import { EntityGenerator } from './entity-generator';
import { poisonFor, type MarketoFaults } from './faults';
import { buildFileIndex, planGenerator, planRows, type VolumeTarget } from './file-index';
import type { InstanceTimeline } from './instance-timeline';
import type { JobRecord } from './job-record';
import type { RowSource } from './row-source';
import { withPoisonedFirstRow } from './poisoned-rows';

const DAY_MS = 86_400_000;

export interface JobFileSettings {
  readonly seed: number;
  readonly recordsPerDay: number;
  readonly bytesPerJob?: number;
  readonly checkpointBytes: number;
  readonly faults: MarketoFaults;
  /** The instance's timeline, which leads and activities files of whole slots follow. */
  readonly timeline?: InstanceTimeline;
}

/** Starts building the job's file: sets `indexing`, then `file` or `indexError` unless aborted first. */
export function startBuildingFile(job: JobRecord, settings: JobFileSettings): void {
  const { seed, recordsPerDay, bytesPerJob, checkpointBytes, faults, timeline } = settings;
  const { request } = job;
  const volume: VolumeTarget =
    bytesPerJob !== undefined
      ? { bytes: bytesPerJob }
      : { records: Math.round((recordsPerDay * (request.endMs - request.startMs)) / DAY_MS) };
  const includeNulByte = faults.includeNulByte === true;
  const planned: RowSource =
    'entity' in request
      ? planRows((spreadRows) => new EntityGenerator({ seed, request, includeNulByte, spreadRows, timeline }), volume)
      : planGenerator({ seed, request, includeNulByte, poison: poisonFor(faults, request.startMs), timeline }, volume);
  const generator = faults.poisonJobsStartingAt?.includes(request.startMs) ? withPoisonedFirstRow(planned) : planned;
  const abort = new AbortController();
  job.abort = abort;
  job.indexing = buildFileIndex(generator, volume, { checkpointBytes, signal: abort.signal }).then(
    (index) => {
      if (!abort.signal.aborted) job.file = { generator, index };
    },
    (error: unknown) => {
      if (!abort.signal.aborted)
        job.indexError = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
}
