// The layering table as docs/architecture.md shows it, rendered from lint/layers.js so the page and the
// lint rule list the same allowances. `npm run docs:layers` writes it between the page's markers.
import { LAYERS } from './layers.js';

export const BEGIN = '<!-- layers table: written by `npm run docs:layers` from lint/layers.js -->';
export const END = '<!-- end of layers table -->';

const code = (items) => (items?.length ? items.map((i) => `\`${i}\``).join(', ') : '—');

export function renderLayersTable() {
  const rows = LAYERS.map((l) => {
    const reach = l.mayReach?.length ? `; relative: ${code(l.mayReach)}` : '';
    return `| \`${l.unit}/\` | ${code(l.mayImport)}${reach} | ${code(l.mayImportTypes)} | ${code(l.denyPackages)} | ${l.why} |`;
  });
  return [
    '| unit | may import (values) | may import as types only | packages refused | why |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The page with its table replaced by the rendered one; throws when the markers are missing. */
export function withLayersTable(page) {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md lacks the markers ${BEGIN} … ${END}`);
  return `${page.slice(0, start + BEGIN.length)}\n${renderLayersTable()}\n${page.slice(end)}`;
}
