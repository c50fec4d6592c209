// Leads as this simulated instance holds them: Marketo's standard fields plus the instance's own custom
// fields (a multi-line text area, a boolean, a float, a date), as GET /rest/v1/leads/describe.json
// lists them and as a bulk lead export writes them.
import { mix32 } from './prng';
import { field, freeText, isoDate, isoSeconds, uniqueId, type EntitySchema, type RowContext } from './entity-schema';

const FIRST = ['José', 'Zoë', 'Li', 'Anne-Marie', 'Ngozi', 'Renée', 'Tarō', 'Øystein', 'Priya', 'Sam'];
const LAST = ['García', 'Müller', 'Wei', "O'Neil", 'Okafor', 'Dubois', '山田', 'Ødegård', 'Patel', 'Smith'];
const COMPANIES = [
  'Acme, Inc.',
  'Globex',
  'Initech',
  'Umbrella "Corp"',
  'Société Générale des Tests',
  '株式会社テスト',
  'Hooli',
];
const TITLES = ['CTO', 'VP Marketing', 'Data Engineer', 'Head of Ops', null] as const;
const STATUSES = ['New', 'Working', 'Nurture', 'Qualified', 'Disqualified'];
const DAY = 86_400;

export const LEAD_SCHEMA: EntitySchema = {
  fields: [
    field('id', 'integer', 'Id'),
    field('email', 'email', 'Email Address', 255),
    field('firstName', 'string', 'First Name', 255),
    field('lastName', 'string', 'Last Name', 255),
    field('company', 'string', 'Company Name', 255),
    field('title', 'string', 'Job Title', 255),
    field('phone', 'phone', 'Phone Number', 255),
    field('website', 'url', 'Website', 255),
    field('leadStatus', 'string', 'Lead Status', 255),
    field('leadScore', 'integer', 'Lead Score'),
    field('annualRevenue', 'currency', 'Annual Revenue'),
    field('unsubscribed', 'boolean', 'Unsubscribed'),
    field('acquisitionProgramId', 'reference', 'Acquisition Program Id'),
    field('createdAt', 'datetime', 'Created At'),
    field('updatedAt', 'datetime', 'Updated At'),
    field('accountNotes__c', 'text', 'Account Notes'),
    field('isCustomer__c', 'boolean', 'Is Customer'),
    field('discountRate__c', 'float', 'Discount Rate'),
    field('renewalDate__c', 'date', 'Renewal Date'),
  ],
  row(ctx: RowContext) {
    const { rng, row, key, mainSec, dateFilter } = ctx;
    const { lead } = ctx;
    const id = lead?.id ?? uniqueId(key, row);
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const ageSec = rng.int(400 * DAY);
    const settleSec = rng.int(30 * DAY);
    const createdSec = lead?.createdSec ?? (dateFilter === 'createdAt' ? mainSec : mainSec - ageSec);
    const updatedSec = lead?.updatedSec ?? (dateFilter === 'createdAt' ? mainSec + settleSec : mainSec);
    // A lead of the instance's timeline keeps its name; the rest is its state as of this update.
    if (lead) rng.reseed(mix32(lead.id, lead.updatedSec));
    const customer = rng.float() < 0.3;
    return {
      id: String(id),
      email: `${first}.${last}.${id}@sim.example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, 'x'),
      firstName: first,
      lastName: last,
      company: rng.pick(COMPANIES),
      title: rng.pick(TITLES),
      phone: rng.float() < 0.2 ? null : `+1 555 01${String(rng.int(100)).padStart(2, '0')}`,
      website: `https://sim.example.com/${id}`,
      leadStatus: rng.pick(STATUSES),
      leadScore: String(rng.int(200)),
      annualRevenue: rng.float() < 0.25 ? null : (rng.int(5_000_000_00) / 100).toFixed(2),
      unsubscribed: rng.float() < 0.1 ? 'true' : 'false',
      acquisitionProgramId: rng.float() < 0.4 ? null : String(1001 + rng.int(12)),
      createdAt: isoSeconds(createdSec),
      updatedAt: isoSeconds(updatedSec),
      accountNotes__c: freeText(ctx, `${first} ${last}`),
      isCustomer__c: customer ? 'true' : 'false',
      discountRate__c: customer ? String(rng.int(40) / 100) : null,
      renewalDate__c: customer ? isoDate(updatedSec + rng.int(365) * DAY) : null,
    };
  },
};
