// Deterministic kill points for the kill tests, local runs only: the process SIGKILLs itself (no
// cleanup, no summary, exactly as `kill -9`) at a named place, so a test can stop a run at each step
// boundary and in the middle of a publish and then check what readers see and what the next run does.
//   BULK_EXPORT_KILL_AT=before:<State>[#n] | after:<State>[#n]   as the n-th invocation starts / ends (default 1st)
//   BULK_EXPORT_KILL_ON_COPY=<n>                                  as the store starts the n-th copy (a publish)
// Unset (always, outside tests) they cost one lookup per task. Nothing in lambdas/ knows of them.
import type { ObjectStore } from '#transfer/object-store';

export const KILL_AT_VARIABLE = 'BULK_EXPORT_KILL_AT';
export const KILL_ON_COPY_VARIABLE = 'BULK_EXPORT_KILL_ON_COPY';

export interface FaultHooks {
  beforeTask(name: string): void;
  afterTask(name: string): void;
  store(store: ObjectStore): ObjectStore;
}

function killNow(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('SIGKILL did not end the process');
}

export function faultHooksFromEnv(env: NodeJS.ProcessEnv = process.env): FaultHooks {
  const killAt = env[KILL_AT_VARIABLE];
  const onCopy = env[KILL_ON_COPY_VARIABLE];
  const point = killAt ? parseKillPoint(killAt) : undefined;
  const copyNumber = onCopy ? Number(onCopy) : undefined;
  if (copyNumber !== undefined && !(Number.isInteger(copyNumber) && copyNumber > 0))
    throw new Error(`${KILL_ON_COPY_VARIABLE}=${onCopy}: expected a positive integer`);
  let seen = 0;
  let copies = 0;
  // before:X#n counts invocations as they start, after:X#n as they end (a Map runs several at once).
  const at = (when: 'before' | 'after', name: string) => {
    if (point?.state !== name || point.when !== when) return;
    if (++seen === point.nth) killNow();
  };
  return {
    beforeTask: (name) => at('before', name),
    afterTask: (name) => at('after', name),
    store: (store) =>
      copyNumber === undefined
        ? store
        : new Proxy(store, {
            get(target, property) {
              const value: unknown = Reflect.get(target, property, target);
              if (typeof value !== 'function') return value;
              const method = (value as (...args: unknown[]) => unknown).bind(target);
              if (property !== 'copyObject') return method;
              return (...args: unknown[]) => {
                if (++copies === copyNumber) killNow();
                return method(...args);
              };
            },
          }),
  };
}

function parseKillPoint(text: string): { when: 'before' | 'after'; state: string; nth: number } {
  const m = /^(before|after):([A-Za-z]+)(?:#(\d+))?$/.exec(text);
  if (!m) throw new Error(`${KILL_AT_VARIABLE}=${text}: expected before:<State>[#n] or after:<State>[#n]`);
  return { when: m[1] as 'before' | 'after', state: m[2]!, nth: m[3] ? Number(m[3]) : 1 };
}
