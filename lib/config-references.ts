// The reference tables switch of the config: one instance (one secret) has one set of reference
// tables, whichever of its exports refreshes them, so its exports must agree on the switches, and a
// switch must name a table the dataset has.
import type { ExportDefinition } from '#shared/export-definition';
import { datasetDescriptor, enabledReferenceTables } from '#providers/descriptors';

function label(index: number, name: string): string {
  return `exports[${index}] ${JSON.stringify(name)}`;
}

/** One line per switch naming an unknown table, and per export whose tables differ from its instance's first export. */
export function referenceTableProblems(exports: readonly ExportDefinition[]): string[] {
  const problems: string[] = [];
  const firstOfInstance = new Map<string, { index: number; tables: string }>();
  exports.forEach((def, index) => {
    const known = (datasetDescriptor(def).referenceTables ?? []).map((t) => t.name);
    for (const name of Object.keys(def.referenceTables ?? {}))
      if (!known.includes(name))
        problems.push(
          `${label(index, def.name)}: referenceTables.${name}: ${def.provider} ${def.dataset} has no such reference table (known: ${known.join(', ') || 'none'})`,
        );
    if (known.length === 0) return;
    const tables = enabledReferenceTables(def)
      .map((t) => t.name)
      .join(', ');
    const key = `${def.provider}\u0000${def.secretName}`;
    const first = firstOfInstance.get(key);
    if (!first) firstOfInstance.set(key, { index, tables });
    else if (first.tables !== tables)
      problems.push(
        `${label(index, def.name)}: referenceTables: refreshes [${tables}] but exports[${first.index}] of the same instance (secret ${JSON.stringify(def.secretName)}) refreshes [${first.tables}]: give both the same switches`,
      );
  });
  return problems;
}
