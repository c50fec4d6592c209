// Every form a Salesforce credential takes is blanked by the one redaction point: the client secret
// (raw, in a form body, inside HTTP Basic), the session id (with its `!`) as a Bearer value, a cookie
// `sid` or an `access_token` field, and the token answer's signature.
import { describe, expect, it } from 'vitest';
import { createSalesforceProvider } from '../../../../lambdas/providers/salesforce';
import { redact } from '../../../../lambdas/shared/redact';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { systemClock } from '../../../../lambdas/shared/clock';

const SECRET = 'sf-secret-8842-canary';
const CLIENT_ID = '3MVG9canary.client.id';
const SESSION = '00D5g000004canary!AQ8AQH0dEwxG7.r9Xw2sCanaryToken_x';

describe('Salesforce credentials in text that leaves the process', () => {
  it('are blanked once the provider parsed its secret, and the session-id shapes without registration', async () => {
    const provider = createSalesforceProvider(
      { instanceUrl: 'https://acme.my.salesforce.com', clientId: CLIENT_ID, clientSecret: SECRET },
      { clock: systemClock, logger: silentLogger },
    );
    await provider.close();
    const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
    const texts = [
      `client_secret=${encodeURIComponent(SECRET)}&grant_type=client_credentials`,
      `failed with ${SECRET}`,
      `authorization: Basic ${basic}`,
      `echo ${basic}`,
      `Authorization: Bearer ${SESSION}`,
      `Cookie: sid=${SESSION}; path=/`,
      `{"access_token":"${SESSION}","signature":"x9GpcanarySig+abc="}`,
    ];
    for (const text of texts) {
      const out = redact(text);
      expect(out, text).not.toContain(SECRET);
      expect(out, text).not.toContain('canary!');
      expect(out, text).not.toContain('CanaryToken');
      expect(out, text).not.toContain(basic);
      expect(out, text).not.toContain('canarySig');
    }
  });

  it('refuses the shared login hosts and plain http to a remote host, naming the field only', () => {
    const make = (instanceUrl: string) => () =>
      createSalesforceProvider(
        { instanceUrl, clientId: CLIENT_ID, clientSecret: SECRET },
        { clock: systemClock, logger: silentLogger },
      );
    expect(make('https://login.salesforce.com')).toThrow(/credentials\.instanceUrl.*My Domain/);
    expect(make('http://acme.my.salesforce.com')).toThrow(/credentials\.instanceUrl.*https/);
    expect(make('https://acme.my.salesforce.com/services')).toThrow(/credentials\.instanceUrl/);
  });
});
