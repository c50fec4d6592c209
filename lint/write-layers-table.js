// `npm run docs:layers`: writes the layering table of lint/layers.js into docs/architecture.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLayersTable } from './layers-table.js';

const page = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'architecture.md');
writeFileSync(page, withLayersTable(readFileSync(page, 'utf8')));
