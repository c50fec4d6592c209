// Each function bundles what it runs: a step that never calls a provider (its row reads no connection
// secret) must not carry the provider adapters (HTTP clients, token handling, Marketo's call window).
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TASKS } from '../../../lib/constructs/workflow-tasks';
import { bundleHandler, providerAdapterModules } from '../../support/handler-bundle';

const rows = Object.values(WORKFLOW_TASKS);
const withoutProvider = rows.filter((row) => !row.readsSecrets).map((row) => row.handler);

describe('handler bundles', () => {
  let adapters: Set<string>;
  beforeAll(async () => {
    adapters = await providerAdapterModules();
  });

  it('knows the adapter modules, and a step that calls a provider bundles them', async () => {
    expect(adapters.has('lambdas/providers/registry.ts')).toBe(true);
    const plan = await bundleHandler('plan');
    expect(plan.modules.filter((m) => adapters.has(m)).length).toBeGreaterThan(0);
  });

  it.each(withoutProvider)('%s bundles no provider adapter module', async (handler) => {
    const bundle = await bundleHandler(handler);
    expect(bundle.modules.filter((m) => adapters.has(m))).toEqual([]);
  });
});
