import { describe, expect, it } from 'vitest';
import type { ExportProvider } from '../../../lambdas/providers/types';
import { ExportDefinitionSchema } from '../../../lambdas/shared/export-definition';
import { ProviderCache } from '../../../lambdas/workflow/provider-cache';

const def = ExportDefinitionSchema.parse({
  name: 'mkto',
  provider: 'marketo',
  secretName: 's',
  window: { firstStart: '2026-01-01' },
});

describe('ProviderCache', () => {
  it('reuses a provider for the same definition, rebuilds when the request or secret changes, and expires', async () => {
    let now = 0;
    let built = 0;
    const cache = new ProviderCache(
      async () => ({ built: ++built }) as unknown as ExportProvider,
      () => now,
      1000,
    );
    const a = await cache.get(def);
    expect(await cache.get(def)).toBe(a);
    expect(await cache.get({ ...def, request: { format: 'TSV' } })).not.toBe(a);
    expect(await cache.get({ ...def, secretName: 'other' })).not.toBe(a);
    now = 1001;
    expect(await cache.get(def)).not.toBe(a);
    expect(built).toBe(4);
  });

  it('concurrent lookups share one provider, and a failed build is not cached', async () => {
    let built = 0;
    let fail = true;
    const cache = new ProviderCache(async () => {
      built += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('secret unreadable');
      return { built } as unknown as ExportProvider;
    });
    await expect(cache.get(def)).rejects.toThrow('secret unreadable');
    fail = false;
    const [a, b] = await Promise.all([cache.get(def), cache.get(def)]);
    expect(a).toBe(b);
    expect(built).toBe(2);
  });
});
