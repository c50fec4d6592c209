// Bundles a handler module the way HandlerFunction does (esbuild, ESM, minified, every dependency
// inside) and reports what went in: its size and the source modules it reaches.
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

export interface HandlerBundle {
  readonly handler: string;
  /** Bytes of the minified bundle (without its source map). */
  readonly bytes: number;
  /** Every module bundled: repository files and npm packages' files, as esbuild names them. */
  readonly modules: readonly string[];
}

/** The handler modules, one per Lambda function (file names under lambdas/handlers/, no extension). */
export function handlerNames(): string[] {
  return readdirSync('lambdas/handlers')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

export async function bundleEntry(entry: string): Promise<{ bytes: number; modules: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    write: false,
    metafile: true,
    outfile: 'bundle.mjs',
    logLevel: 'silent',
  });
  const bytes = result.outputFiles
    .filter((f) => f.path.endsWith('.mjs'))
    .reduce((sum, f) => sum + f.contents.byteLength, 0);
  return { bytes, modules: Object.keys(result.metafile.inputs).sort() };
}

export async function bundleHandler(handler: string): Promise<HandlerBundle> {
  return { handler, ...(await bundleEntry(`lambdas/handlers/${handler}.ts`)) };
}

/**
 * The provider adapter modules: what the provider registry reaches under lambdas/providers/ beyond the
 * pure descriptors (limits, datasets, layouts), which any step may read.
 */
export async function providerAdapterModules(): Promise<Set<string>> {
  const ofProviders = (modules: string[]) => modules.filter((m) => m.startsWith('lambdas/providers/'));
  const registry = ofProviders((await bundleEntry('lambdas/providers/registry.ts')).modules);
  const descriptors = new Set(ofProviders((await bundleEntry('lambdas/providers/descriptors.ts')).modules));
  return new Set(registry.filter((m) => !descriptors.has(m)));
}
