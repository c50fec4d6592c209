// Regenerates the published JSON Schemas from their zod sources:
//   config/pipeline.schema.json       (editor support for pipeline.json, from lib/config.ts)
//   schemas/export-event.schema.json  (the completion event detail, from lambdas/workflow/events.ts)
//   schemas/window-manifest.schema.json (a window's manifest, from lambdas/window/manifest.ts)
// Run `npx tsx config/write-schema.ts`; test/lib/schemas.test.ts fails when a committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderPipelineConfigSchema } from '../lib/config';
import { renderExportEventSchema } from '../lambdas/workflow/events';
import { renderManifestSchema } from '../lambdas/window/manifest';

for (const [relative, render] of [
  ['./pipeline.schema.json', renderPipelineConfigSchema],
  ['../schemas/export-event.schema.json', renderExportEventSchema],
  ['../schemas/window-manifest.schema.json', renderManifestSchema],
] as const) {
  const target = fileURLToPath(new URL(relative, import.meta.url));
  writeFileSync(target, render());
  process.stdout.write(`wrote ${target}\n`);
}
