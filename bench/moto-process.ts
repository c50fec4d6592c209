// The benchmark's own moto_server on a free 127.0.0.1 port, stopped by its pid.
import { readFileSync } from 'node:fs';
import { startMotoServer } from '../local/moto-server';

/** utime + stime of a process from /proc/<pid>/stat, in ms (clock ticks are 10 ms on Linux). */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export interface MotoProcess {
  readonly endpoint: string;
  /** CPU time moto_server has used so far (Linux /proc), in ms; undefined elsewhere. */
  cpuMs(): number | undefined;
  /** Drops every bucket (and the GiBs they hold) between cases. */
  reset(): Promise<void>;
  stop(): void;
}

export async function startMoto(): Promise<MotoProcess> {
  const moto = await startMotoServer();
  return {
    endpoint: moto.endpoint,
    cpuMs: () => processCpuMs(moto.pid),
    reset: moto.reset,
    stop: moto.stop,
  };
}
