// The exports a deployment may run, by name. A run's input only names an export (and optionally a
// range); the definition — provider, request, link allow-list, prefixes, secret name — always comes
// from here, so starting an execution cannot widen what a run fetches or where it writes.
// On AWS the definitions are baked into each function's bundle at synth time (esbuild `define` of
// process.env.PIPELINE_EXPORTS, set by lib/constructs/workflow-functions.ts); unbundled, the same
// variable is read from the environment. The local engine hands its config over directly.
import { z } from 'zod';
import { UnknownExportError } from './errors';
import { ExportDefinitionSchema, type ExportDefinition } from './export-definition';

/** The variable whose text is the JSON array of export definitions (replaced at bundle time). */
export const EXPORTS_VARIABLE = 'PIPELINE_EXPORTS';

export interface ExportCatalog {
  /** The definition of `name`; UnknownExportError (naming the known ones) when there is none. */
  definition(name: string): ExportDefinition;
  readonly names: readonly string[];
}

export function exportCatalog(definitions: readonly ExportDefinition[]): ExportCatalog {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const names = [...byName.keys()];
  return {
    names,
    definition(name) {
      const found = byName.get(name);
      if (!found)
        throw new UnknownExportError(
          `no export named ${JSON.stringify(name)} in this deployment (known: ${names.join(', ') || 'none'})`,
        );
      return found;
    },
  };
}

const BakedExportsSchema = z.array(ExportDefinitionSchema);

/** The catalog baked into this bundle (or set in the environment). */
export function exportCatalogFromEnvironment(): ExportCatalog {
  // Spelled out, not process.env[EXPORTS_VARIABLE]: esbuild's `define` replaces this exact expression.
  const text = process.env.PIPELINE_EXPORTS;
  if (!text) throw new Error(`${EXPORTS_VARIABLE} is not set: the function was bundled without the export definitions`);
  const parsed = BakedExportsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${EXPORTS_VARIABLE} holds no valid export definitions: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return exportCatalog(parsed.data);
}
