// Realistic Clickwrap activity: every documented field, the event types seen in the wild, custom_data,
// the full connection_data, ISO timestamps with milliseconds. Generated per UTC day from the seed, so
// any window (export task or list route) sees the same rows.
import type { Random } from './random';
import { hashSeed, hexId, pick, seededRandom, weighted } from './random';

export type Activity = {
  id: string;
  uuid: string;
  version: string;
  contract: number;
  group: number;
  site: number;
  account: number;
  signer_id: string;
  event_type: string;
  batch: string | null;
  created_time: string;
  custom_data: Record<string, string | number | boolean>;
  connection_data: Record<string, string | number | boolean>;
};

export const SITE_ID = 5193;
export const ACCOUNT_ID = 2785;
const MS_PER_DAY = 86_400_000;

export const CONNECTION_FIELDS = [
  'page_title',
  'page_url',
  'page_domain',
  'page_path',
  'page_query',
  'hostname',
  'referrer',
  'browser_timezone',
  'browser_locale',
  'user_agent',
  'device_fingerprint',
  'operating_system',
  'environment',
  'screen_color_depth',
  'screen_resolution',
  'cookies',
  'remote_address',
] as const;

export const CUSTOM_FIELDS = ['vip', 'plan', 'first_name', 'note'] as const;

export const TOP_LEVEL_FIELDS = [
  'id',
  'uuid',
  'version',
  'contract',
  'group',
  'site',
  'account',
  'signer_id',
  'event_type',
  'batch',
  'created_time',
] as const;

const EVENT_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['displayed', 30],
  ['visited', 18],
  ['agreed', 30],
  ['disagreed', 5],
  ['updated', 10],
  ['sent', 7],
];
const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Zoë', 'José', 'Mei', 'Oluwaseun', "O'Brien", 'Björn', 'Priya'];
const PAGES = [
  { title: 'Checkout', path: '/checkout', query: '?step=3' },
  { title: 'Terms of Service, v3', path: '/legal/terms', query: '' },
  { title: 'Sign up — "Pro" plan', path: '/signup', query: '?plan=pro&ref=ad' },
  { title: 'Account settings', path: '/account', query: '' },
];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const NOTES = [
  '',
  '',
  '',
  'renewal',
  'asked about pricing, then agreed',
  'said "fine" and signed',
  'line one\nline two',
];

function signerId(random: Random, seed: number): string {
  const n = Math.floor(random() * 60);
  if (n % 10 === 0) return String(1000 + n); // some sites key signers by their own numeric ids
  if (n % 7 === 0) return `first.last+tag${n}@example.org`; // a '+' that must survive URL encoding
  return `user${n}.${seed % 97}@example.com`;
}

function activity(random: Random, seed: number, createdMs: number, key: string): Activity {
  const page = pick(random, PAGES);
  const contract = 10_000 + Math.floor(random() * 5);
  const agent = pick(random, AGENTS);
  return {
    id: hexId(24, seed, key, 'id'),
    uuid: [8, 4, 4, 4, 12].map((n, i) => hexId(n, seed, key, 'uuid', i)).join('-'),
    version: hexId(24, seed, 'version', contract),
    contract,
    group: 300 + (contract % 3),
    site: SITE_ID,
    account: ACCOUNT_ID,
    signer_id: signerId(random, seed),
    event_type: weighted(random, EVENT_TYPES),
    batch: random() < 0.2 ? hexId(24, seed, key, 'batch') : null,
    created_time: new Date(createdMs).toISOString(),
    custom_data: {
      vip: random() < 0.15,
      plan: pick(random, ['free', 'pro', 'enterprise']),
      first_name: pick(random, FIRST_NAMES),
      note: pick(random, NOTES),
    },
    connection_data: {
      page_title: page.title,
      page_url: `https://shop.example.com${page.path}${page.query}`,
      page_domain: 'shop.example.com',
      page_path: page.path,
      page_query: page.query,
      hostname: 'shop.example.com',
      referrer: random() < 0.5 ? 'https://www.google.com/' : '',
      browser_timezone: pick(random, ['America/Chicago', 'Europe/Berlin', 'Asia/Kolkata', 'UTC']),
      browser_locale: pick(random, ['en-US', 'de-DE', 'fr-FR', 'hi-IN']),
      user_agent: agent,
      device_fingerprint: hexId(32, seed, key, 'fp'),
      operating_system: agent.includes('Windows') ? 'Windows' : agent.includes('iPhone') ? 'iOS' : 'Mac OS',
      environment: agent.includes('iPhone') ? 'Mobile' : 'Desktop',
      screen_color_depth: 24,
      screen_resolution: pick(random, ['1920x1080', '2560x1440', '390x844']),
      cookies: true,
      remote_address: `203.0.113.${1 + Math.floor(random() * 254)}`,
    },
  };
}

/** Generates (and caches) one UTC day of activity, sorted by created_time. */
export function createActivityStore(
  seed: number,
  recordsPerDay: number,
): { between(startMs: number, endMs: number): Activity[] } {
  const days = new Map<number, Activity[]>();
  const day = (dayMs: number): Activity[] => {
    const cached = days.get(dayMs);
    if (cached) return cached;
    const random = seededRandom(hashSeed(seed, dayMs));
    const offsets = Array.from({ length: recordsPerDay }, () => Math.floor(random() * MS_PER_DAY)).sort(
      (a, b) => a - b,
    );
    const rows = offsets.map((offset, i) => activity(random, seed, dayMs + offset, `${dayMs}:${i}`));
    days.set(dayMs, rows);
    return rows;
  };
  return {
    between(startMs, endMs) {
      const out: Activity[] = [];
      for (let d = Math.floor(startMs / MS_PER_DAY) * MS_PER_DAY; d < endMs; d += MS_PER_DAY) {
        for (const row of day(d)) {
          const t = Date.parse(row.created_time);
          if (t >= startMs && t < endMs) out.push(row);
        }
      }
      return out;
    },
  };
}
