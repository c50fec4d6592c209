// Canaries: hostile look-alike providers echo the bearer token, the client secret, the API token and
// pre-signed query values back in error bodies, failed-job messages and redirects. After each run
// (local engine, real handlers, a directory store) none of them appears in what the run left behind:
// stdout and stderr, the log file, the events file, manifests and state under the output directory,
// and the execution's result.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { createProgressReporter } from '../../local/cli/progress';
import { renderSummary } from '../../local/cli/summary';
import { fileLogger } from '../../local/file-logger';
import { runExport, type RunExportResult } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { startClickwrapSimulator } from '../../local/simulators/clickwrap';
import { startMarketoSimulator } from '../../local/simulators/marketo';
import type { RunningSimulator } from '../../local/simulators/start-simulator';
import type { PipelineConfig } from '../../lib/config';
import { startEchoProxy, type EchoProxy, type Rewrite } from '../support/echo-proxy';
import { baseConfig, configWith } from '../support/scenario';

// New values per scenario: the process-wide redaction registry has never seen them, so each run must
// learn its secrets itself (as a fresh Lambda container does).
let scenario = 0;
let MARKETO_SECRET = '';
let CLICKWRAP_TOKEN = '';
let SIGNATURE = '';
let CREDENTIAL = '';
beforeEach(() => {
  scenario += 1;
  MARKETO_SECRET = `CANARY-marketo-client-secret-7f3a9c-${scenario}`;
  CLICKWRAP_TOKEN = `CANARY-clickwrap-api-token-5d1e0b-${scenario}`;
  SIGNATURE = `CANARYsig0123456789abcdef${scenario}`;
  CREDENTIAL = `CANARYcredAKIA20261101${scenario}`;
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

interface Outputs {
  readonly result: RunExportResult;
  /** Everything the run left behind, as one text. */
  readonly everything: string;
  readonly failed?: ExportFailedDetail;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Runs an export as the CLI does (progress and --verbose logs on stderr, summary on stdout), capturing it all. */
async function runCapturing(exportName: string, config: PipelineConfig, running: RunningSimulator): Promise<Outputs> {
  const out = mkdtempSync(path.join(tmpdir(), 'canary-'));
  cleanups.push(async () => rmSync(out, { recursive: true, force: true }));
  const captured: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  let result: RunExportResult;
  try {
    const progress = createProgressReporter(process.stderr);
    result = await runExport({
      config,
      exportName,
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      store: { kind: 'dir', dir: path.join(out, 'store') },
      logger: fileLogger(path.join(out, 'logs', 'run.jsonl'), true),
      source: 'simulator',
      simulator: { running },
      workflow: synthesizeLocalWorkflow(baseConfig),
      waitMs: 5,
      eventsFile: path.join(out, 'events.jsonl'),
      onProgress: (event) => progress.onProgress(event),
      maxTaskInvocations: 400,
    });
    progress.stop();
    process.stdout.write(`${renderSummary(result, { seconds: 1, where: out })}\n`);
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
  const files = filesUnder(out).map((file) => `${file}\n${readFileSync(file, 'utf8')}`);
  const everything = [
    captured.join(''),
    ...files,
    JSON.stringify(result.error ?? null),
    JSON.stringify(result.output ?? null),
    JSON.stringify(result.events),
  ].join('\n');
  const failed = result.events.find((e) => e.detailType === 'Export Failed')?.detail as ExportFailedDetail | undefined;
  return { result, everything, ...(failed ? { failed } : {}) };
}

function expectNoCanary(everything: string, canaries: readonly string[]): void {
  expect(canaries.length).toBeGreaterThan(0);
  for (const canary of canaries) {
    expect(canary.length).toBeGreaterThan(8);
    expect(everything, `canary ${canary} leaked`).not.toContain(canary);
    expect(everything, `canary ${canary} leaked URL-encoded`).not.toContain(encodeURIComponent(canary));
  }
  expect(everything).not.toMatch(/CANARY/);
}

/** The tokens a proxy saw in Authorization headers (the access tokens Marketo issued, the API token). */
function bearerTokens(proxy: EchoProxy): string[] {
  return [...proxy.authorizations].map((value) => value.replace(/^Bearer\s+/i, ''));
}

async function hostileMarketo(rewrite?: Rewrite) {
  const sim = await startMarketoSimulator({ queuedMs: 20, processingMs: 50, clientSecret: MARKETO_SECRET });
  const proxy = await startEchoProxy(sim.baseUrl, rewrite);
  cleanups.push(
    () => sim.stop(),
    () => proxy.stop(),
  );
  const running: RunningSimulator = {
    provider: 'marketo',
    credentials: { baseUrl: proxy.origin, clientId: sim.clientId, clientSecret: MARKETO_SECRET },
    marketo: sim,
    stop: async () => {},
  };
  return { sim, proxy, running };
}

async function hostileClickwrap(rewrite?: Rewrite) {
  const sim = await startClickwrapSimulator({
    processingMs: 100,
    recordsPerDay: 600,
    rowsPerFile: 250,
    apiToken: CLICKWRAP_TOKEN,
  });
  const proxy = await startEchoProxy(new URL(sim.baseUrl).origin, rewrite);
  cleanups.push(
    () => sim.stop(),
    () => proxy.stop(),
  );
  const running: RunningSimulator = {
    provider: 'clickwrap',
    credentials: { apiToken: CLICKWRAP_TOKEN, baseUrl: `${proxy.origin}${new URL(sim.baseUrl).pathname}` },
    clickwrap: sim,
    stop: async () => {},
  };
  return { sim, proxy, running };
}

describe('canaries: no credential echoed by a provider leaves the process', () => {
  it('Marketo: a create error envelope quoting the bearer token and the client secret', async () => {
    const { sim, proxy, running } = await hostileMarketo();
    sim.faults.injectErrors = [
      {
        code: '1003',
        message: `Invalid request auth={authorization} secret=${MARKETO_SECRET} raw ${MARKETO_SECRET}`,
        times: 1,
        kinds: ['create'],
      },
    ];
    const { result, everything, failed } = await runCapturing('marketo-activities', baseConfig, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('ProviderApiError');
    expect(failed?.error.message).toContain(
      'Marketo error 1003: Invalid request auth=Bearer [redacted] secret=[redacted]',
    );
    const tokens = bearerTokens(proxy);
    expect(tokens).toHaveLength(1);
    expectNoCanary(everything, [MARKETO_SECRET, ...tokens]);
    // And the secret never travelled in a URL.
    expect(sim.credentialsInUrls()).toEqual([]);
    expect(sim.requestLog().some((line) => line.startsWith('POST /identity/oauth/token'))).toBe(true);
  });

  it('Marketo: transient errors quoting the token and the secret, retried, and a run that lands its file', async () => {
    const { sim, proxy, running } = await hostileMarketo();
    sim.faults.injectErrors = [
      {
        code: '604',
        message: `Request timed out for {authorization} secret=${MARKETO_SECRET}`,
        times: 2,
        kinds: ['status', 'enqueue'],
      },
    ];
    const { result, everything } = await runCapturing('marketo-activities', baseConfig, running);
    expect(result.status).toBe('SUCCEEDED');
    // The echo was seen (and logged, redacted) on the way, and the run still wrote its manifest.
    expect(everything).toContain('Request timed out for Bearer [redacted] secret=[redacted]');
    expect(everything).toMatch(/manifests\/marketo-activities\/20261101T000000Z_20261102T000000Z\.json/);
    expectNoCanary(everything, [MARKETO_SECRET, ...bearerTokens(proxy)]);
  });

  it('Marketo: a failed job whose errorMsg quotes the token and the secret', async () => {
    const { sim, proxy, running } = await hostileMarketo();
    sim.faults.failNextJob = `export failed for {authorization} with client_secret ${MARKETO_SECRET}`;
    const { result, everything, failed } = await runCapturing('marketo-activities', baseConfig, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('JobFailedError');
    expect(failed?.error.message).toContain('export failed for Bearer [redacted] with client_secret [redacted]');
    expectNoCanary(everything, [MARKETO_SECRET, ...bearerTokens(proxy)]);
    expect(sim.credentialsInUrls()).toEqual([]);
  });

  it('Marketo: an identity answer that echoes the form body with the client secret', async () => {
    const { sim, running } = await hostileMarketo((seen) =>
      seen.url.startsWith('/identity/')
        ? { status: 401, body: JSON.stringify({ error: 'unauthorized', error_description: 'bad client {body}' }) }
        : undefined,
    );
    const { result, everything, failed } = await runCapturing('marketo-activities', baseConfig, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('AuthenticationError');
    expect(failed?.error.message).toMatch(/HTTP 401: unauthorized: bad client .*client_secret=\[redacted\]/);
    expectNoCanary(everything, [MARKETO_SECRET]);
    expect(sim.credentialsInUrls()).toEqual([]);
  });

  it('Clickwrap: a run that lands its files leaves no pre-signed link signature and no token behind', async () => {
    const { sim, proxy, running } = await hostileClickwrap();
    const def = baseConfig.exports.find((e) => e.name === 'clickwrap-activity')!;
    const config = configWith('clickwrap-activity', {
      request: { ...def.request, allowedLinkHosts: [new URL(sim.fileHostUrl).host] },
    });
    const { result, everything } = await runCapturing('clickwrap-activity', config, running);
    expect(result.status).toBe('SUCCEEDED');
    const signatures = sim
      .tasks()
      .flatMap((task) => task.links.map((link) => new URL(link).searchParams.get('X-Signature') ?? ''));
    expect(signatures.length).toBeGreaterThan(0);
    expectNoCanary(everything, [CLICKWRAP_TOKEN, ...bearerTokens(proxy), ...signatures]);
  });

  it('Clickwrap: a failed task whose message quotes the API token', async () => {
    const { sim, proxy, running } = await hostileClickwrap();
    sim.faults.failNextTask = 'task failed for {authorization}';
    const { result, everything, failed } = await runCapturing('clickwrap-activity', baseConfig, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('JobFailedError');
    expect(failed?.error.message).toContain('task failed for Bearer [redacted]');
    expect(bearerTokens(proxy)).toEqual([CLICKWRAP_TOKEN]);
    expectNoCanary(everything, [CLICKWRAP_TOKEN]);
  });

  it('Clickwrap: an HTTP error body quoting the token and the request query', async () => {
    const { sim, running } = await hostileClickwrap();
    sim.faults.errorNext = {
      status: 400,
      body: JSON.stringify({
        error: `token {authorization} (${CLICKWRAP_TOKEN}) not valid for {query}&token=${CLICKWRAP_TOKEN}`,
      }),
      times: 1,
    };
    const { result, everything, failed } = await runCapturing('clickwrap-activity', baseConfig, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('ProviderApiError');
    expect(failed?.error.message).toContain('HTTP 400');
    expectNoCanary(everything, [CLICKWRAP_TOKEN]);
  });

  it('Clickwrap: a link that redirects to a pre-signed URL whose host echoes the signature in its error body', async () => {
    const linkHost: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://link-host');
      if (url.pathname === '/start') {
        const origin = `http://127.0.0.1:${(linkHost.address() as AddressInfo).port}`;
        res.writeHead(302, {
          location: `${origin}/file.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CREDENTIAL}&X-Amz-Signature=${SIGNATURE}&token=${CLICKWRAP_TOKEN}`,
        });
        res.end();
        return;
      }
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        `<Error><Code>SignatureDoesNotMatch</Code><Message>signature ${SIGNATURE} by ${CREDENTIAL} rejected for ${url.search}</Message></Error>`,
      );
    });
    await new Promise<void>((resolve) => linkHost.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => linkHost.close(() => resolve())));
    const linkOrigin = `http://127.0.0.1:${(linkHost.address() as AddressInfo).port}`;

    const { sim, running } = await hostileClickwrap();
    sim.faults.hostileLinks = `${linkOrigin}/start`;
    const def = baseConfig.exports.find((e) => e.name === 'clickwrap-activity')!;
    const config = configWith('clickwrap-activity', {
      request: { ...def.request, allowedLinkHosts: [new URL(linkOrigin).host] },
    });
    const { result, everything, failed } = await runCapturing('clickwrap-activity', config, running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.message).toMatch(/SignatureDoesNotMatch/);
    expectNoCanary(everything, [CLICKWRAP_TOKEN, SIGNATURE, CREDENTIAL]);
  });
});
