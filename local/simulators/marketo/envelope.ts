// The JSON envelope every Marketo REST/bulk answer uses, errors included (HTTP 200 either way).
import type { ServerResponse } from 'node:http';

export interface MarketoError {
  readonly code: string;
  readonly message: string;
}

/** Request ids look like Marketo's `e42b#14272d07d78`: four hex digits, '#', hex milliseconds. */
export function requestIdFactory(now: () => Date): () => string {
  let counter = 0x1a2b;
  return () => {
    counter = (counter + 0x9e7) & 0xffff;
    return `${counter.toString(16).padStart(4, '0')}#${now().getTime().toString(16)}`;
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendSuccess(
  res: ServerResponse,
  requestId: string,
  result: unknown[],
  extra: Record<string, unknown> = {},
): void {
  sendJson(res, 200, { requestId, result, success: true, ...extra });
}

export function sendFailure(res: ServerResponse, requestId: string, error: MarketoError): void {
  sendJson(res, 200, { requestId, success: false, errors: [{ code: error.code, message: error.message }] });
}

export function sendPlainText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
