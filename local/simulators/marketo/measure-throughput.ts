// Measures the simulator's file path (not a test: numbers depend on the machine).
//   npx tsx local/simulators/marketo/measure-throughput.ts [MiB=1024]
// 1. index: generate + SHA-256 a file of the given size (what job completion costs);
// 2. serve: download it over HTTP with a mid-file Range; reports MB/s and peak RSS.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { startMarketoSimulator } from './index';

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 1024);
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const sim = await startMarketoSimulator({
  queuedMs: 0,
  processingMs: 0,
  bytesPerJob: sizeMiB * MiB,
  dailyExportQuotaBytes: Number.MAX_SAFE_INTEGER,
});
const tokenForm = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: sim.clientId,
  client_secret: sim.clientSecret,
});
const token = (await (
  await fetch(`${sim.baseUrl}/identity/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenForm,
  })
).json()) as { access_token: string };
const headers = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
const call = async (method: string, path: string, body?: unknown) =>
  (await (
    await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  ).json()) as { result: Record<string, unknown>[] };

const created = await call('POST', '/bulk/v1/activities/export/create.json', {
  filter: { createdAt: { startAt: '2024-04-01T00:00:00Z', endAt: '2024-04-30T00:00:00Z' } },
});
const id = String(created.result[0]?.exportId);
await call('POST', `/bulk/v1/activities/export/${id}/enqueue.json`);
let started = performance.now();
const status = (await call('GET', `/bulk/v1/activities/export/${id}/status.json`)).result[0] ?? {};
const indexSeconds = (performance.now() - started) / 1000;
const size = Number(status.fileSize);
console.log(
  `index: ${(size / MiB).toFixed(0)} MiB, ${status.numberOfRecords} records in ${indexSeconds.toFixed(2)} s = ${(size / MiB / indexSeconds).toFixed(0)} MiB/s`,
);

started = performance.now();
const from = Math.floor(size / 3);
const res = await request(`${sim.baseUrl}/bulk/v1/activities/export/${id}/file.json`, {
  headers: { ...headers, range: `bytes=${from}-` },
});
const hash = createHash('sha256');
let received = 0;
for await (const chunk of res.body) {
  hash.update(chunk as Buffer);
  received += (chunk as Buffer).length;
}
const serveSeconds = (performance.now() - started) / 1000;
console.log(
  `serve: ${res.statusCode} ${(received / MiB).toFixed(0)} MiB from offset ${from} in ${serveSeconds.toFixed(2)} s = ${(received / MiB / serveSeconds).toFixed(0)} MiB/s (download hashed)`,
);
clearInterval(sampler);
console.log(`peak RSS: ${(peakRss / MiB).toFixed(0)} MiB`);
await sim.stop();
