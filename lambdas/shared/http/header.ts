// Reading one header of a Node/undici response, where a repeated header arrives as an array.

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of header `name` (lower case, as Node delivers them). */
export function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A Content-Length that is a plain byte count, or undefined. */
export function contentLengthOf(headers: ResponseHeaders): number | undefined {
  const value = firstHeader(headers, 'content-length');
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
