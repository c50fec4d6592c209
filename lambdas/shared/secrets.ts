// Connection secrets are read at run time, cached for a few minutes per container, and never passed
// through state or logged. The cache keeps a TransferChunk loop from calling Secrets Manager per chunk.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AuthenticationError } from './errors';
import { registerSecretFields } from './redact';

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { value: unknown; expires: number }>();
let client: SecretsManagerClient | undefined;

export async function getSecretJson(secretName: string, now = Date.now()): Promise<unknown> {
  const hit = cache.get(secretName);
  if (hit && hit.expires > now) return hit.value;
  client ??= new SecretsManagerClient({});
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretName }));
  if (!res.SecretString) throw new AuthenticationError(`secret ${secretName} has no SecretString`);
  let value: unknown;
  try {
    value = JSON.parse(res.SecretString);
  } catch {
    // Never echo the content: it is a secret, even when malformed.
    throw new AuthenticationError(`secret ${secretName} is not valid JSON`);
  }
  // Blanked by every sink from the moment it is read (the providers register theirs again on parsing).
  registerSecretFields(value);
  cache.set(secretName, { value, expires: now + TTL_MS });
  return value;
}
