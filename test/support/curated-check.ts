// The end-to-end promise of the curated layer, checked on a bucket a scenario left: the Parquet objects
// made from a raw file, read back by DuckDB in part order, equal the strict RFC-4180 parse of that file,
// field by field, typed by the export's dataset descriptor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CuratedColumn } from '../../lambdas/curated/curated-column';
import { tableLayout } from '../../lambdas/providers/descriptors';
import type { ExportDefinition } from '../../lambdas/shared/export-definition';
import type { TypedValue } from '../../lambdas/curated/typed-value';
import { ParquetReader, referenceRows } from '../lambdas/curated/curated-fixtures';
import { motoS3Client } from './moto';

export interface CuratedComparison {
  readonly parts: string[];
  readonly parquetRows: TypedValue[][];
  readonly rawRows: TypedValue[][];
}

/** The Parquet parts of `rawKey` (curated/…/<stem>[_n]-<part>.parquet), read back, and the strict parse of the raw file. */
export async function compareCuratedWithRaw(
  bucket: string,
  def: ExportDefinition,
  rawKey: string,
): Promise<CuratedComparison> {
  const layout = tableLayout(def);
  const columns: CuratedColumn[] = layout.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullTokens: layout.nullTokens,
  }));
  const s3 = motoS3Client();
  const fetch = async (key: string) =>
    Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  const partPrefix = `${rawKey.replace(/^raw\//, 'curated/').replace(/\.(csv|tsv|ssv)$/, '')}-`;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: partPrefix }));
  const parts = (listed.Contents ?? []).map((o) => o.Key!).sort();
  const dir = mkdtempSync(path.join(tmpdir(), 'curated-check-'));
  try {
    const local = await Promise.all(
      parts.map(async (key, i) => {
        const file = path.join(dir, `${i}.parquet`);
        writeFileSync(file, await fetch(key));
        return file;
      }),
    );
    const reader = await ParquetReader.open();
    return {
      parts,
      parquetRows: await reader.rows(local, columns),
      rawRows: referenceRows(await fetch(rawKey), layout.format, columns),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
