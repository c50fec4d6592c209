// What a reader of the lake sees in a local store directory: per day partition, the Parquet objects a
// table would read (hidden and `_` names skipped, as Athena does) and their row count, and the windows'
// manifests. Row counts come from each file's footer, cached by path, size and mtime.
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { curatedPrefix, manifestsPrefix } from '#window/bucket-layout';
import { manifestKey, publishIntentsPrefix } from '#window/keys';
import { parseManifest, type Manifest } from '#window/manifest';
import { PublishIntentSchema } from '#window/publish-intent';

export interface PartitionView {
  readonly dt: string;
  /** File names, sizes and mtimes: two equal listings mean nothing moved in between. */
  readonly listing: string;
  readonly rows: number;
  readonly files: readonly string[];
}

export class LakeReader {
  private readonly rowCache = new Map<string, number>();

  private constructor(
    readonly root: string,
    private readonly connection: DuckDBConnection,
    private readonly close: () => void,
  ) {}

  static async open(root: string): Promise<LakeReader> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    return new LakeReader(root, connection, () => {
      connection.closeSync();
      instance.closeSync();
    });
  }

  dispose(): void {
    this.close();
  }

  /** Every day partition of the export's table with what a query would count there now. */
  async partitions(exportName: string): Promise<PartitionView[]> {
    const table = path.join(this.root, curatedPrefix(exportName));
    const views: PartitionView[] = [];
    for (const dir of (await entries(table)).filter((d) => d.startsWith('dt='))) {
      const files: string[] = [];
      const listing: string[] = [];
      let rows = 0;
      for (const name of (await entries(path.join(table, dir))).sort()) {
        if (name.startsWith('.') || name.startsWith('_') || !name.endsWith('.parquet')) continue;
        const file = path.join(table, dir, name);
        const s = await stat(file).catch(() => undefined);
        if (!s?.isFile()) continue;
        const id = `${name}:${s.size}:${s.mtimeMs}`;
        listing.push(id);
        files.push(file);
        rows += await this.rowsOf(file, id);
      }
      views.push({ dt: dir.slice(3), listing: listing.join('|'), rows, files });
    }
    return views;
  }

  /**
   * The export's manifests, keyed by their object key; one that cannot be read is reported as undefined.
   * A window being published (its intent written, its manifest not yet) promises the manifest its intent
   * carries: between the last copy and the manifest write a reader sees that whole window, not part of it.
   */
  async manifests(exportName: string): Promise<Map<string, Manifest | undefined>> {
    const dir = path.join(this.root, manifestsPrefix(exportName));
    const out = new Map<string, Manifest | undefined>();
    const intents = path.join(this.root, publishIntentsPrefix(exportName));
    for (const name of (await entries(intents)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      try {
        const intent = PublishIntentSchema.parse(JSON.parse(await readFile(path.join(intents, name), 'utf8')));
        out.set(manifestKey(exportName, intent.window), intent.manifest);
      } catch {
        // Being written or removed: the next sample reads it whole, or not at all.
      }
    }
    for (const name of (await entries(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      try {
        out.set(
          `${manifestsPrefix(exportName)}${name}`,
          parseManifest(JSON.parse(await readFile(path.join(dir, name), 'utf8'))),
        );
      } catch {
        out.set(`${manifestsPrefix(exportName)}${name}`, undefined);
      }
    }
    return out;
  }

  private async rowsOf(file: string, id: string): Promise<number> {
    const cached = this.rowCache.get(`${file}|${id}`);
    if (cached !== undefined) return cached;
    const reader = await this.connection.runAndReadAll(
      `SELECT num_rows FROM parquet_file_metadata('${file.replaceAll("'", "''")}')`,
    );
    const rows = Number(reader.getRowObjects()[0]?.num_rows ?? 0);
    this.rowCache.set(`${file}|${id}`, rows);
    return rows;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The day partition a manifest's window lands in (`dt=`, the window start's UTC date). */
export function partitionOf(manifest: Manifest): string {
  return manifest.window.start.slice(0, 10);
}
