// List-route mode, for accounts without the export task: GET /activity page by page until has_more is
// false, written as one CSV with the export's columns, so the rest of the pipeline cannot tell.
// The whole job travels in strings (job id, file path) because a provider keeps no state.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import type { ExportWindow, OpenedRange } from '#providers/types';
import { apiUrl } from './credentials';
import { callJson } from './http';
import type { HttpDeps } from './http';
import { encodeQuery, listPageQuery, windowFilter } from './query';

export interface ListSpec {
  readonly window: ExportWindow;
  readonly filter?: string;
  readonly fields: readonly string[];
  readonly perPage: number;
}

const ListSpecSchema = z.object({
  window: z.object({ start: z.string(), end: z.string() }),
  filter: z.string().optional(),
  fields: z.array(z.string()).min(1),
  perPage: z.number().int().positive(),
});

const LIST_JOB_PREFIX = 'list:';
const MAX_PAGES = 100_000;

export function listJobId(spec: ListSpec): string {
  return LIST_JOB_PREFIX + Buffer.from(JSON.stringify(spec)).toString('base64url');
}

export function isListJobId(id: string): boolean {
  return id.startsWith(LIST_JOB_PREFIX);
}

export function parseListJobId(id: string): ListSpec {
  try {
    return ListSpecSchema.parse(
      JSON.parse(Buffer.from(id.slice(LIST_JOB_PREFIX.length), 'base64url').toString('utf8')),
    );
  } catch (err) {
    throw new ProviderApiError(`"${id.slice(0, 80)}" is not a list-route job id`, 'bad-job-id', { cause: err });
  }
}

/**
 * `/activity?filter=…&per_page=…&no_count=true&lean=true#fields=…&start=…&end=…`: the query is what
 * the API receives (plus `page`); the fragment, never sent, carries the CSV columns and the window.
 */
export function listFilePath(spec: ListSpec): string {
  const query = encodeQuery({
    filter: windowFilter(spec.window, spec.filter),
    per_page: spec.perPage,
    no_count: true,
    lean: true,
  });
  const fragment = encodeQuery({ fields: spec.fields.join(','), start: spec.window.start, end: spec.window.end });
  return `/activity?${query}#${fragment}`;
}

export function isListFilePath(path: string): boolean {
  return path.startsWith('/activity?');
}

function parseListFilePath(path: string): { filter: string; perPage: number; fields: string[]; window: ExportWindow } {
  const url = new URL(path, 'http://list.invalid');
  const fragment = new URLSearchParams(url.hash.slice(1));
  const filter = url.searchParams.get('filter');
  const perPage = Number(url.searchParams.get('per_page'));
  const fields = (fragment.get('fields') ?? '').split(',').filter(Boolean);
  const start = fragment.get('start');
  const end = fragment.get('end');
  if (filter === null || !(perPage > 0) || fields.length === 0 || !start || !end) {
    throw new ProviderApiError(`"${path.slice(0, 120)}" is not a list-route file path`, 'bad-file-path');
  }
  return { filter, perPage, fields, window: { start, end } };
}

const PageSchema = z
  .object({
    has_more: z.boolean().nullish(),
    data: z.array(z.record(z.string(), z.unknown())),
  })
  .loose();

type Row = Record<string, unknown>;

/** A dotted CSV column read from a JSON activity: a literal key first, then the nested path. */
export function resolveField(row: Row, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Row)[part];
  }
  return current;
}

/** One CSV cell: text as is, booleans and numbers as JSON spells them, nothing as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function csvLines(rows: readonly (readonly string[])[]): string {
  // Every cell is already text: csv-stringify only quotes (RFC 4180), it never casts.
  return rows.length === 0 ? '' : stringify(rows as string[][], { record_delimiter: '\n' });
}

function checkInWindow(row: Row, window: ExportWindow): void {
  const created = resolveField(row, 'created_time');
  const at = typeof created === 'string' ? Date.parse(created) : NaN;
  if (Number.isNaN(at))
    throw new ProviderApiError(
      `GET /activity: a row has no readable created_time (${cellText(created).slice(0, 40)})`,
      'unexpected-body',
    );
  // The `<` bound is undocumented: if the API ignored it, fail loudly rather than land rows twice.
  if (at < Date.parse(window.start) || at >= Date.parse(window.end)) {
    throw new ProviderApiError(
      `GET /activity returned activity at ${cellText(created)}, outside the window ${window.start}..${window.end}: the created_time filter was not honoured`,
      'filter-ignored',
    );
  }
}

/** Streams the list route as CSV (header = fields in order). The first page is fetched before returning, so its errors throw here. */
export async function openListRoute(deps: HttpDeps, path: string, signal?: AbortSignal): Promise<OpenedRange> {
  const spec = parseListFilePath(path);
  const fetchPage = (page: number) => {
    const url = apiUrl(deps.apiBaseUrl, `/activity?${listPageQuery(spec.filter, page, spec.perPage)}`);
    return callJson(deps, 'GET', url, PageSchema, `GET /activity page ${page}`, signal);
  };
  const toCsv = (rows: readonly Row[]) =>
    csvLines(
      rows.map((row) => {
        checkInWindow(row, spec.window);
        return spec.fields.map((f) => cellText(resolveField(row, f)));
      }),
    );

  const first = await fetchPage(1);
  const firstCsv = csvLines([spec.fields]) + toCsv(first.data);
  const logger = deps.logger;
  async function* rest(): AsyncGenerator<string> {
    yield firstCsv;
    let page = first;
    for (let n = 2; n <= MAX_PAGES; n += 1) {
      const more = page.has_more ?? page.data.length >= spec.perPage;
      if (!more) return;
      if (page.data.length === 0) {
        logger.warn('clickwrap list route said has_more on an empty page; stopping', { page: n - 1 });
        return;
      }
      page = await fetchPage(n);
      const csv = toCsv(page.data);
      if (csv) yield csv;
    }
    throw new ProviderApiError(`GET /activity: still has_more after ${MAX_PAGES} pages`, 'too-many-pages');
  }
  return { ranged: false, start: 0, body: Readable.from(rest(), { objectMode: false }) };
}
