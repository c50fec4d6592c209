// Object keys (docs/architecture.md, "Bucket layout"). Keys are a pure function of export + window
// (+ file index), so re-running a window overwrites its objects instead of adding duplicates. Only data
// files live under curated/<export>/ (Athena reads every object below a table's location).
import type { ExportWindow, RemoteFile } from '#providers/types';
import { toCompact, toPartitionDate } from '#shared/time';
import {
  checkpointsPrefix,
  BUCKET_PREFIXES,
  curatedPrefix,
  manifestsPrefix,
  rawPrefix,
  referenceTablePrefix,
  rejectsPrefix,
  statePrefix,
} from './bucket-layout';

export function windowStem(window: ExportWindow): string {
  return `${toCompact(window.start)}_${toCompact(window.end)}`;
}

/** A job with several files names them `_1`, `_2`…; a single file has no suffix. */
export function rawFileKey(
  exportName: string,
  window: ExportWindow,
  file: Pick<RemoteFile, 'index' | 'format'>,
  fileCount: number,
): string {
  const suffix = fileCount > 1 ? `_${file.index}` : '';
  return `${rawPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}${suffix}.${file.format}`;
}

/** Prefix shared by every raw object of one window (for aborting its pending uploads). */
export function rawWindowPrefix(exportName: string, window: ExportWindow): string {
  return `${rawPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}`;
}

/** A file's transfer checkpoints (transfer-checkpoint.ts), deleted once the file is complete. */
export function transferCheckpointPrefix(
  exportName: string,
  window: ExportWindow,
  file: Pick<RemoteFile, 'index'>,
  fileCount: number,
): string {
  const suffix = fileCount > 1 ? `_${file.index}` : '';
  return `${checkpointsPrefix(exportName)}${windowStem(window)}${suffix}/`;
}

/** How far a deferred CheckJob got (a count that pages), deleted by the check that uses it. */
export function checkJobProgressKey(exportName: string, window: ExportWindow): string {
  return `${checkpointsPrefix(exportName)}${windowStem(window)}.check-job.json`;
}

/** Prefix shared by every curated object of one window. */
export function curatedWindowPrefix(exportName: string, window: ExportWindow): string {
  return `${curatedPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}`;
}

/**
 * The Parquet object of one split of one raw file: `<window>[_<n>]-<part>.parquet` beside the raw
 * file's key, so a re-run replaces it and a window's objects share one prefix.
 */
export function curatedSplitKey(
  exportName: string,
  window: ExportWindow,
  file: Pick<RemoteFile, 'index'>,
  fileCount: number,
  splitIndex: number,
): string {
  return splitObjectKey(curatedWindowPrefix(exportName, window), file, fileCount, splitIndex);
}

/** `<window prefix>[_<n>]-<part>.parquet`: one split's object under any of the window's table prefixes. */
function splitObjectKey(
  windowPrefix: string,
  file: Pick<RemoteFile, 'index'>,
  fileCount: number,
  splitIndex: number,
): string {
  const suffix = fileCount > 1 ? `_${file.index}` : '';
  return `${windowPrefix}${suffix}-${String(splitIndex + 1).padStart(4, '0')}.parquet`;
}

/** Prefix shared by every rejects object of one window (in the `<export>_rejects` table). */
export function rejectsWindowPrefix(exportName: string, window: ExportWindow): string {
  return `${rejectsPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}`;
}

/**
 * The rejects object of one split: the values a `badValues: "null"` export wrote as NULL, under the
 * `<export>_rejects` table with the same stem as the split's Parquet object.
 */
export function curatedRejectsKey(
  exportName: string,
  window: ExportWindow,
  file: Pick<RemoteFile, 'index'>,
  fileCount: number,
  splitIndex: number,
): string {
  return splitObjectKey(rejectsWindowPrefix(exportName, window), file, fileCount, splitIndex);
}

/**
 * Every prefix a window's objects live under: its raw files, its Parquet objects and their rejects (the
 * `<export>_rejects` table's objects are part of the window: a re-run or an undo replaces them too).
 */
export function windowPrefixes(exportName: string, window: ExportWindow): string[] {
  return [
    rawWindowPrefix(exportName, window),
    curatedWindowPrefix(exportName, window),
    rejectsWindowPrefix(exportName, window),
  ];
}

/**
 * Where an object bound for a table's location is written first: the same key under staging/, so the
 * publish step knows where each staged object goes, and any curated key (a split, or a small side
 * table) stages the same way.
 */
export function stagedKey(key: string): string {
  return `${BUCKET_PREFIXES.staging}${key}`;
}

/** Prefixes of every staged object of one window: its Parquet objects and their rejects, not yet published. */
export function stagedWindowPrefixes(exportName: string, window: ExportWindow): string[] {
  return [stagedKey(curatedWindowPrefix(exportName, window)), stagedKey(rejectsWindowPrefix(exportName, window))];
}

/**
 * A reference table's object for one instance: `source` is the data's source (the API host, or
 * `simulator`), so every export of an instance writes the same object whatever secret it reads, and a
 * simulator's rows land beside a real instance's, never over them.
 */
export function referenceTableKey(table: string, source: string): string {
  return `${referenceTablePrefix(table)}${instanceStem(source)}.parquet`;
}

/** The manifest of a reference table's object for one instance (`manifests/<table>/<instance>.json`). */
export function referenceManifestKey(table: string, source: string): string {
  return `${manifestsPrefix(table)}${instanceStem(source)}.json`;
}

function instanceStem(source: string): string {
  return source.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_');
}

/** The window a key's stem names (`<start>_<end>`), for finding windows that overlap another. */
export function windowOfStem(stem: string): ExportWindow | undefined {
  const m = /^(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)$/.exec(stem);
  if (!m) return undefined;
  const iso = (c: string) =>
    `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}T${c.slice(9, 11)}:${c.slice(11, 13)}:${c.slice(13, 15)}Z`;
  return { start: iso(m[1]!), end: iso(m[2]!) };
}

export function manifestKey(exportName: string, window: ExportWindow): string {
  return `${manifestsPrefix(exportName)}${windowStem(window)}.json`;
}

export function watermarkKey(exportName: string): string {
  return `${statePrefix(exportName)}watermark.json`;
}

export function jobRecordsPrefix(exportName: string): string {
  return `${statePrefix(exportName)}jobs/`;
}

export function jobRecordKey(exportName: string, window: ExportWindow): string {
  return `${jobRecordsPrefix(exportName)}${windowStem(window)}.json`;
}

export function publishIntentsPrefix(exportName: string): string {
  return `${statePrefix(exportName)}publish/`;
}

/** The record of a publish in progress (publish-intent.ts): present only while a window is being published. */
export function publishIntentKey(exportName: string, window: ExportWindow): string {
  return `${publishIntentsPrefix(exportName)}${windowStem(window)}.json`;
}

export const CONTENT_TYPES: Record<RemoteFile['format'], string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  ssv: 'text/plain; charset=utf-8',
};
