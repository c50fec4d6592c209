// The Marketo asset reference tables (programs, smart campaigns, static lists, emails, forms, landing
// pages): where the Asset API lists each one and the columns its rows become. Pure: lib/ reads them at
// `cdk synth` for the Glue tables. Each is paged with offset/maxReturn (200 a call, the API's maximum),
// so a refresh costs ceil(assets / 200) + 1 REST calls of the shared daily budget.
import type { ColumnType, ReferenceTableDescriptor } from '#providers/descriptor';

/** A reference table one Asset API listing fills. */
export interface MarketoAssetTable extends ReferenceTableDescriptor {
  /** GET route of the listing (paged with offset/maxReturn). */
  readonly path: string;
  /**
   * The primary attribute names (as activity types name them in types.json) whose value ids are this
   * table's ids: the named view resolves an activity's primary attribute through the table whose
   * names include its type's `primary_attribute`.
   */
  readonly primaryAttributes: readonly string[];
}

type Column = { readonly name: string; readonly type: ColumnType };

const COMMON: readonly Column[] = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'string' },
  { name: 'description', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'workspace', type: 'string' },
  { name: 'folder_id', type: 'int' },
  { name: 'folder_type', type: 'string' },
  { name: 'folder_name', type: 'string' },
  { name: 'created_at', type: 'timestamp' },
  { name: 'updated_at', type: 'timestamp' },
  { name: 'url', type: 'string' },
];
/** The instance (API host, or `simulator`) the row describes: two instances may use one id for two assets. */
const SOURCE: Column = { name: 'source', type: 'string' };

function assetTable(
  name: string,
  path: string,
  what: string,
  extra: readonly Column[],
  onByDefault: boolean,
  primaryAttributes: readonly string[],
): MarketoAssetTable {
  return {
    name,
    path,
    onByDefault,
    primaryAttributes,
    description: `Marketo ${what} (id → name, type, status, folder, …), refreshed by every run of a Marketo bulk export; \`source\` names the instance (its host) the rows describe.`,
    columns: [...COMMON, ...extra, SOURCE],
  };
}

export const PROGRAMS_TABLE = assetTable(
  'marketo_programs',
  '/rest/asset/v1/programs.json',
  'programs',
  [
    { name: 'channel', type: 'string' },
    /** JSON text: the program's tags ([{tagType, tagValue}]). */
    { name: 'tags', type: 'string' },
  ],
  true,
  ['Program ID'],
);
export const SMART_CAMPAIGNS_TABLE = assetTable(
  'marketo_smart_campaigns',
  '/rest/asset/v1/smartCampaigns.json',
  'smart campaigns',
  [
    { name: 'is_active', type: 'boolean' },
    { name: 'program_id', type: 'int' },
  ],
  true,
  ['Campaign ID'],
);
// Off by default: instances keep thousands of one-off import lists, so this listing costs the most
// calls for the names analysts ask for least ("Add to List" activities); turn it on per instance.
export const STATIC_LISTS_TABLE = assetTable(
  'marketo_static_lists',
  '/rest/asset/v1/staticLists.json',
  'static lists',
  [],
  false,
  ['List ID'],
);
export const EMAILS_TABLE = assetTable(
  'marketo_emails',
  '/rest/asset/v1/emails.json',
  'emails',
  [
    { name: 'subject', type: 'string' },
    { name: 'from_email', type: 'string' },
  ],
  true,
  ['Mail ID'],
);
export const FORMS_TABLE = assetTable('marketo_forms', '/rest/asset/v1/forms.json', 'forms', [], true, ['Webform ID']);
export const LANDING_PAGES_TABLE = assetTable(
  'marketo_landing_pages',
  '/rest/asset/v1/landingPages.json',
  'landing pages',
  [{ name: 'computed_url', type: 'string' }],
  true,
  ['Webpage ID'],
);

export const MARKETO_ASSET_TABLES: readonly MarketoAssetTable[] = [
  PROGRAMS_TABLE,
  SMART_CAMPAIGNS_TABLE,
  STATIC_LISTS_TABLE,
  EMAILS_TABLE,
  FORMS_TABLE,
  LANDING_PAGES_TABLE,
];
