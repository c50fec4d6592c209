// Client-credentials access tokens as Marketo's identity service issues them: one live token per
// client, handed out again (with its remaining life) until it expires.
import { randomUUID } from 'node:crypto';

export type TokenCheck = 'valid' | 'expired' | 'invalid';

export class TokenStore {
  private readonly expiry = new Map<string, number>();
  private current: string | undefined;

  constructor(
    private readonly now: () => Date,
    private readonly ttlSeconds: number,
  ) {}

  /** The live token and its remaining seconds, issuing a new one if none is live. */
  issue(): { token: string; expiresIn: number } {
    const now = this.now().getTime();
    const existing = this.current;
    const existingExpiry = existing ? this.expiry.get(existing) : undefined;
    if (existing && existingExpiry !== undefined && existingExpiry > now) {
      return { token: existing, expiresIn: Math.ceil((existingExpiry - now) / 1000) };
    }
    // Marketo tokens look like `cdf01657-110d-4155-99a7-f986b2ff13a0:ab`.
    const token = `${randomUUID()}:sim`;
    this.expiry.set(token, now + this.ttlSeconds * 1000);
    this.current = token;
    return { token, expiresIn: this.ttlSeconds };
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return 'invalid';
    const expiry = this.expiry.get(token);
    if (expiry === undefined) return 'invalid';
    return expiry > this.now().getTime() ? 'valid' : 'expired';
  }

  /** Every token issued so far, live or not. */
  issuedTokens(): string[] {
    return [...this.expiry.keys()];
  }

  /** Every issued token expires now (the next token request gets a new one). */
  expireAll(): void {
    const now = this.now().getTime();
    for (const token of this.expiry.keys()) this.expiry.set(token, now);
  }
}
