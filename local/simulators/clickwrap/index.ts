// A local stand-in for the Ironclad Clickwrap v1.1 API and the host its CSV links point at, for tests
// and `npm start`. Two HTTP servers on 127.0.0.1 (random ports): the API and a separate file host.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { apiHandler } from './api-server';
import { createActivityStore } from './activity-data';
import { fileHostHandler } from './file-host';
import { close, listen } from './http-util';
import type { ClickwrapSimulatorFaults, ClickwrapSimulatorOptions, RecordedRequest, SimState, SimStats } from './state';
import { taskFiles } from './tasks';

export type { ClickwrapSimulatorFaults, ClickwrapSimulatorOptions, RecordedRequest } from './state';

export interface ClickwrapSimulator {
  /** API base, e.g. http://127.0.0.1:port/v1.1 */
  readonly baseUrl: string;
  /** Origin of the file host the links point at. */
  readonly fileHostUrl: string;
  readonly apiToken: string;
  readonly faults: ClickwrapSimulatorFaults;
  tasks(): Array<{ id: string; status: string; links: string[]; filter: string; fields: string[]; createdAt: string }>;
  stats(): SimStats;
  /** Every request received (both hosts), with its query as the server decoded it; newest last. */
  requests(): RecordedRequest[];
  /** The bytes of a task's CSV (1-based index), as its link serves them. */
  fileBytes(taskId: string, index: number): Buffer;
  stop(): Promise<void>;
}

export async function startClickwrapSimulator(options: ClickwrapSimulatorOptions = {}): Promise<ClickwrapSimulator> {
  const seed = options.seed ?? 1;
  const state: SimState = {
    apiToken: options.apiToken ?? `sim-${randomBytes(12).toString('hex')}`,
    seed,
    rowsPerFile: options.rowsPerFile ?? 5000,
    processingMs: options.processingMs ?? 3000,
    linkTtlMs: options.linkTtlMs ?? 15 * 60_000,
    honourRange: options.fileHostHonoursRange ?? true,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    now: options.now ?? (() => new Date()),
    store: createActivityStore(seed, options.recordsPerDay ?? 500),
    signingKey: randomBytes(32),
    faults: {
      expireLinksNow: () => {
        state.linkGeneration += 1;
      },
    },
    stats: { total: 0, byPath: {}, authHeadersOnFileHost: 0, rateLimited: 0 },
    requests: [],
    tasks: new Map(),
    linkGeneration: 0,
    taskCounter: 0,
    apiOrigin: '',
    fileHostOrigin: '',
  };

  const api = createServer(apiHandler(state));
  const files = createServer(fileHostHandler(state));
  state.apiOrigin = `http://127.0.0.1:${await listen(api)}`;
  state.fileHostOrigin = `http://127.0.0.1:${await listen(files)}`;

  return {
    baseUrl: `${state.apiOrigin}/v1.1`,
    fileHostUrl: state.fileHostOrigin,
    apiToken: state.apiToken,
    faults: state.faults,
    tasks: () =>
      [...state.tasks.values()].map((t) => ({
        id: t.id,
        status: t.status,
        links: [...t.links],
        filter: t.filter,
        fields: [...t.fields],
        createdAt: new Date(t.createdMs).toISOString(),
      })),
    stats: () => ({ ...state.stats, byPath: { ...state.stats.byPath } }),
    requests: () => [...state.requests],
    fileBytes(taskId, index) {
      const task = state.tasks.get(taskId);
      const file = task ? taskFiles(state, task)[index - 1] : undefined;
      if (!file) throw new Error(`no file ${index} for task ${taskId}`);
      return file;
    },
    stop: async () => {
      await Promise.all([close(api), close(files)]);
    },
  };
}
