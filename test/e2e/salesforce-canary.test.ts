// Canaries for Salesforce: a hostile look-alike org (the simulator behind an echo proxy) quotes the
// session id, the client secret and the token request's form body back in error bodies and failed-job
// messages. After each run (local engine, real handlers, a directory store) none of them appears in
// what the run left behind: the log file, the events file, manifests and state, the summary and the
// execution's result.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { renderSummary } from '../../local/cli/summary';
import { fileLogger } from '../../local/file-logger';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { runExport } from '../../local/run-export';
import { startSalesforceSimulator } from '../../local/simulators/salesforce';
import type { RunningSimulator } from '../../local/simulators/start-simulator';
import { startEchoProxy, type Rewrite } from '../support/echo-proxy';
import { baseConfig } from '../support/scenario';

const EXPORT = 'salesforce-accounts';
const CREATE = 'POST /services/data/vXX.X/jobs/query';
let scenario = 0;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function hostileOrg(rewrite?: Rewrite) {
  scenario += 1;
  // New values per scenario: the process-wide redaction registry has never seen them.
  const secret = `CANARY-salesforce-client-secret-91c2-${scenario}`;
  const sim = await startSalesforceSimulator({ queuedMs: 20, processingMs: 50, clientSecret: secret });
  const proxy = await startEchoProxy(sim.baseUrl, rewrite);
  cleanups.push(
    () => sim.stop(),
    () => proxy.stop(),
  );
  const running: RunningSimulator = {
    provider: 'salesforce',
    credentials: { instanceUrl: proxy.origin, clientId: sim.clientId, clientSecret: secret },
    salesforce: sim,
    stop: async () => {},
  };
  return { sim, proxy, running, secret };
}

async function runLeaving(running: RunningSimulator) {
  const out = mkdtempSync(path.join(tmpdir(), 'sf-canary-'));
  cleanups.push(async () => rmSync(out, { recursive: true, force: true }));
  const result = await runExport({
    config: baseConfig,
    exportName: EXPORT,
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-02T00:00:00Z',
    store: { kind: 'dir', dir: path.join(out, 'store') },
    logger: fileLogger(path.join(out, 'logs', 'run.jsonl'), true),
    source: 'simulator',
    simulator: { running },
    workflow: synthesizeLocalWorkflow(baseConfig),
    waitMs: 5,
    eventsFile: path.join(out, 'events.jsonl'),
    maxTaskInvocations: 400,
  });
  const everything = [
    renderSummary(result, { seconds: 1, where: out }),
    ...filesUnder(out).map((file) => `${file}\n${readFileSync(file, 'utf8')}`),
    JSON.stringify(result.error ?? null),
    JSON.stringify(result.output ?? null),
    JSON.stringify(result.events),
  ].join('\n');
  const failed = result.events.find((e) => e.detailType === 'Export Failed')?.detail as ExportFailedDetail | undefined;
  return { result, everything, failed };
}

function expectNoCanary(everything: string, canaries: readonly string[]): void {
  for (const canary of canaries) {
    expect(canary.length).toBeGreaterThan(8);
    expect(everything, `canary ${canary} leaked`).not.toContain(canary);
    expect(everything, `canary ${canary} leaked URL-encoded`).not.toContain(encodeURIComponent(canary));
  }
  expect(everything).not.toMatch(/CANARY/);
}

const sessionIds = (authorizations: Set<string>) => [...authorizations].map((v) => v.replace(/^Bearer\s+/i, ''));

describe('Salesforce canaries: no credential echoed by the org leaves the process', () => {
  it('a create error quoting the session id and the client secret', async () => {
    const { sim, proxy, running, secret } = await hostileOrg();
    sim.faults.errorNext = {
      status: 400,
      errorCode: 'INVALIDJOB',
      message: `Invalid job for {authorization} secret=${secret} raw ${secret}`,
      times: 1,
      route: CREATE,
    };
    const { result, everything, failed } = await runLeaving(running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('ProviderApiError');
    expect(failed?.error.message).toContain('Invalid job for Bearer [redacted] secret=[redacted]');
    const tokens = sessionIds(proxy.authorizations);
    expect(tokens.length).toBeGreaterThan(0);
    // A Salesforce session id holds a `!`: blanked whole, not up to it.
    expect(tokens[0]).toContain('!');
    expectNoCanary(everything, [secret, ...tokens]);
  });

  it('a failed job whose errorMessage quotes the session id, after 503s quoting it on the polls', async () => {
    const { sim, proxy, running, secret } = await hostileOrg();
    sim.faults.failNextJob = `Failed for {authorization} with client_secret ${secret}`;
    sim.faults.errorNext = {
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'down for {authorization}',
      times: 2,
      route: 'GET /services/data/vXX.X/jobs/query/:id',
    };
    const { result, everything, failed } = await runLeaving(running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('JobFailedError');
    expect(failed?.error.message).toContain('Failed for Bearer [redacted] with client_secret [redacted]');
    expectNoCanary(everything, [secret, ...sessionIds(proxy.authorizations)]);
  });

  it('a token endpoint that echoes the form body with the client secret', async () => {
    const { running, secret } = await hostileOrg((seen) =>
      seen.url.startsWith('/services/oauth2/token')
        ? { status: 400, body: JSON.stringify({ error: 'invalid_client', error_description: 'bad client {body}' }) }
        : undefined,
    );
    const { result, everything, failed } = await runLeaving(running);
    expect(result.status).toBe('FAILED');
    expect(failed?.error.name).toBe('AuthenticationError');
    expect(failed?.error.message).toMatch(/invalid_client .*client_secret=\[redacted\]/);
    expectNoCanary(everything, [secret]);
  });
});
