// The simulated instance's one custom object, `car_c` (cars linked to leads): its describe answer and
// the rows a bulk custom object export writes. Other apiNames are unknown to this instance.
import { field, freeText, isoDate, isoSeconds, uniqueId, type EntitySchema, type RowContext } from './entity-schema';

export const CUSTOM_OBJECT_API_NAME = 'car_c';

const MODELS = ['Model Σ', 'Roadster', 'Family "Van"', 'Kei カー', 'Pickup, XL', 'Coupé'];
const DAY = 86_400;
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

export const CUSTOM_OBJECT_SCHEMA: EntitySchema = {
  fields: [
    field('marketoGUID', 'string', 'Marketo GUID', 36),
    field('leadId', 'reference', 'Lead'),
    field('vin', 'string', 'VIN', 17),
    field('model', 'string', 'Model', 255),
    field('year', 'integer', 'Year'),
    field('price', 'currency', 'Price'),
    field('isElectric', 'boolean', 'Electric'),
    field('purchaseDate', 'date', 'Purchase Date'),
    field('notes', 'text', 'Notes'),
    field('createdAt', 'datetime', 'Created At'),
    field('updatedAt', 'datetime', 'Updated At'),
  ],
  row(ctx: RowContext) {
    const { rng, row, key, mainSec } = ctx;
    const id = uniqueId(key, row);
    const hex = id.toString(16).padStart(12, '0');
    const createdSec = mainSec - rng.int(300 * DAY);
    const vin = Array.from({ length: 17 }, () => VIN_CHARS[rng.int(VIN_CHARS.length)]).join('');
    return {
      // Deterministic, unique per car within a file, the shape of Marketo's GUIDs.
      marketoGUID: `c0ffee00-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-0000${hex.slice(10).padStart(8, '0')}`,
      leadId: String(1 + rng.int(1_000_000)),
      vin,
      model: rng.pick(MODELS),
      year: String(2005 + rng.int(22)),
      price: (10_000 + rng.int(9_000_000) / 100).toFixed(2),
      isElectric: rng.float() < 0.35 ? 'true' : 'false',
      purchaseDate: rng.float() < 0.1 ? null : isoDate(createdSec),
      notes: freeText(ctx, vin),
      createdAt: isoSeconds(createdSec),
      updatedAt: isoSeconds(mainSec),
    };
  },
};
