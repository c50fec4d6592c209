// The Clickwrap adapter behind the provider contract: export task (POST, then poll for links) or the
// list route dressed as a job that is done at once.
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import { redactUrl } from '#shared/http/redact-url';
import { RETRY_POLICY } from '#shared/retry-policy';
import type {
  CancelOutcome,
  ExportProvider,
  ExportWindow,
  JobRef,
  JobStatus,
  OpenedRange,
  ProviderContext,
  RangeRequest,
  RemoteFile,
  StartJobResult,
} from '#providers/types';
import { TERMINAL_JOB_STATES } from '#providers/types';
import { nextPollSeconds } from './backoff';
import { CLICKWRAP_LIMITS } from './constants';
import { apiUrl, parseCredentials } from './credentials';
import type { ClickwrapCredentials } from './credentials';
import { openLink } from './download';
import { fetchExportFields } from './export-fields';
import type { ExportField } from './export-fields';
import { callJson, createDispatcher } from './http';
import type { HttpDeps } from './http';
import { assertAllowListFitsApi, assertLinkAllowed, sameOrigin } from './link-policy';
import type { LinkPolicy } from './link-policy';
import { isListFilePath, isListJobId, listFilePath, listJobId, openListRoute, parseListJobId } from './list-route';
import { exportTaskQuery } from './query';
import { validateClickwrapRequest } from './request';
import { TaskResponseSchema, viewTask } from './task-status';

export interface ClickwrapProviderOptions {
  /**
   * The export's request. checkJob, openRange and refreshFile are not handed the request, yet its
   * `allowedLinkHosts` decide which links may be fetched: pass it whenever the export asks for hosts
   * beyond the defaults.
   */
  readonly request?: unknown;
  /** Tries per HTTP call before a 429 or transient failure is handed to the workflow. @default RETRY_POLICY.providerCall.maxAttempts */
  readonly maxAttempts?: number;
  /** Connection pool (default: a keep-alive undici Agent of its own). */
  readonly dispatcher?: Dispatcher;
}

const CreatedTaskSchema = z.union([
  z
    .object({ data: z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) }).loose() })
    .transform((r) => r.data),
  z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) }).loose(),
]);

function httpDeps(
  credentials: ClickwrapCredentials,
  ctx: ProviderContext,
  options: ClickwrapProviderOptions,
): HttpDeps {
  const parsed = parseCredentials(credentials);
  return {
    apiBaseUrl: parsed.baseUrl,
    apiToken: parsed.apiToken,
    clock: ctx.clock,
    logger: ctx.logger,
    dispatcher: options.dispatcher ?? createDispatcher(),
    maxAttempts: options.maxAttempts ?? RETRY_POLICY.providerCall.maxAttempts,
    ...(ctx.telemetry ? { telemetry: ctx.telemetry } : {}),
  };
}

