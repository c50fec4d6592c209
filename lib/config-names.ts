// Names `cdk deploy` would refuse: every Glue table and view the stack creates must have its own name,
// and they derive from export names (`x-y` → table `x_y`, view `x_y_latest`), so two exports, or an
// export and a reference table, can collide although every export name is unique. Found here they fail
// `cdk synth` (and the CLI) naming the export, not a CloudFormation rollback minutes into a deploy.
import type { ExportDefinition } from '#shared/export-definition';
import { latestView, referenceTablesOf } from '#providers/descriptors';
import { marketoViewsOf } from '#providers/marketo-views';
import { rejectsTableNameOf, tableNameOf } from '#window/table-names';

export const LATEST_VIEW_SUFFIX = '_latest';

interface Claim {
  readonly name: string;
  /** Who claims the name, as a config reader finds it. */
  readonly owner: string;
  /** The export whose `name` to change, when an export makes the claim. */
  readonly exportIndex?: number;
}

function claimsOf(exports: readonly ExportDefinition[]): Claim[] {
  const claims: Claim[] = [];
  exports.forEach((def, index) => {
    const table = tableNameOf(def.name);
    const label = `exports[${index}] ${JSON.stringify(def.name)}`;
    claims.push({ name: table, owner: `the table of ${label}`, exportIndex: index });
    if (latestView(def))
      claims.push({ name: `${table}${LATEST_VIEW_SUFFIX}`, owner: `the latest view of ${label}`, exportIndex: index });
    // Claimed whatever `badValues` says: switching it to "null" later must not meet a taken name.
    claims.push({
      name: rejectsTableNameOf(def.name),
      owner: `the rejects table reserved for ${label}`,
      exportIndex: index,
    });
  });
  for (const reference of referenceTablesOf(exports)) {
    claims.push({ name: reference.name, owner: `the reference table ${JSON.stringify(reference.name)}` });
  }
  for (const view of marketoViewsOf(exports)) {
    const index = exports.findIndex((def) => def.name === view.export);
    claims.push({ name: view.name, owner: `the view ${JSON.stringify(view.name)}`, exportIndex: index });
  }
  return claims;
}

/** One line per name two claims share, naming the export whose `name` to change. */
export function tableNameProblems(exports: readonly ExportDefinition[]): string[] {
  const first = new Map<string, Claim>();
  const problems: string[] = [];
  for (const claim of claimsOf(exports)) {
    const earlier = first.get(claim.name);
    if (!earlier) {
      first.set(claim.name, claim);
      continue;
    }
    const blamed = claim.exportIndex !== undefined ? claim : earlier;
    const other = blamed === claim ? earlier : claim;
    const index = blamed.exportIndex!;
    problems.push(
      `exports[${index}] ${JSON.stringify(exports[index]!.name)}: name: Athena name ${JSON.stringify(claim.name)} of ${blamed.owner} is also ${other.owner}: rename the export`,
    );
  }
  return problems;
}
