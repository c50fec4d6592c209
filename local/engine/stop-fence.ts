// Once a local execution is stopped, the steps still in flight must not start or finish uploads: the
// stopped run's cleanup aborts what is open, and an upload created or completed behind its back would
// outlive it. Every other store call passes (a job record written now is what lets the cleanup cancel
// a job created a moment ago).
import type { ObjectStore } from '#transfer/object-store';

export class ExecutionStoppedError extends Error {
  override readonly name = 'ExecutionStoppedError';
}

const FENCED = new Set<keyof ObjectStore>(['createUpload', 'uploadPart', 'completeUpload']);

export function fencedStore(store: ObjectStore, stopped: () => boolean): ObjectStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!FENCED.has(property as keyof ObjectStore)) return method.bind(target);
      return (...args: unknown[]) => {
        if (stopped())
          return Promise.reject(
            new ExecutionStoppedError(`the execution was stopped: no ${String(property)} any more`),
          );
        return method.apply(target, args);
      };
    },
  });
}
