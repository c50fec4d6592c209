// Object keys (docs/architecture.md, "Bucket layout"). Keys are a pure function of export + window
// (+ file index), so re-running a window overwrites its objects instead of adding duplicates. Only data
// files live under raw/<export>/ (Athena reads every object below a table's location).
import type { ExportWindow, RemoteFile } from '../providers/types';
import { BUCKET_PREFIXES } from '../shared/bucket-layout';
import { toCompact, toPartitionDate } from './time';

export function windowStem(window: ExportWindow): string {
  return `${toCompact(window.start)}_${toCompact(window.end)}`;
}

export function rawPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.raw}${exportName}/`;
}

/** A job with several files names them `_1`, `_2`…; a single file has no suffix. */
export function rawFileKey(exportName: string, window: ExportWindow, file: Pick<RemoteFile, 'index' | 'format'>, fileCount: number): string {
  const suffix = fileCount > 1 ? `_${file.index}` : '';
  return `${rawPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}${suffix}.${file.format}`;
}

/** Prefix shared by every raw object of one window (for aborting its pending uploads). */
export function rawWindowPrefix(exportName: string, window: ExportWindow): string {
  return `${rawPrefix(exportName)}dt=${toPartitionDate(window.start)}/${windowStem(window)}`;
}

export function manifestKey(exportName: string, window: ExportWindow): string {
  return `${BUCKET_PREFIXES.manifests}${exportName}/${windowStem(window)}.json`;
}

export function watermarkKey(exportName: string): string {
  return `${BUCKET_PREFIXES.state}${exportName}/watermark.json`;
}

export function jobRecordKey(exportName: string, window: ExportWindow): string {
  return `${BUCKET_PREFIXES.state}${exportName}/jobs/${windowStem(window)}.json`;
}

export const CONTENT_TYPES: Record<RemoteFile['format'], string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  ssv: 'text/plain; charset=utf-8',
};
