// The views that make one Marketo instance's exports answer an analyst's questions, each ONE SQL text
// for Athena (a Glue view) and DuckDB (`npm start -- query`), so a query means the same in both:
// - `<activities>_named`: every activity with its type's, campaign's and primary attribute's names;
//   the attribute is resolved through the asset table whose `primaryAttributes` hold the type's
//   `primary_attribute` (read from activity_types, not a list of types); NULL when the asset is gone.
// - `<prefix>_merged_leads` (`marketo_activities` → `marketo_merged_leads`): one row per losing lead of
//   each "Merge Leads" activity (type 32, on the winning lead; the losers in its `Merge ids` attribute).
// - `<leads>_current`: the newest row per lead with `deleted_at` (Get Deleted Leads) and `merged_into`
//   (merges followed to the final winner).
// Views are made for each instance (exports sharing a secret) from its first activities, leads and
// deleted-leads exports, and only over the reference tables the instance refreshes.
import type { ColumnType } from './descriptor';
import type { ExportDefinition } from '#shared/export-definition';
import { tableNameOf } from '#window/table-names';
import { enabledReferenceTables, latestView, tableLayout } from './descriptors';
import { latestViewOf } from './latest-view';
import { MARKETO_ASSET_TABLES } from './marketo/asset-tables';
import { onePerId, quoted, sqlText } from './view-sql';
import { PARTITION_COLUMN } from '#window/bucket-layout';

export interface AnalystView {
  readonly name: string;
  /** The export the view is named after (the one to rename when its name is taken). */
  readonly export: string;
  readonly description: string;
  readonly sql: string;
  /** The tables and views the SQL reads (DuckDB makes the view only once they all exist). */
  readonly reads: readonly string[];
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}

/** Marketo's standard activity type of a merge (on the winning lead). */
export const MERGE_LEADS_ACTIVITY_TYPE_ID = 32;
/** How many merges deep `merged_into` follows a chain (a winner that later lost, …). */
export const MERGE_CHAIN_DEPTH = 8;

type Def = ExportDefinition;

function columnOf(def: Def, field: string): string | undefined {
  return tableLayout(def).columns.find((c) => c.field === field)?.name;
}

/** The merges of an activities export: losing lead, winning lead, when, from which activity. */
function mergesSql(activities: Def): string | undefined {
  const [lead, type, date, attributes, guid] = [
    'leadId',
    'activityTypeId',
    'activityDate',
    'attributes',
    'marketoGUID',
  ].map((f) => columnOf(activities, f));
  if (!lead || !type || !date || !attributes || !guid) return undefined;
  // `Merge ids` holds the losers as a list ("[1001446]", "1001446, 1001447"): its digits, one row each.
  const losers = `regexp_extract_all(regexp_extract(${quoted(attributes)}, '"Merge ids"\\s*:\\s*"?\\[?([0-9, ]+)', 1), '[0-9]+')`;
  return (
    `SELECT CAST(loser.id AS BIGINT) AS losing_lead_id, CAST(merge_activity.${quoted(lead)} AS BIGINT) AS winning_lead_id, ` +
    `merge_activity.${quoted(date)} AS merged_at, merge_activity.${quoted(guid)} AS activity_guid ` +
    `FROM (SELECT ${quoted(lead)}, ${quoted(date)}, ${quoted(guid)}, ${losers} AS loser_ids FROM ${quoted(tableNameOf(activities.name))} ` +
    `WHERE ${quoted(type)} = ${MERGE_LEADS_ACTIVITY_TYPE_ID}) merge_activity CROSS JOIN UNNEST(merge_activity.loser_ids) AS loser(id)`
  );
}

function namedView(activities: Def): AnalystView | undefined {
  const enabled = new Set(enabledReferenceTables(activities).map((t) => t.name));
  const [type, campaign, primary] = ['activityTypeId', 'campaignId', 'primaryAttributeValueId'].map((f) =>
    columnOf(activities, f),
  );
  if (!enabled.has('activity_types') || !type || !campaign || !primary) return undefined;
  const table = tableNameOf(activities.name);
  const assets = MARKETO_ASSET_TABLES.filter((t) => enabled.has(t.name));
  const joins = [
    `LEFT JOIN ${onePerId('activity_types', ['id', 'name', 'primary_attribute'])} t ON t."id" = a.${quoted(type)}`,
    ...(enabled.has('marketo_smart_campaigns')
      ? [`LEFT JOIN ${onePerId('marketo_smart_campaigns', ['id', 'name'])} c ON c."id" = a.${quoted(campaign)}`]
      : []),
    ...assets.map(
      (asset, i) =>
        `LEFT JOIN ${onePerId(asset.name, ['id', 'name'])} p${i} ON t."primary_attribute" IN (${asset.primaryAttributes.map(sqlText).join(', ')}) AND p${i}."id" = a.${quoted(primary)}`,
    ),
  ];
  const campaignName = enabled.has('marketo_smart_campaigns') ? 'c."name"' : 'CAST(NULL AS VARCHAR)';
  const valueName =
    assets.length === 0 ? 'CAST(NULL AS VARCHAR)' : `COALESCE(${assets.map((_, i) => `p${i}."name"`).join(', ')})`;
  const sql =
    `SELECT a.*, t."name" AS activity_type_name, ${campaignName} AS campaign_name, ` +
    `t."primary_attribute" AS primary_attribute_name, ${valueName} AS primary_attribute_value_name ` +
    `FROM ${quoted(table)} a ${joins.join(' ')}`;
  const columns = [
    ...tableLayout(activities).columns.map((c) => ({ name: c.name, type: c.type })),
    { name: PARTITION_COLUMN, type: 'string' as const },
    ...['activity_type_name', 'campaign_name', 'primary_attribute_name', 'primary_attribute_value_name'].map(
      (name) => ({
        name,
        type: 'string' as const,
      }),
    ),
  ];
  return {
    name: `${table}_named`,
    export: activities.name,
    reads: [
      table,
      'activity_types',
      ...(enabled.has('marketo_smart_campaigns') ? ['marketo_smart_campaigns'] : []),
      ...assets.map((t) => t.name),
    ],
    description: `Every activity of export "${activities.name}" with its type's, campaign's and primary attribute's names (NULL when the asset no longer exists).`,
    sql,
    columns,
  };
}

