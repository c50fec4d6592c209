// The entity bulk types' schemas by type, for the create checks, the describe routes and the generator.
import { CUSTOM_OBJECT_SCHEMA } from './custom-object-data';
import type { EntitySchema, EntityType } from './entity-schema';
import { LEAD_SCHEMA } from './lead-data';
import { PROGRAM_MEMBER_SCHEMA } from './program-member-data';

const SCHEMAS: Readonly<Record<EntityType, EntitySchema>> = {
  leads: LEAD_SCHEMA,
  programMembers: PROGRAM_MEMBER_SCHEMA,
  customObjects: CUSTOM_OBJECT_SCHEMA,
};

export function schemaOf(entity: EntityType): EntitySchema {
  return SCHEMAS[entity];
}
