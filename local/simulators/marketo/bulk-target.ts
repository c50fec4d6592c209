// Which bulk type (and, for custom objects, which object) a job belongs to. All types share one queue
// and one export quota; the listing and a job's other routes are per type.
import type { EntityType } from './entity-schema';

export type BulkTypeName = 'activities' | EntityType;

export interface BulkTarget {
  readonly type: BulkTypeName;
  /** Custom objects: the object's API name from the path. */
  readonly apiName?: string;
}

export function sameTarget(a: BulkTarget, b: BulkTarget): boolean {
  return a.type === b.type && (a.apiName ?? '') === (b.apiName ?? '');
}
