// Get Paging Token and Get Deleted Leads on the simulator, over real HTTP: query validation of both
// routes, paging to `moreResult: false`, determinism, the slack before `sinceDatetime`, expiring and
// unknown tokens, and the mid-paging fault switch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { simClient, testClock, type Envelope, type SimClient } from './sim-client';

const PAGING = '/rest/v1/activities/pagingtoken.json';
const DELETED = '/rest/v1/activities/deletedleads.json';

interface Page extends Envelope {
  moreResult?: boolean;
}

describe('Marketo simulator: deleted leads', () => {
  const clock = testClock('2026-03-03T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startMarketoSimulator({ now: clock.now, rateLimit: false, deletedLeads: { perHour: 20 } });
    client = simClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });

  const token = async (since: string) => {
    const answer = await client.call('GET', `${PAGING}?sinceDatetime=${encodeURIComponent(since)}`);
    expect(answer).toMatchObject({ success: true, nextPageToken: expect.any(String) });
    return answer.nextPageToken!;
  };
  const page = async (pageToken: string, batchSize?: number) =>
    (await client.call(
      'GET',
      `${DELETED}?nextPageToken=${encodeURIComponent(pageToken)}${batchSize === undefined ? '' : `&batchSize=${batchSize}`}`,
    )) as Page;

  async function allPages(
    since: string,
    batchSize?: number,
  ): Promise<{ pages: Page[]; records: Record<string, unknown>[] }> {
    const pages: Page[] = [];
    let next = await token(since);
    for (;;) {
      const answer = await page(next, batchSize);
      expect(answer.success).toBe(true);
      pages.push(answer);
      if (!answer.moreResult) break;
      next = answer.nextPageToken!;
    }
    return { pages, records: pages.flatMap((p) => p.result ?? []) };
  }

  it('pages 300 at most until moreResult is false; every record is a Delete Lead up to now, in id and date order', async () => {
    const { pages, records } = await allPages('2026-03-01T00:00:00Z');
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(0, -1).every((p) => p.result?.length === 300)).toBe(true);
    expect(pages.at(-1)!.nextPageToken).toEqual(expect.any(String));
    const ids = records.map((r) => r.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const dates = records.map((r) => Date.parse(r.activityDate as string));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(Math.max(...dates)).toBeLessThanOrEqual(clock.now().getTime());
    expect(
      records.every(
        (r) => r.activityTypeId === 37 && r.primaryAttributeValueId === r.leadId && Array.isArray(r.attributes),
      ),
    ).toBe(true);
    expect(records.some((r) => r.marketoGUID === undefined)).toBe(true);
    expect(records.some((r) => r.primaryAttributeValue === null)).toBe(true);
    expect(records.some((r) => typeof r.primaryAttributeValue === 'string' && /\n/.test(r.primaryAttributeValue))).toBe(
      true,
    );
  });

  it('is deterministic, and the page size only changes how the same records are cut', async () => {
    const a = await allPages('2026-03-02T00:00:00Z');
    const b = await allPages('2026-03-02T00:00:00Z', 37);
    expect(b.records).toEqual(a.records);
    expect(b.pages.length).toBeGreaterThan(a.pages.length);
    // What the test hook says the route holds for a window is what paging returns inside it.
    const inWindow = a.records.filter(
      (r) =>
        (r.activityDate as string) >= '2026-03-02T00:00:00Z' && (r.activityDate as string) < '2026-03-03T00:00:00Z',
    );
    expect(sim.deletedLeads.recordsBetween('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toEqual(inWindow);
  });

  it('a date token starts a little before sinceDatetime (a place in the log, not an instant): the client must cut', async () => {
    const { records } = await allPages('2026-03-02T06:00:00Z');
    const first = Date.parse(records[0]!.activityDate as string);
    expect(first).toBeLessThan(Date.parse('2026-03-02T06:00:00Z'));
    expect(first).toBeGreaterThanOrEqual(Date.parse('2026-03-02T05:50:00Z'));
  });

  it('a date-only sinceDatetime is midnight UTC; a future one gives an empty last page', async () => {
    expect((await allPages('2026-03-03')).records.length).toBeGreaterThan(0);
    const future = await page(await token('2026-04-01T00:00:00Z'));
    expect(future).toMatchObject({ success: true, result: [], moreResult: false, nextPageToken: expect.any(String) });
  });

  const refused: [string, string, RegExp][] = [
    ['no sinceDatetime', PAGING, /sinceDatetime cannot be blank/],
    ['an unreadable sinceDatetime', `${PAGING}?sinceDatetime=yesterday`, /Invalid sinceDatetime/],
    ['a datetime without a zone', `${PAGING}?sinceDatetime=2026-03-01T00:00:00`, /Invalid sinceDatetime/],
    [
      'an unknown parameter',
      `${PAGING}?sinceDatetime=2026-03-01T00:00:00Z&until=2026-03-02T00:00:00Z`,
      /Invalid parameter: 'until'/,
    ],
    ['no nextPageToken', DELETED, /nextPageToken cannot be blank/],
    ['an unknown token', `${DELETED}?nextPageToken=bm90LWEtdG9rZW4`, /Invalid nextPageToken/],
    ['batchSize 301', `${DELETED}?nextPageToken=x&batchSize=301`, /Invalid batchSize/],
    ['batchSize 0', `${DELETED}?nextPageToken=x&batchSize=0`, /Invalid batchSize/],
  ];
  it.each(refused)('refuses %s with 1003 in an HTTP 200 envelope', async (_what, path, message) => {
    const answer = await client.call('GET', path);
    expect(answer.success).toBe(false);
    expect(answer.errors?.[0]).toMatchObject({ code: '1003', message: expect.stringMatching(message) });
  });

  it('both routes are GET only (605)', async () => {
    const answer = await client.call('POST', `${PAGING}?sinceDatetime=2026-03-01T00:00:00Z`);
    expect(answer.errors?.[0]?.code).toBe('605');
  });

  it('tokens expire: after their lifetime, or when the switch expires every token issued so far', async () => {
    const fresh = await token('2026-03-02T00:00:00Z');
    sim.deletedLeads.expirePagingTokens();
    expect((await page(fresh)).errors?.[0]).toEqual({ code: '1003', message: 'Expired nextPageToken' });
    const later = await token('2026-03-02T00:00:00Z');
    clock.advance(3601_000);
    try {
      expect((await page(later)).errors?.[0]).toEqual({ code: '1003', message: 'Expired nextPageToken' });
    } finally {
      clock.set('2026-03-03T12:00:00Z');
    }
  });

  it('the mid-paging switch answers its code after the given pages, then paging goes on', async () => {
    let next = await token('2026-03-01T00:00:00Z');
    sim.deletedLeads.faults.failMidPaging = { afterPages: 1, code: '607' };
    const first = await page(next);
    expect(first.success).toBe(true);
    next = first.nextPageToken!;
    const refusedPage = await page(next);
    expect(refusedPage.errors?.[0]).toEqual({ code: '607', message: 'Daily quota reached' });
    const again = await page(next);
    expect(again.success).toBe(true);
    expect(sim.deletedLeads.faults.failMidPaging).toBeUndefined();
  });
});
