// Starting an execution is not a way to widen a run: the input names an export and a range, the
// definition (provider, request, link allow-list, prefixes, secret) comes from the deployment. Each
// hostile input below goes through the synthesized state machine on the local engine with the real
// handlers; none reaches a provider or writes a byte of data.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lambdas/shared/logger';
import { runLocally } from '../../local/engine/local-engine';
import { createLocalRuntime } from '../../local/local-runtime';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { baseConfig } from '../support/scenario';

const out = mkdtempSync(path.join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const clickwrap = baseConfig.exports.find((e) => e.provider === 'clickwrap')!;
const marketo = baseConfig.exports.find((e) => e.provider === 'marketo')!;

describe('an execution started with a hostile input', () => {
  let definition: Record<string, unknown>;
  beforeAll(() => {
    definition = synthesizeLocalWorkflow(baseConfig).definition;
  });

  const run = (input: unknown) =>
    runLocally({
      definition,
      input,
      runtime: createLocalRuntime({
        exports: baseConfig.exports,
        store: { kind: 'dir', dir: out },
        // Unreachable on purpose: a refused input must never get as far as a provider call.
        credentials: (provider) =>
          provider === 'marketo'
            ? { baseUrl: 'https://127.0.0.1:9', clientId: 'x', clientSecret: 'y' }
            : { apiToken: 't', baseUrl: 'https://127.0.0.1:9/v1.1' },
        logger: silentLogger,
        sleepScale: 0.001,
        chunkBudgetMs: 60_000,
      }),
      waitMs: 1,
      retryMs: 1,
    });

  it.each([
    [
      'a whole definition with a wider link allow-list',
      { export: { ...clickwrap, request: { ...clickwrap.request, allowedLinkHosts: ['*'] } } },
      'ValidationError',
      'export',
    ],
    [
      'another name that the deployment does not define',
      { export: 'someone-elses-export' },
      'UnknownExportError',
      'no export named "someone-elses-export"',
    ],
    [
      'a foreign prefix beside the name',
      { export: marketo.name, prefix: 'raw/other-export/' },
      'ValidationError',
      'prefix',
    ],
    [
      'a request override beside the name',
      { export: clickwrap.name, request: { allowedLinkHosts: ['evil.example'] } },
      'ValidationError',
      'request',
    ],
    [
      'a secret name beside the name',
      { export: marketo.name, secretName: 'prod/other' },
      'ValidationError',
      'secretName',
    ],
  ])('is refused in Plan: %s', async (_what, input, errorName, mentioned) => {
    const result = await run(input);
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe(errorName);
    expect(result.error?.message).toContain(mentioned);
    expect(result.taskInvocations.StartJob ?? 0).toBe(0);
    expect(result.events.map((e) => e.detailType)).toEqual(['Export Failed']);
    // Nothing was fetched and nothing landed anywhere in the store.
    expect(readdirSync(out).filter((d) => d !== 'state')).toEqual([]);
  });
});
