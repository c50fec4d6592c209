// Providers hold token caches and connection pools worth keeping across warm invocations, but they
// must follow the config and the secret: the cache key is the whole connection-relevant definition,
// and entries expire with the secret cache so a rotated secret is picked up.
import type { ExportProvider } from '#providers/types';
import type { ExportDefinition } from '#shared/export-definition';

const TTL_MS = 5 * 60_000;

export class ProviderCache {
  // Promises, not providers: two concurrent lookups must share one provider (one rate limiter).
  private readonly entries = new Map<string, { provider: Promise<ExportProvider>; expires: number }>();

  constructor(
    private readonly create: (def: ExportDefinition) => Promise<ExportProvider>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TTL_MS,
  ) {}

  async get(def: ExportDefinition): Promise<ExportProvider> {
    const key = JSON.stringify([def.name, def.provider, def.dataset, def.secretName, def.request]);
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.provider;
    const provider = this.create(def);
    this.entries.set(key, { provider, expires: this.now() + this.ttlMs });
    // A failed build (e.g. the secret could not be read) must not be cached.
    provider.catch(() => this.entries.delete(key));
    return provider;
  }
}
