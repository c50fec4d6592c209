// The file columns, mode and latest-view key of an entity export (leads, program members, custom
// objects), from its validated request alone: pure, so `cdk synth` can build the tables.
import type { DatasetLayout, LatestViewKey } from '../descriptor';
import type { ProviderRequest } from '../types';
import { entityMode, type EntityRequest } from './entity-request';
import { columnTypeOf } from './field-types';
import { marketoFileLayout } from './file-layout';

/** The layout function of a dataset whose standard fields have the types `standard` (Marketo data types). */
export function entityLayout(standard: Readonly<Record<string, string>>) {
  return (request: ProviderRequest): DatasetLayout => {
    const entity = request as Partial<EntityRequest>;
    const types: Readonly<Record<string, string>> = { ...standard, ...entity.fieldTypes };
    return marketoFileLayout(entity, entity.fields ?? [], (field) => columnTypeOf(field, types[field] ?? 'string'));
  };
}

export function entityModeOf(request: ProviderRequest) {
  return entityMode(request as Partial<EntityRequest>);
}

/** The latest view's key for an incremental request; a snapshot is already one row per entity. */
export function entityLatest(key: (request: ProviderRequest) => readonly string[], orderBy: string) {
  return (request: ProviderRequest): LatestViewKey | undefined => (entityModeOf(request) === 'incremental' ? { key: key(request), orderBy } : undefined);
}
