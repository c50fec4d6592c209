// What a person sees while an export runs: one line per step change, and a live byte bar (bytes,
// rate, ETA) per file on a terminal; plain lines, throttled, when output is not a terminal (CI, logs).
import { SingleBar, Presets } from 'cli-progress';
import { redact } from '#shared/redact';
import type { StepEvent } from '#workflow/runtime';

export interface ProgressReporter {
  /** Subscribed to the runtime's step events. */
  onProgress(event: StepEvent): void;
  line(text: string): void;
  stop(): void;
}

const MB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / 1024 / MB).toFixed(2)} GiB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  let bar: SingleBar | undefined;
  let barKey: string | undefined;
  let lastPlain = 0;
  const started = new Map<string, number>();

  const line = (text: string) => {
    if (quiet) return;
    if (bar) bar.stop();
    bar = undefined;
    barKey = undefined;
    stream.write(`${redact(text)}\n`);
  };

  return {
    line,
    onProgress(event) {
      if (quiet) return;
      if (event.step === 'TransferChunk' && event.key && event.bytes !== undefined) {
        const t0 = started.get(event.key) ?? Date.now();
        started.set(event.key, t0);
        const seconds = Math.max((Date.now() - t0) / 1000, 0.001);
        const rate = event.bytes / MB / seconds;
        if (tty) {
          if (barKey !== event.key) {
            line(`  ↳ ${event.key}`);
            bar = new SingleBar(
              {
                format: '    {bar} {percentage}% | {done} of {size} | {rate} MiB/s',
                hideCursor: true,
                stream,
                barsize: 30,
              },
              Presets.shades_classic,
            );
            bar.start(event.totalBytes ?? event.bytes, 0, {
              done: '0 B',
              size: event.totalBytes ? formatBytes(event.totalBytes) : '?',
              rate: '0.0',
            });
            barKey = event.key;
          }
          if (!event.totalBytes) bar?.setTotal(Math.max(event.bytes, 1));
          bar?.update(event.bytes, { done: formatBytes(event.bytes), rate: rate.toFixed(1) });
        } else if (
          Date.now() - lastPlain > 2000 ||
          (event.totalBytes !== undefined && event.bytes >= event.totalBytes)
        ) {
          lastPlain = Date.now();
          const pct = event.totalBytes ? ` (${((100 * event.bytes) / event.totalBytes).toFixed(0)}%)` : '';
          stream.write(redact(`  ${event.key}: ${formatBytes(event.bytes)}${pct} at ${rate.toFixed(1)} MiB/s\n`));
        }
        return;
      }
      const where = event.window ? ` [${event.window.start} → ${event.window.end}]` : '';
      const what = event.message ?? (event.bytes !== undefined ? formatBytes(event.bytes) : '');
      // Polling says the same thing many times; keep the screen readable.
      if (event.step === 'CheckJob' && !tty && Date.now() - lastPlain < 2000) return;
      if (event.step === 'CheckJob') lastPlain = Date.now();
      line(`• ${event.step}${where}: ${what}`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
