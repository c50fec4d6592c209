// Realistic names and attribute payloads for generated activities: the values a primary attribute
// takes (forms, pages, emails, lists, programs, lead fields) and per-type `attributes` JSON. Some
// carry accents, CJK, emoji and U+2028 on purpose: real exports do, and parsers trip on them.
import type { ActivityType } from './activity-types';
import { ID_SPACE } from './entity-schema';
import type { Rng } from './prng';

/** Lead ids of the instance: the leads export's id space (entity-schema.ts uniqueId), shared by activities. */
export const LEAD_ID_BASE = 1;
export const LEAD_ID_SPACE = ID_SPACE;

export interface PrimaryValue {
  readonly id: number;
  readonly name: string;
}

const PROGRAMS = [
  'GL_OP_ALL_2021',
  'NA_WEB_2024_Q3',
  'EMEA_Event_München_2024',
  'APAC_東京セミナー_2024',
  'Nurture_Onboarding',
  'LATAM_Webinar_São_Paulo',
  'FY25_ABM_Enterprise',
  'Partner_Co-Marketing',
];
const FORMS = [
  'MPS Outbound',
  'Contact Us',
  'Demo Request',
  'Newsletter Sign-up',
  'Café Registration',
  'Whitepaper Download',
  'Event RSVP',
];
const EMAILS = [
  'Welcome Email',
  'Webinar Invite',
  '🚀 Product Launch',
  'Relance été',
  'Monthly Digest',
  'Renewal Reminder',
  'お知らせ',
];
const LISTS = ['Imported Leads', 'Event Attendees', 'Do Not Contact', 'Churn Risk', 'Trade Show Badge Scans'];
const PAGES = [
  'pricing.html',
  'blog/2024/launch',
  'fr/tarifs',
  'ja/製品',
  'de/über-uns',
  'contact-us',
  'resources/ebook',
  'careers',
];
const LEAD_FIELDS = [
  'Job Title',
  'Phone Number',
  'Lead Status',
  'Company Name',
  'Email Address',
  'Country',
  'Person Source',
  'Unsubscribed',
];
const SCORES = ['Lead Score', 'Behavior Score', 'Demographic Score'];
const MOMENTS = ['Pricing page visit', 'Webinar attended', 'Requested a demo', 'Opened 5 emails'];
const PEOPLE = [
  'José García',
  'Zoë Müller',
  '山田 太郎',
  'Ødegård, Ærø',
  'Li Wei',
  "Anne-Marie O'Neil",
  'Ngozi Okafor',
  'Renée Dubois',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
];
const STATUSES = ['Not in Program', 'Member', 'Invited', 'Registered', 'Attended', 'No Show', 'On List'];

const cross = (left: readonly string[], right: readonly string[]) => left.flatMap((l) => right.map((r) => `${l}.${r}`));
const numbered = (base: number, names: readonly string[]): PrimaryValue[] =>
  names.map((name, i) => ({ id: base + i, name }));

export type PoolName = 'webpage' | 'form' | 'link' | 'email' | 'leadField' | 'score' | 'list' | 'program' | 'moment';

/** Asset pools, each with ids in its own range so a filter id can be looked up. */
export const PRIMARY_POOLS: Readonly<Record<PoolName, readonly PrimaryValue[]>> = {
  webpage: numbered(
    1000,
    PAGES.map((p) => `www.example.com/${p}`),
  ),
  form: numbered(2000, cross(PROGRAMS, FORMS)),
  link: numbered(
    3000,
    PAGES.map((p) => `https://www.example.com/${p}?utm_source=email`),
  ),
  email: numbered(4000, cross(PROGRAMS, EMAILS)),
  leadField: numbered(10, [...LEAD_FIELDS, ...SCORES]),
  score: numbered(10 + LEAD_FIELDS.length, SCORES),
  list: numbered(5000, cross(PROGRAMS, LISTS)),
  program: numbered(6000, PROGRAMS),
  moment: numbered(7000, MOMENTS),
};

export const POOL_OF_TYPE: Readonly<Record<number, PoolName>> = {
  1: 'webpage',
  2: 'form',
  3: 'link',
  6: 'email',
  7: 'email',
  8: 'email',
  9: 'email',
  10: 'email',
  11: 'email',
  13: 'leadField',
  22: 'score',
  24: 'list',
  25: 'list',
  46: 'moment',
  104: 'program',
};