export function createClickwrapProvider(
  credentials: ClickwrapCredentials,
  ctx: ProviderContext,
  options: ClickwrapProviderOptions = {},
): ExportProvider {
  const deps = httpDeps(credentials, ctx, options);
  const policy: LinkPolicy = {
    apiBaseUrl: deps.apiBaseUrl,
    allowedHosts: validateClickwrapRequest(options.request).allowedLinkHosts,
  };
  assertAllowListFitsApi(policy);

  const fetchTask = async (id: string) => {
    const url = apiUrl(deps.apiBaseUrl, `/tasks/export/${encodeURIComponent(id)}`);
    return callJson(deps, 'GET', url, TaskResponseSchema, `GET /tasks/export/${id}`);
  };

  /** Checked here already so a hostile answer fails the poll, before any upload is opened. */
  const fileForLink = (link: string, index: number): RemoteFile => {
    const url = assertLinkAllowed(link, policy);
    return {
      index,
      source: { kind: 'url', url: url.href },
      sendCredentials: sameOrigin(url, deps.apiBaseUrl),
      rangeSupport: 'unknown',
      format: 'csv',
    };
  };

  const startExportTask = async (
    window: ExportWindow,
    request: ReturnType<typeof validateClickwrapRequest>,
  ): Promise<JobRef> => {
    const url = apiUrl(deps.apiBaseUrl, `/tasks/export/activity?${exportTaskQuery(window, request)}`);
    const created = await callJson(deps, 'POST', url, CreatedTaskSchema, 'POST /tasks/export/activity');
    ctx.logger.info('clickwrap export task created', { taskId: created.id, window });
    return { id: created.id, createdAt: ctx.clock.now().toISOString() };
  };

  return {
    name: 'clickwrap',
    host: deps.apiBaseUrl.host,
    limits: CLICKWRAP_LIMITS,

    validate: (request, window) => validateClickwrapRequest(request, window),

    async startJob(window, request, existing, hooks): Promise<StartJobResult> {
      const req = validateClickwrapRequest(request, window);
      if (req.mode === 'list') {
        const id = listJobId({
          window,
          fields: req.fields,
          perPage: req.perPage,
          ...(req.filter ? { filter: req.filter } : {}),
        });
        return {
          kind: 'started',
          job: { id, createdAt: existing?.createdAt ?? ctx.clock.now().toISOString() },
          pollAfterSeconds: 0,
        };
      }
      // A task, once created, is found again by its id: never create a second one for the window.
      const job = existing ?? (await startExportTask(window, req));
      if (!existing) await hooks?.onCreated?.(job);
      return { kind: 'started', job, pollAfterSeconds: nextPollSeconds(0) };
    },

    async checkJob(job, pollCount): Promise<JobStatus> {
      if (isListJobId(job.id)) {
        const path = listFilePath(parseListJobId(job.id));
        const file: RemoteFile = {
          index: 1,
          source: { kind: 'api', path },
          sendCredentials: true,
          rangeSupport: 'no',
          format: 'csv',
        };
        return { state: 'succeeded', files: [file], nextPollSeconds: 0, providerStatus: 'list-route' };
      }
      const view = viewTask(await fetchTask(job.id), pollCount);
      const files = view.state === 'succeeded' ? view.links.map((link, i) => fileForLink(link, i + 1)) : [];
      ctx.logger.info('clickwrap export task polled', {
        taskId: job.id,
        status: view.providerStatus,
        state: view.state,
        links: files.length,
        pollCount,
      });
      return {
        state: view.state,
        files,
        nextPollSeconds: TERMINAL_JOB_STATES.has(view.state) ? 0 : nextPollSeconds(pollCount + 1),
        providerStatus: view.providerStatus,
        ...(view.message ? { message: view.message } : {}),
      };
    },

    async openRange(file: RemoteFile, range: RangeRequest, signal?: AbortSignal): Promise<OpenedRange> {
      if (file.source.kind === 'api') {
        if (isListFilePath(file.source.path)) return openListRoute(deps, file.source.path, signal);
        const url = apiUrl(deps.apiBaseUrl, file.source.path).href;
        return openLink(deps, policy, url, range, {
          sendCredentials: true,
          probe: file.rangeSupport !== 'no',
          ...(signal ? { signal } : {}),
        });
      }
      return openLink(deps, policy, file.source.url, range, {
        sendCredentials: file.sendCredentials,
        probe: file.rangeSupport !== 'no',
        ...(signal ? { signal } : {}),
      });
    },

    async cancelJob(job: JobRef): Promise<CancelOutcome> {
      // No cancel route is documented; an abandoned task only costs the vendor a CSV it deletes after 30 days.
      ctx.logger.info('clickwrap has no cancel route; leaving the task to expire', {
        jobId: isListJobId(job.id) ? 'list-route' : job.id,
      });
      return 'unsupported';
    },

    async refreshFile(job: JobRef, file: RemoteFile): Promise<RemoteFile> {
      if (isListJobId(job.id) || file.source.kind === 'api') return file;
      // The task already finished once: a done status without links is not "still running" here.
      const view = viewTask(await fetchTask(job.id), Number.MAX_SAFE_INTEGER);
      const link = view.links[file.index - 1];
      if (view.state !== 'succeeded' || link === undefined) {
        throw new ProviderApiError(
          `export task ${job.id} no longer offers link ${file.index} (status ${view.providerStatus}, ${view.links.length} link(s)); the CSVs are deleted after 30 days`,
          'link-gone',
        );
      }
      const fresh = fileForLink(link, file.index);
      ctx.logger.info('clickwrap link refreshed', { taskId: job.id, index: file.index, link: redactUrl(link) });
      return { ...file, source: fresh.source, sendCredentials: fresh.sendCredentials };
    },
  };
}

/** The columns a site can export (`npm start -- fields --site <id>`). */
export async function listExportFields(
  credentials: ClickwrapCredentials,
  siteId: string,
  ctx: ProviderContext,
): Promise<ExportField[]> {
  return fetchExportFields(httpDeps(credentials, ctx, {}), siteId);
}
