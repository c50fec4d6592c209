// The simulated v1.1 API: export tasks, exportFields, the /activity list route, and (for links on the
// API host) Bearer-protected downloads. Faults are applied before routing, in the order a gateway would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCOUNT_ID, CONNECTION_FIELDS, CUSTOM_FIELDS, SITE_ID, TOP_LEVEL_FIELDS } from './activity-data';
import { FilterSyntaxError } from './filter';
import { sendJson, sendText, serveBytes } from './http-util';
import { count } from './state';
import type { SimState } from './state';
import { BadRequest, createTask, pollTask, selectRows, taskFiles } from './tasks';

const BASE = '/v1.1';

function routeKey(method: string, path: string): string {
  if (path === '/tasks/export/activity') return `${method} /tasks/export/activity`;
  if (path.startsWith('/tasks/export/')) return `${method} /tasks/export/:id`;
  if (/^\/sites\/[^/]+\/exportFields$/.test(path)) return `${method} /sites/:id/exportFields`;
  if (path.startsWith('/downloads/')) return `${method} /downloads/:id/:n`;
  return `${method} ${path}`;
}

function exportFieldList(): Array<{ field: string; label: string; type: string }> {
  const label = (f: string) => f.replace(/[._]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
  return [
    ...TOP_LEVEL_FIELDS.map((f) => ({ field: f, label: label(f), type: f === 'created_time' ? 'date' : 'string' })),
    ...CONNECTION_FIELDS.map((f) => ({ field: `connection_data.${f}`, label: label(f), type: 'string' })),
    ...CUSTOM_FIELDS.map((f) => ({
      field: `custom_data.${f}`,
      label: label(f),
      type: f === 'vip' ? 'boolean' : 'string',
    })),
  ];
}

function intParam(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null ? fallback : Number(value);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function listActivity(state: SimState, query: URLSearchParams): Record<string, unknown> {
  const page = intParam(query.get('page'), 1, 1, 1_000_000);
  const perPage = intParam(query.get('per_page'), 10, 1, 100);
  const rows = selectRows(state, query.get('filter') ?? '');
  const data = rows.slice((page - 1) * perPage, page * perPage);
  const noCount = query.get('no_count') === 'true';
  return {
    count: data.length,
    has_more: page * perPage < rows.length,
    page,
    per_page: perPage,
    total_count: noCount ? null : rows.length,
    data,
  };
}

export function apiHandler(state: SimState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
    count(state, routeKey(method, path), { host: 'api', method, path, query: Object.fromEntries(url.searchParams) });
    req.resume();

    const faults = state.faults;
    if (faults.errorNext && faults.errorNext.times > 0) {
      faults.errorNext.times -= 1;
      return sendText(res, faults.errorNext.status, faults.errorNext.body, 'application/json');
    }
    if ((faults.rateLimitNext ?? 0) > 0) {
      faults.rateLimitNext = (faults.rateLimitNext ?? 1) - 1;
      state.stats.rateLimited += 1;
      return sendJson(res, 429, { error: 'Too Many Requests' }, { 'retry-after': String(state.retryAfterSeconds) });
    }
    if (req.headers.authorization !== `Bearer ${state.apiToken}`) {
      return sendJson(res, 401, { error: 'Unauthorized', message: 'Invalid or missing access token' });
    }
    if (!url.pathname.startsWith(BASE)) return sendJson(res, 404, { error: 'Not Found' });

    try {
      if (method === 'POST' && path === '/tasks/export/activity') {
        const fields = (url.searchParams.get('fields') ?? TOP_LEVEL_FIELDS.join(',')).split(',');
        const task = createTask(state, url.searchParams.get('filter') ?? '', fields);
        return sendJson(res, 200, { data: pollTask(state, task) });
      }
      const taskMatch = /^\/tasks\/export\/([^/]+)$/.exec(path);
      if (method === 'GET' && taskMatch?.[1]) {
        const task = state.tasks.get(decodeURIComponent(taskMatch[1]));
        if (!task) return sendJson(res, 404, { error: 'Not Found', message: 'Task not found' });
        return sendJson(res, 200, { data: pollTask(state, task) });
      }
      const siteMatch = /^\/sites\/([^/]+)\/exportFields$/.exec(path);
      if (method === 'GET' && siteMatch?.[1]) {
        if (siteMatch[1] !== String(SITE_ID))
          return sendJson(res, 404, { error: 'Not Found', message: 'Site not found' });
        return sendJson(res, 200, { data: exportFieldList(), account: ACCOUNT_ID });
      }
      if (method === 'GET' && path === '/activity') return sendJson(res, 200, listActivity(state, url.searchParams));
      const download = /^\/downloads\/([^/]+)\/(\d+)\.csv$/.exec(path);
      if ((method === 'GET' || method === 'HEAD') && download?.[1] && download[2]) {
        const task = state.tasks.get(download[1]);
        const file = task ? taskFiles(state, task)[Number(download[2]) - 1] : undefined;
        if (!file || !task?.onApiHost) return sendJson(res, 404, { error: 'Not Found' });
        return serveBytes(req, res, file, { honourRange: state.honourRange });
      }
      return sendJson(res, 404, { error: 'Not Found' });
    } catch (error) {
      if (error instanceof BadRequest || error instanceof FilterSyntaxError)
        return sendJson(res, 400, { error: 'Bad Request', message: error.message });
      return sendJson(res, 500, {
        error: 'Internal Server Error',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