function ip(rng: Rng): string {
  return `${10 + rng.int(200)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** One `attributes` object for an activity of `type`, keyed as Marketo names them. */
export function attributesFor(type: ActivityType, rng: Rng): Record<string, unknown> {
  const web = () => ({
    'Client IP Address': ip(rng),
    'Query Parameters':
      rng.float() < 0.5 ? '' : `utm_source=${rng.pick(['google', 'linkedin', 'newsletter'])}&utm_medium=cpc`,
    'Referrer URL': rng.pick(['https://www.google.com/', 'https://www.linkedin.com/', '']),
    'User Agent': rng.pick(AGENTS),
  });
  const email = () => ({
    'Campaign Run ID': 10000 + rng.int(90000),
    'Choice Number': rng.int(3),
    'Step ID': 100 + rng.int(900),
  });
  const device = () => {
    const mobile = rng.float() < 0.4;
    return {
      Device: mobile ? 'iPhone' : 'Computer',
      'Is Mobile Device': mobile,
      Platform: mobile ? 'iOS' : 'Windows',
      'User Agent': rng.pick(AGENTS),
    };
  };
  switch (type.id) {
    case 1:
      return { ...web(), 'Search Engine': null, 'Search Query': null, 'Webpage URL': `/${rng.pick(PAGES)}` };
    case 2: {
      const person = rng.pick(PEOPLE);
      const fields = {
        FirstName: person.split(' ')[0],
        Email: `user${rng.int(100000)}@example.com`,
        Comments: rng.float() < 0.3 ? 'Merci beaucoup!\u2028See you soon 👋' : '',
      };
      return { ...web(), 'Form Fields': JSON.stringify(fields), 'Webpage ID': 1000 + rng.int(PAGES.length) };
    }
    case 3:
      return { ...web(), 'Webpage ID': 1000 + rng.int(PAGES.length) };
    case 8:
      return {
        ...email(),
        Category: '1',
        Details: '550 5.1.1 The email account that you tried to reach does not exist',
        Email: `bounce${rng.int(100000)}@example.org`,
        Subcategory: '1003',
      };
    case 9:
      return { ...web(), 'Campaign Run ID': 10000 + rng.int(90000), 'Webform ID': 2000 + rng.int(20) };
    case 10:
      return { ...email(), ...device() };
    case 11:
      return { ...email(), ...device(), Link: `https://www.example.com/${rng.pick(PAGES)}` };
    case 12:
      return {
        'Created Date': '2024-05-01',
        'Form Name': rng.pick(FORMS),
        'Lead Source': rng.pick(['Website', 'Trade Show', 'List Import']),
        'Source Type': 'Web form fillout',
      };
    case 13:
      return {
        'New Value': rng.pick(['Director', 'VP Marketing', 'Directeur Général', '営業部長', 'MQL']),
        'Old Value': rng.float() < 0.5 ? null : 'Manager',
        Reason: 'Form fill-out',
        Source: 'Web form fillout',
      };
    case 22: {
      const old = rng.int(100);
      const change = 1 + rng.int(20);
      return {
        'Change Value': `+${change}`,
        'New Value': old + change,
        'Old Value': old,
        Reason: rng.pick(['Visited pricing page', 'Opened email', 'Attended webinar']),
      };
    }
    case 24:
    case 25:
      return { Source: rng.pick(['Smart Campaign', 'List Import', 'Web service API']) };
    case 32:
      // The losers, as the list Marketo writes ("[1001446]"), from the leads' id space.
      return {
        'Master Updated': rng.float() < 0.5,
        'Merge Source': rng.pick(['Web service API', 'Lead Database', 'Salesforce']),
        'Merge ids': `[${Array.from({ length: 1 + rng.int(2) }, () => LEAD_ID_BASE + rng.int(LEAD_ID_SPACE)).join(',')}]`,
        'Merged in Sales': false,
      };
    case 46:
      return {
        Description: rng.pick([
          'Visited the pricing page 3 times',
          'Downloaded “State of B2B” ebook',
          'Réunion planifiée 📅',
        ]),
        Source: 'Web',
        Date: '2024-05-01',
      };
    case 104: {
      const from = rng.int(STATUSES.length);
      const to = rng.int(STATUSES.length);
      return {
        'Acquired By': rng.float() < 0.3,
        'New Status': STATUSES[to],
        'New Status ID': 20 + to,
        'Old Status': STATUSES[from],
        'Old Status ID': 20 + from,
        'Program Member ID': 3000000 + rng.int(1000000),
        Reason: 'Changed by Smart Campaign Nurture.Step action Change Program Status',
        Success: rng.float() < 0.8,
      };
    }
    default:
      return email();
  }
}

/** Values mixed into primaryAttributeValue on a fixed cadence (see HAZARDS in activity-hazards). */
export const NON_ASCII_SUFFIXES = [
  'Café Münster',
  '東京セミナー',
  '🚀 Launch Week',
  'Ærø Ødegård',
  'Zürich Événement 😀',
];
