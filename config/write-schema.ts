// Regenerates config/pipeline.schema.json (editor support for pipeline.json) from the zod schema:
//   npx tsx config/write-schema.ts
// test/lib/config-schema.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPipelineConfigSchema } from '../lib/config';

const target = fileURLToPath(new URL('./pipeline.schema.json', import.meta.url));
writeFileSync(target, renderPipelineConfigSchema());
process.stdout.write(`wrote ${target}\n`);
