// A provider base URL that travels credentials must be https; plain http only to a loopback address
// (a simulator on this machine). Shared by the descriptors' environment readers and the local runtime.
import { ValidationError } from './errors';
import { isSafeBaseUrl } from './http/loopback';

export function assertSafeBaseUrl(variable: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    throw new ValidationError(variable, `"${value}" is not a URL`, { cause: err });
  }
  if (isSafeBaseUrl(url)) return;
  throw new ValidationError(
    variable,
    `must be https (plain http only for 127.0.0.1/localhost), got ${url.protocol}//${url.host}`,
  );
}