/** `marketo_activities` → `marketo_merged_leads`; another name gets `_merged_leads` appended. */
export function mergedLeadsViewName(activitiesTable: string): string {
  return `${activitiesTable.replace(/_activities$/, '')}_merged_leads`;
}

function mergedView(activities: Def): AnalystView | undefined {
  const sql = mergesSql(activities);
  if (!sql) return undefined;
  return {
    name: mergedLeadsViewName(tableNameOf(activities.name)),
    export: activities.name,
    reads: [tableNameOf(activities.name)],
    description: `Merged leads from the "Merge Leads" activities of export "${activities.name}": each losing lead, the lead it was merged into, when, and the activity.`,
    sql,
    columns: [
      { name: 'losing_lead_id', type: 'bigint' },
      { name: 'winning_lead_id', type: 'bigint' },
      { name: 'merged_at', type: 'timestamp' },
      { name: 'activity_guid', type: 'string' },
    ],
  };
}

function currentView(leads: Def, activities: Def | undefined, deleted: Def | undefined): AnalystView | undefined {
  const table = tableNameOf(leads.name);
  const latest = latestViewOf(leads, table);
  const key = latestView(leads)?.key;
  if (!latest || key?.length !== 1) return undefined;
  const id = quoted(key[0]!);
  const merges = activities ? mergesSql(activities) : undefined;
  // The newest merge of each loser (a re-exported activity must not fork the chain).
  const lastMerge = merges
    ? `(SELECT losing_lead_id, max_by(winning_lead_id, merged_at) AS winning_lead_id FROM (${merges}) merges GROUP BY losing_lead_id)`
    : undefined;
  const chain = lastMerge
    ? Array.from(
        { length: MERGE_CHAIN_DEPTH },
        (_, i) =>
          `LEFT JOIN ${lastMerge} m${i + 1} ON m${i + 1}.losing_lead_id = ${i === 0 ? `l.${id}` : `m${i}.winning_lead_id`}`,
      )
    : [];
  const mergedInto = lastMerge
    ? `COALESCE(${Array.from({ length: MERGE_CHAIN_DEPTH }, (_, i) => `m${MERGE_CHAIN_DEPTH - i}.winning_lead_id`).join(', ')})`
    : 'CAST(NULL AS BIGINT)';
  const [deletedLead, deletedDate] = deleted ? [columnOf(deleted, 'leadId'), columnOf(deleted, 'activityDate')] : [];
  const deletions =
    deleted && deletedLead && deletedDate
      ? `LEFT JOIN (SELECT ${quoted(deletedLead)} AS lead_id, max(${quoted(deletedDate)}) AS deleted_at FROM ${quoted(tableNameOf(deleted.name))} GROUP BY ${quoted(deletedLead)}) d ON d.lead_id = l.${id}`
      : undefined;
  const sql =
    `SELECT l.*, ${deletions ? 'd.deleted_at' : 'CAST(NULL AS TIMESTAMP)'} AS deleted_at, ${mergedInto} AS merged_into ` +
    `FROM (${latest.sql}) l ${[deletions, ...chain].filter(Boolean).join(' ')}`;
  return {
    name: `${table}_current`,
    export: leads.name,
    reads: [
      table,
      ...(lastMerge && activities ? [tableNameOf(activities.name)] : []),
      ...(deletions && deleted ? [tableNameOf(deleted.name)] : []),
    ],
    description: `One row per lead of export "${leads.name}": its newest values, when it was deleted and the lead it was finally merged into (both NULL for a live lead).`,
    sql,
    columns: [
      ...latest.columns.map((c) => ({ name: c.name, type: c.type })),
      { name: PARTITION_COLUMN, type: 'string' },
      { name: 'deleted_at', type: 'timestamp' },
      { name: 'merged_into', type: 'bigint' },
    ],
  };
}

/** Every analyst view of the Marketo instances among `exports`. */
export function marketoViewsOf(exports: readonly Def[]): AnalystView[] {
  const instances = new Map<string, Def[]>();
  for (const def of exports.filter((d) => d.provider === 'marketo'))
    instances.set(def.secretName, [...(instances.get(def.secretName) ?? []), def]);
  return [...instances.values()].flatMap((defs) => {
    const activities = defs.find((d) => d.dataset === 'activities');
    const leads = defs.find((d) => d.dataset === 'leads' && latestView(d));
    const deleted = defs.find((d) => d.dataset === 'deleted-leads');
    return [
      activities && namedView(activities),
      activities && mergedView(activities),
      leads && currentView(leads, activities, deleted),
    ].filter((view): view is AnalystView => view !== undefined);
  });
}
