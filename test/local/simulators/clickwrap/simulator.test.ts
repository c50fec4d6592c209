// The simulator itself, spoken to with plain fetch: what it promises the client tests rely on.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickwrapSimulator } from '../../../../local/simulators/clickwrap';
import type { ClickwrapSimulator } from '../../../../local/simulators/clickwrap';

const CONNECTION_FIELDS = [
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
];
const WINDOW_FILTER = 'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-02T00:00:00Z';

describe('clickwrap simulator', () => {
  let sim: ClickwrapSimulator;
  let nowMs = Date.parse('2024-03-10T12:00:00Z');
  const auth = () => ({ authorization: `Bearer ${sim.apiToken}` });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.baseUrl}${path}`, { ...init, headers: { ...auth(), ...(init.headers as Record<string, string>) } });
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  async function completedTask(
    filter = WINDOW_FILTER,
    fields = 'id,signer_id,created_time,event_type,custom_data.note',
  ) {
    const created = (await (
      await api(`/tasks/export/activity?${q({ filter, fields, no_count: 'true', lean: 'true' })}`, { method: 'POST' })
    ).json()) as { data: { id: string; status: string } };
    nowMs += 10_000;
    const polled = (await (await api(`/tasks/export/${created.data.id}`)).json()) as {
      data: { id: string; status: string; links?: unknown[] };
    };
    return { created: created.data, polled: polled.data };
  }

  beforeAll(async () => {
    sim = await startClickwrapSimulator({
      recordsPerDay: 120,
      rowsPerFile: 50,
      processingMs: 4000,
      linkTtlMs: 60_000,
      now: () => new Date(nowMs),
      seed: 7,
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('answers 401 without the Bearer token and 429 with Retry-After on demand', async () => {
    expect((await fetch(`${sim.baseUrl}/activity`)).status).toBe(401);
    sim.faults.rateLimitNext = 1;
    const limited = await api('/activity');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await api('/activity')).status).toBe(200);
  });

  it('runs a task from pending through processing to several links, each a CSV with its own header', async () => {
    const created = (await (
      await api(
        `/tasks/export/activity?${q({ filter: WINDOW_FILTER, fields: 'id,signer_id,created_time,event_type' })}`,
        { method: 'POST' },
      )
    ).json()) as { data: { id: string; status: string; job_name: string } };
    expect(created.data).toMatchObject({ status: 'pending', job_name: 'GenerateExportCSV' });
    expect(created.data.id).toMatch(/^[0-9a-f]{24}$/);
    nowMs += 2500;
    expect(
      ((await (await api(`/tasks/export/${created.data.id}`)).json()) as { data: { status: string } }).data.status,
    ).toBe('processing');
    nowMs += 2500;
    const done = (
      (await (await api(`/tasks/export/${created.data.id}`)).json()) as { data: { status: string; links: string[] } }
    ).data;
    expect(done.status).toBe('completed');
    expect(done.links).toHaveLength(3);
    let previous = '';
    for (const [i, link] of done.links.entries()) {
      expect(link.startsWith(sim.fileHostUrl)).toBe(true);
      const res = await fetch(link);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.equals(sim.fileBytes(created.data.id, i + 1))).toBe(true);
      const rows = parse(bytes, { columns: true }) as Array<Record<string, string>>;
      for (const row of rows) {
        expect(row.created_time! >= previous).toBe(true);
        expect(row.created_time! >= '2024-03-01T00:00:00.000Z' && row.created_time! < '2024-03-02T00:00:00.000Z').toBe(
          true,
        );
        previous = row.created_time!;
      }
    }
  });

  it('serves Range (206, suffix, 416) and refuses an Authorization header like a pre-signed store', async () => {
    const { polled } = await completedTask();
    const link = polled.links![0] as string;
    const whole = sim.fileBytes(polled.id, 1);
    const part = await fetch(link, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
    const suffix = await fetch(link, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(whole.length - 5))).toBe(true);
    const beyond = await fetch(link, { headers: { range: `bytes=${whole.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);

    const before = sim.stats().authHeadersOnFileHost;
    const withAuth = await fetch(link, { headers: auth() });
    expect(withAuth.status).toBe(400);
    expect(await withAuth.text()).toContain('InvalidArgument');
    expect(sim.stats().authHeadersOnFileHost).toBe(before + 1);
  });

  it('expires links by age and on demand, refuses forged ones, and signs fresh ones on the next poll', async () => {
    const { polled } = await completedTask();
    const link = polled.links![0] as string;
    expect((await fetch(link.replace(/X-Signature=[0-9a-f]{4}/, 'X-Signature=0000'))).status).toBe(403);
    nowMs += 61_000;
    const old = await fetch(link);
    expect(old.status).toBe(403);
    expect(await old.text()).toContain('Request has expired');
    const fresh = ((await (await api(`/tasks/export/${polled.id}`)).json()) as { data: { links: string[] } }).data
      .links[0]!;
    expect(fresh).not.toBe(link);
    expect((await fetch(fresh)).status).toBe(200);
    sim.faults.expireLinksNow();
    expect((await fetch(fresh)).status).toBe(403);
  });

  it('ignores Range when told to', async () => {
    const other = await startClickwrapSimulator({ fileHostHonoursRange: false, processingMs: 0, recordsPerDay: 20 });
    try {
      const created = (await (
        await fetch(`${other.baseUrl}/tasks/export/activity?${q({ filter: WINDOW_FILTER })}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${other.apiToken}` },
        })
      ).json()) as { data: { id: string } };
      const polled = (await (
        await fetch(`${other.baseUrl}/tasks/export/${created.data.id}`, {
          headers: { authorization: `Bearer ${other.apiToken}` },
        })
      ).json()) as { data: { links: string[] } };
      const res = await fetch(polled.data.links[0]!, { headers: { range: 'bytes=10-' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('accept-ranges')).toBe('none');
      expect(Buffer.from(await res.arrayBuffer()).equals(other.fileBytes(created.data.id, 1))).toBe(true);
    } finally {
      await other.stop();
    }
  });

  it('rejects fields without id, signer_id, created_time, unknown fields and unreadable filters with 400', async () => {
    const post = (params: Record<string, string>) => api(`/tasks/export/activity?${q(params)}`, { method: 'POST' });
    const missing = await post({ filter: WINDOW_FILTER, fields: 'id,created_time' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('signer_id');
    expect((await post({ filter: WINDOW_FILTER, fields: 'id,signer_id,created_time,bogus' })).status).toBe(400);
    expect((await post({ filter: 'created_time>=tomorrow' })).status).toBe(400);
    expect((await post({ filter: 'event_type agreed' })).status).toBe(400);
  });

  it('generates realistic activity: every documented field, all event types, ISO timestamps with milliseconds', async () => {
    const week = 'created_time>=2024-03-01T00:00:00Z and created_time<2024-03-08T00:00:00Z';
    const types = new Set<string>();
    for (let page = 1; page <= 9; page += 1) {
      const body = (await (
        await api(
          `/activity?${q({ filter: week, page: String(page), per_page: '100', no_count: 'true', lean: 'true' })}`,
        )
      ).json()) as {
        data: Array<Record<string, unknown>>;
        has_more: boolean;
        total_count: unknown;
        per_page: number;
      };
      expect(body.total_count).toBeNull();
      expect(body.has_more).toBe(page < 9); // 840 rows, 100 a page
      for (const row of body.data) {
        for (const key of [
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
        ])
          expect(row).toHaveProperty(key);
        expect(row.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Object.keys(row.connection_data as object).sort()).toEqual([...CONNECTION_FIELDS].sort());
        expect(typeof (row.custom_data as Record<string, unknown>).vip).toBe('boolean');
        types.add(row.event_type as string);
      }
    }
    expect([...types].sort()).toEqual(['agreed', 'disagreed', 'displayed', 'sent', 'updated', 'visited']);
    const clamped = (await (await api(`/activity?${q({ filter: week, per_page: '5000' })}`)).json()) as {
      per_page: number;
      total_count: number;
    };
    expect(clamped.per_page).toBe(100);
    expect(clamped.total_count).toBe(840);
  });

  it('is deterministic per seed', async () => {
    const a = await startClickwrapSimulator({
      seed: 3,
      processingMs: 0,
      recordsPerDay: 30,
      now: () => new Date(nowMs),
    });
    const b = await startClickwrapSimulator({
      seed: 3,
      processingMs: 0,
      recordsPerDay: 30,
      now: () => new Date(nowMs),
    });
    const c = await startClickwrapSimulator({
      seed: 4,
      processingMs: 0,
      recordsPerDay: 30,
      now: () => new Date(nowMs),
    });
    try {
      const bytes = async (s: ClickwrapSimulator) => {
        const res = await fetch(`${s.baseUrl}/tasks/export/activity?${q({ filter: WINDOW_FILTER })}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${s.apiToken}` },
        });
        const id = ((await res.json()) as { data: { id: string } }).data.id;
        await fetch(`${s.baseUrl}/tasks/export/${id}`, { headers: { authorization: `Bearer ${s.apiToken}` } });
        return s.fileBytes(id, 1);
      };
      const [ba, bb, bc] = [await bytes(a), await bytes(b), await bytes(c)];
      expect(ba.equals(bb)).toBe(true);
      expect(ba.equals(bc)).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });

  it('applies task faults: failure, hostile links, link objects', async () => {
    sim.faults.failNextTask = 'boom';
    const failed = await completedTask();
    expect(failed.polled).toMatchObject({ status: 'failed', error: 'boom' });
    sim.faults.hostileLinks = 'http://127.0.0.1:1/steal';
    const hostile = await completedTask();
    expect((hostile.polled.links as string[]).every((l) => l.startsWith('http://127.0.0.1:1/steal?part='))).toBe(true);
    expect((await completedTask()).polled.links![0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//); // hostile only once
    sim.faults.linkStyle = 'href';
    const styled = await completedTask();
    delete sim.faults.linkStyle;
    expect(styled.polled.links![0]).toMatchObject({ href: expect.stringContaining('/files/') });
  });

  it('lists export fields for its site and 404s others', async () => {
    const res = (await (await api('/sites/5193/exportFields')).json()) as { data: Array<{ field: string }> };
    expect(res.data.map((f) => f.field)).toContain('connection_data.remote_address');
    expect((await api('/sites/1/exportFields')).status).toBe(404);
    expect(sim.stats().byPath['GET /sites/:id/exportFields']).toBe(2);
  });

  it('quotes awkward values (commas, quotes, newlines) so the CSV parses back to the same rows', async () => {
    const { polled } = await completedTask(
      WINDOW_FILTER,
      'id,signer_id,created_time,custom_data.note,connection_data.page_title,connection_data.user_agent',
    );
    const rows = (polled.links as string[]).flatMap(
      (_, i) => parse(sim.fileBytes(polled.id, i + 1), { columns: true }) as Array<Record<string, string>>,
    );
    expect(rows).toHaveLength(120);
    expect(rows.some((r) => r['custom_data.note'] === 'line one\nline two')).toBe(true);
    expect(rows.some((r) => r['connection_data.page_title'] === 'Sign up — "Pro" plan')).toBe(true);
  });

  it('a poison value stays in its window until removed: every task over it carries the value, others none', async () => {
    const at = Date.parse('2024-03-01T06:00:00Z');
    sim.faults.poison = { field: 'created_time', value: 'last tuesday', atMs: at };
    const firstRow = (id: string) => sim.fileBytes(id, 1).toString('utf8').split('\n')[1] ?? '';
    const first = await completedTask(WINDOW_FILTER, 'id,signer_id,created_time');
    const again = await completedTask(WINDOW_FILTER, 'id,signer_id,created_time');
    const other = await completedTask(
      'created_time>=2024-03-02T00:00:00Z and created_time<2024-03-03T00:00:00Z',
      'id,signer_id,created_time',
    );
    expect(firstRow(first.created.id)).toContain('last tuesday');
    expect(firstRow(again.created.id)).toContain('last tuesday');
    expect(firstRow(other.created.id)).not.toContain('last tuesday');
    delete sim.faults.poison;
    const fixed = await completedTask(WINDOW_FILTER, 'id,signer_id,created_time');
    expect(firstRow(fixed.created.id)).not.toContain('last tuesday');
  });
});
