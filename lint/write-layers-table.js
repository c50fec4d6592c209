// `npm run docs:layers`: writes the layering table of lint/layers.js into docs/architecture.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { withLayersTable } from './layers-table.js';

const page = new URL('../docs/architecture.md', import.meta.url);
writeFileSync(page, withLayersTable(readFileSync(page, 'utf8')));
