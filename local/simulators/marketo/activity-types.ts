// The activity types the simulator knows, shaped like GET /rest/v1/activities/types.json, plus what
// the create filter rules need: which asset group a type's primary attribute belongs to (only those
// types accept primaryAttributeValueIds / primaryAttributeValues) and whether bulk export allows it.

export type AssetGroup = 'Attribute Name' | 'Marketing Program' | 'Static List' | 'Web Form';

export interface ActivityAttribute {
  readonly name: string;
  readonly dataType: string;
}

export interface ActivityType {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly primaryAttribute?: ActivityAttribute;
  readonly attributes: readonly ActivityAttribute[];
  /** Asset group of the primary attribute when filtering on it is supported. */
  readonly assetGroup?: AssetGroup;
  /** Relative frequency in generated data (0: never generated). */
  readonly weight: number;
  /** Web activities are not run by a campaign: campaignId is empty. */
  readonly campaignless?: boolean;
}

const s = (name: string): ActivityAttribute => ({ name, dataType: 'string' });
const n = (name: string): ActivityAttribute => ({ name, dataType: 'integer' });
const b = (name: string): ActivityAttribute => ({ name, dataType: 'boolean' });

const WEB = [s('Client IP Address'), s('Query Parameters'), s('Referrer URL'), s('User Agent')];
const EMAIL = [n('Campaign Run ID'), n('Choice Number'), n('Step ID')];

export const ACTIVITY_TYPES: readonly ActivityType[] = [
  {
    id: 1,
    name: 'Visit Webpage',
    description: 'User visits a web page',
    primaryAttribute: n('Webpage ID'),
    attributes: [...WEB, s('Search Engine'), s('Search Query'), s('Webpage URL')],
    weight: 30,
    campaignless: true,
  },
  {
    id: 2,
    name: 'Fill Out Form',
    description: 'User fills out and submits form on web page',
    primaryAttribute: n('Webform ID'),
    attributes: [...WEB, s('Form Fields'), n('Webpage ID')],
    assetGroup: 'Web Form',
    weight: 6,
    campaignless: true,
  },
  {
    id: 3,
    name: 'Click Link',
    description: 'User clicks link on a page',
    primaryAttribute: n('Link ID'),
    attributes: [...WEB, n('Webpage ID')],
    weight: 8,
    campaignless: true,
  },
  {
    id: 6,
    name: 'Send Email',
    description: 'Send Marketo Email to a person',
    primaryAttribute: n('Mail ID'),
    attributes: EMAIL,
    weight: 12,
  },
  {
    id: 7,
    name: 'Email Delivered',
    description: 'Marketo Email is delivered to a person',
    primaryAttribute: n('Mail ID'),
    attributes: EMAIL,
    weight: 11,
  },
  {
    id: 8,
    name: 'Email Bounced',
    description: 'Marketo Email bounces',
    primaryAttribute: n('Mail ID'),
    attributes: [...EMAIL, s('Category'), s('Details'), s('Email'), s('Subcategory')],
    weight: 1,
  },
  {
    id: 9,
    name: 'Unsubscribe Email',
    description: 'Person unsubscribes from Marketo Emails',
    primaryAttribute: n('Mail ID'),
    attributes: [...WEB, n('Campaign Run ID'), n('Webform ID')],
    weight: 1,
  },
  {
    id: 10,
    name: 'Open Email',
    description: 'User opens Marketo Email',
    primaryAttribute: n('Mail ID'),
    attributes: [...EMAIL, s('Device'), b('Is Mobile Device'), s('Platform'), s('User Agent')],
    weight: 9,
  },
  {
    id: 11,
    name: 'Click Email',
    description: 'User clicks on a link in a Marketo Email',
    primaryAttribute: n('Mail ID'),
    attributes: [...EMAIL, s('Device'), b('Is Mobile Device'), s('Link'), s('Platform'), s('User Agent')],
    weight: 5,
  },
  {
    id: 12,
    name: 'New Lead',
    description: 'New person/record is added to the lead database',
    attributes: [s('Created Date'), s('Form Name'), s('Lead Source'), s('Source Type')],
    weight: 2,
  },
  {
    id: 13,
    name: 'Change Data Value',
    description: 'Changed attribute value for a person',
    primaryAttribute: n('Attribute Name'),
    attributes: [s('New Value'), s('Old Value'), s('Reason'), s('Source')],
    assetGroup: 'Attribute Name',
    weight: 6,
  },
  {
    id: 22,
    name: 'Change Score',
    description: 'Change a person score',
    primaryAttribute: n('Score Name'),
    attributes: [s('Change Value'), n('New Value'), n('Old Value'), s('Reason')],
    assetGroup: 'Attribute Name',
    weight: 4,
  },
  {
    id: 24,
    name: 'Add to List',
    description: 'Person is added to a list',
    primaryAttribute: n('List ID'),
    attributes: [s('Source')],
    assetGroup: 'Static List',
    weight: 2,
  },
  {
    id: 25,
    name: 'Remove from List',
    description: 'Person is removed from a list',
    primaryAttribute: n('List ID'),
    attributes: [s('Source')],
    assetGroup: 'Static List',
    weight: 1,
  },
  {
    id: 32,
    name: 'Merge Leads',
    description: 'Merge two or more leads (written on the winning lead)',
    primaryAttribute: n('Lead ID'),
    attributes: [b('Master Updated'), s('Merge Source'), s('Merge ids'), b('Merged in Sales')],
    weight: 1,
  },
  {
    id: 37,
    name: 'Delete Lead',
    description: 'Delete person from the lead database',
    attributes: [s('Lead ID'), s('Remove from CRM')],
    weight: 0,
  },
  {
    id: 46,
    name: 'Interesting Moment',
    description: 'Interesting moment for a person',
    primaryAttribute: n('Marketo Asset Name'),
    attributes: [s('Description'), s('Source'), s('Date')],
    weight: 1,
  },
  {
    id: 104,
    name: 'Change Status in Progression',
    description: 'Change a program member status',
    primaryAttribute: n('Program ID'),
    attributes: [
      b('Acquired By'),
      s('New Status'),
      n('New Status ID'),
      s('Old Status'),
      n('Old Status ID'),
      n('Program Member ID'),
      s('Reason'),
      b('Success'),
    ],
    assetGroup: 'Marketing Program',
    weight: 3,
  },
];

/** "Delete Lead" is not exported in bulk (Get Deleted Leads covers it). */
export const DELETE_LEAD_TYPE_ID = 37;
/** "Merge Leads", written on the winning lead (the instance's timeline places them). */
export const MERGE_LEADS_TYPE_ID = 32;

export const ACTIVITY_TYPES_BY_ID: ReadonlyMap<number, ActivityType> = new Map(ACTIVITY_TYPES.map((t) => [t.id, t]));

/** The public shape of one type in types.json (internal fields removed). */
export function describeActivityType(type: ActivityType): Record<string, unknown> {
  const { id, name, description, primaryAttribute, attributes } = type;
  return primaryAttribute
    ? { id, name, description, primaryAttribute, attributes }
    : { id, name, description, attributes };
}
