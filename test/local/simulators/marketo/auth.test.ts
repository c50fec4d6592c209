import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulator } from '../../../../local/simulators/marketo/index';
import { simClient, testClock, type SimClient } from './sim-client';

const TYPES = '/rest/v1/activities/types.json';

describe('Marketo simulator: identity and bearer tokens', () => {
  const clock = testClock('2024-05-01T12:00:00Z');
  let sim: MarketoSimulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startMarketoSimulator({
      now: clock.now,
      tokenTtlSeconds: 3600,
      clientId: 'id-1',
      clientSecret: 's3cret',
    });
    client = simClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.stop();
  });

  const tokenBody = async (id?: string, secret?: string) => {
    const answer = await client.fetchToken(id, secret);
    return { status: answer.status, body: JSON.parse(answer.body.toString()) as Record<string, unknown> };
  };
  const types = (headers: Record<string, string>, query = '') =>
    client.raw('GET', `${TYPES}${query}`, { headers }).then((a) => JSON.parse(a.body.toString()));

  it('issues a bearer token, then the same token with its remaining life until it expires', async () => {
    const first = await tokenBody();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: expect.any(String) });
    clock.advance(1000 * 1000);
    const again = await tokenBody();
    expect(again.body.access_token).toBe(first.body.access_token);
    expect(again.body.expires_in).toBe(2600);
    clock.advance(2600 * 1000);
    const renewed = await tokenBody();
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
    expect(renewed.body.expires_in).toBe(3600);
  });

  it('refuses client credentials in the URL (400) and a token request that is not a form POST', async () => {
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'id-1', client_secret: 's3cret' });
    const inUrl = await client.raw('POST', `/identity/oauth/token?${query}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(inUrl.status).toBe(400);
    expect(JSON.parse(inUrl.body.toString())).toEqual({
      error: 'invalid_request',
      error_description: 'Client credentials must be sent in the request body, not the URL',
    });
    expect((await client.raw('GET', '/identity/oauth/token')).status).toBe(405);
    const asJson = await client.raw('POST', '/identity/oauth/token', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(asJson.status).toBe(400);
    expect(sim.credentialsInUrls()).toEqual([`POST /identity/oauth/token?${query}`]);
  });

  it('refuses wrong credentials with HTTP 401 and no token', async () => {
    const bad = await tokenBody('id-1', 'wrong');
    expect(bad).toEqual({ status: 401, body: { error: 'unauthorized', error_description: 'Bad client credentials' } });
  });

  it('answers 601 without a bearer header, for an unknown token, and for a token sent as a query parameter', async () => {
    const { body } = await tokenBody();
    const token = String(body.access_token);
    for (const answer of [
      await types({}),
      await types({ authorization: 'Bearer not-a-token' }),
      await types({}, `?access_token=${token}`),
    ]) {
      expect(answer).toMatchObject({ success: false, errors: [{ code: '601', message: 'Access token invalid' }] });
    }
    expect(await types({ authorization: `Bearer ${token}` })).toMatchObject({ success: true });
  });

  it('answers 602 once the token has expired, by time or by expireTokens()', async () => {
    const { body } = await tokenBody();
    const headers = { authorization: `Bearer ${String(body.access_token)}` };
    clock.advance(Number(body.expires_in) * 1000);
    expect(await types(headers)).toMatchObject({
      success: false,
      errors: [{ code: '602', message: 'Access token expired' }],
    });

    const fresh = await tokenBody();
    const freshHeaders = { authorization: `Bearer ${String(fresh.body.access_token)}` };
    expect(await types(freshHeaders)).toMatchObject({ success: true });
    sim.expireTokens();
    expect(await types(freshHeaders)).toMatchObject({ success: false, errors: [{ code: '602' }] });
    // The file endpoint answers auth errors as JSON envelopes with HTTP 200, not as a file or a 401.
    const file = await client.raw('GET', '/bulk/v1/activities/export/any-id/file.json', { headers: freshHeaders });
    expect([file.status, file.headers['content-type']]).toEqual([200, 'application/json;charset=UTF-8']);
    expect(JSON.parse(file.body.toString())).toMatchObject({ success: false, errors: [{ code: '602' }] });
    const next = await tokenBody();
    expect(next.body.access_token).not.toBe(fresh.body.access_token);
    expect(await types({ authorization: `Bearer ${String(next.body.access_token)}` })).toMatchObject({ success: true });
  });
});
