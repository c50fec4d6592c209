// The activity types an export draws rows from, each encoded once up front (ids, primary attribute
// values, attribute variants) so that rendering a row only copies bytes. A type's share of rows follows
// its weight: a row picks the slot whose cumulative weight first exceeds its random point.
import { ACTIVITY_TYPES, ACTIVITY_TYPES_BY_ID, DELETE_LEAD_TYPE_ID, type ActivityType } from './activity-types';
import { POOL_OF_TYPE, PRIMARY_POOLS, attributesFor, type PrimaryValue } from './activity-pools';
import type { ExportRequest } from './create-request';
import type { FieldEncoder } from './delimited-format';
import { Rng, hashString, mix32 } from './prng';

/** How many attribute values each type cycles through. */
export const ATTRIBUTE_VARIANTS = 64;

export interface EncodedPrimary {
  readonly id: number;
  readonly name: string;
  readonly idBytes: Buffer;
  readonly nameBytes: Buffer;
}

export interface TypeSlot {
  readonly type: ActivityType;
  readonly idBytes: Buffer;
  readonly cumulativeWeight: number;
  readonly primary: readonly EncodedPrimary[];
  readonly attributes: readonly Buffer[];
}

/**
 * The slots of the types the filter asks for (by default every type but Delete Lead with a weight),
 * and their total weight. `key` is the export's data key: the attribute variants derive from it.
 */
export function typeSlots(
  filter: ExportRequest['filter'],
  key: number,
  encode: FieldEncoder,
): { slots: TypeSlot[]; totalWeight: number } {
  const wanted = filter.activityTypeIds
    ? filter.activityTypeIds.map((id) => ACTIVITY_TYPES_BY_ID.get(id)).filter((t): t is ActivityType => t !== undefined)
    : ACTIVITY_TYPES.filter((t) => t.id !== DELETE_LEAD_TYPE_ID && t.weight > 0);
  let cumulative = 0;
  const slots = wanted.map((type) => {
    cumulative += Math.max(1, type.weight);
    return {
      type,
      idBytes: Buffer.from(String(type.id)),
      cumulativeWeight: cumulative,
      primary: primaryValuesFor(type, filter).map((v) => ({
        ...v,
        idBytes: Buffer.from(String(v.id)),
        nameBytes: Buffer.from(encode(v.name), 'utf8'),
      })),
      attributes: attributeVariants(type, key, encode),
    };
  });
  return { slots, totalWeight: cumulative };
}

/** The slot a point in [0, totalWeight) falls in. */
export function pickSlot(slots: readonly TypeSlot[], point: number): TypeSlot {
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k];
    if (slot && point < slot.cumulativeWeight) return slot;
  }
  const last = slots[slots.length - 1];
  if (!last) throw new Error('no activity types to generate');
  return last;
}

/** The values a type's primary attribute takes, narrowed by the primary attribute filters. */
function primaryValuesFor(type: ActivityType, filter: ExportRequest['filter']): readonly PrimaryValue[] {
  const poolName = POOL_OF_TYPE[type.id];
  if (!poolName || !type.primaryAttribute) return [];
  const pool = PRIMARY_POOLS[poolName];
  const { primaryAttributeValueIds: ids, primaryAttributeValues: names } = filter;
  const group = type.assetGroup ?? type.name;
  // Lead fields of both attribute-name types share one pool, so an id resolves whichever type asked.
  const lookup = poolName === 'score' ? PRIMARY_POOLS.leadField : pool;
  if (ids) return ids.map((id) => lookup.find((v) => v.id === id) ?? { id, name: `${group} ${id}` });
  if (names)
    return names.map(
      (name) => lookup.find((v) => v.name === name) ?? { id: 100_000 + (hashString(name) % 900_000), name },
    );
  return pool;
}

function attributeVariants(type: ActivityType, key: number, encode: FieldEncoder): Buffer[] {
  const rng = new Rng(mix32(key, 0x5eed0000 + type.id));
  return Array.from({ length: ATTRIBUTE_VARIANTS }, () =>
    Buffer.from(encode(JSON.stringify(attributesFor(type, rng))), 'utf8'),
  );
}
