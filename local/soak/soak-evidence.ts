// What the soak gathers besides the runs' own words: the remote jobs the simulators saw created, per
// window and simulated day, and the windows the ledger holds in quarantine with their reasons.
import * as path from 'node:path';
import { readLedger } from '#window/ledger-store';
import { LocalDirObjectStore } from '../store/local-dir-object-store';
import { SOAK_EXPORTS } from './soak-calendar';
import type { SoakSimulators } from './soak-simulators';

const DAY_MS = 86_400_000;

export interface CreateCall {
  readonly export: string;
  /** ISO start of the window the job was created for. */
  readonly window: string;
  /** The simulated day it was created on (the simulators' clock reads that day). */
  readonly day: number;
  readonly jobId: string;
}

export interface Quarantined {
  readonly export: string;
  readonly start: string;
  readonly end: string;
  readonly attempts: number;
  readonly reason: string;
}

const iso = (value: string) => new Date(Date.parse(value)).toISOString().replace('.000Z', 'Z');

export function createCalls(sims: SoakSimulators, firstStart: Date): CreateCall[] {
  const dayOf = (at: string) => Math.floor((Date.parse(at) - firstStart.getTime()) / DAY_MS);
  const calls: CreateCall[] = [];
  for (const job of sims.marketo.jobs()) {
    const createdAt = (job.filter as { createdAt?: { startAt?: string } }).createdAt?.startAt;
    if (createdAt === undefined) continue;
    calls.push({
      export: SOAK_EXPORTS.marketo,
      window: iso(createdAt),
      day: dayOf(job.createdAt),
      jobId: job.exportId,
    });
  }
  for (const task of sims.clickwrap.tasks()) {
    const start = /created_time>=(\S+)/.exec(task.filter)?.[1];
    if (start === undefined) continue;
    calls.push({ export: SOAK_EXPORTS.clickwrap, window: iso(start), day: dayOf(task.createdAt), jobId: task.id });
  }
  return calls;
}

export async function quarantinedWindows(storeDir: string, exports: readonly string[]): Promise<Quarantined[]> {
  const store = new LocalDirObjectStore({ root: path.resolve(storeDir) });
  const out: Quarantined[] = [];
  for (const name of exports) {
    const { ledger } = await readLedger(store, name);
    for (const w of ledger.windows.filter((e) => e.state === 'quarantined')) {
      out.push({
        export: name,
        start: w.start,
        end: w.end,
        attempts: w.attempts,
        reason: w.lastError ? `${w.lastError.name}: ${w.lastError.message}` : '(no reason recorded)',
      });
    }
  }
  return out;
}
