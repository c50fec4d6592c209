// Deterministic Marketo-like activity CSV of an exact size, with the hazards real files carry (quoted
// newlines and CRs, doubled quotes, delimiters in quotes, NUL, U+2028, non-ASCII), and a record count
// known by construction.
import { DEFAULT_ACTIVITY_FIELDS } from '../../../../lambdas/providers/marketo/activity-fields';

export interface ActivityCsvOptions {
  readonly size: number;
  readonly seed?: number;
  /** Put a quoted field's embedded newline at exactly these byte offsets (e.g. on part boundaries). */
  readonly quotedNewlineAt?: readonly number[];
  /** @default true */
  readonly trailingNewline?: boolean;
  readonly columns?: readonly string[];
}

export const ACTIVITY_HEADER: string[] = [...DEFAULT_ACTIVITY_FIELDS];

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const HAZARDS = [
  'line\nbreak',
  'cr\r\nlf',
  'say ""hi""',
  'a,b,c',
  'nul\u0000byte',
  'sep\u2028ar',
  'héllo wörld',
  'null',
  '"',
];

export function makeActivityCsv(options: ActivityCsvOptions): { data: Buffer; records: number } {
  const rand = prng(options.seed ?? 42);
  const header = `${(options.columns ?? ACTIVITY_HEADER).join(',')}\n`;
  const targets = [...(options.quotedNewlineAt ?? [])].sort((a, b) => a - b);
  const pieces: Buffer[] = [Buffer.from(header)];
  let length = pieces[0]!.length;
  let records = 0;
  if (options.size < length + 16) throw new Error(`size ${options.size} is too small for a header and one row`);
  const push = (text: string) => {
    const b = Buffer.from(text, 'utf8');
    pieces.push(b);
    length += b.length;
  };
  while (length + 600 < options.size) {
    const target = targets[0];
    if (target !== undefined && target < length + 300) {
      targets.shift();
      if (target > length + 4) {
        push(`p,"${'a'.repeat(target - length - 3)}\ntail""x"\n`);
        records++;
        continue;
      }
    }
    const n = Math.floor(rand() * 1e9);
    const hazard = rand() < 0.2 ? HAZARDS[Math.floor(rand() * HAZARDS.length)]! : `Form ${n % 1000}`;
    const quotedValue = `"${hazard.replaceAll('"', '""')}"`;
    const attributes = `"{""Campaign Run ID"":""${n % 97}"",""Client IP Address"":""10.0.${n % 255}.${n % 13}""}"`;
    push(
      `${n.toString(16)}-${records},${n % 100000},2024-01-${String((n % 28) + 1).padStart(2, '0')}T10:00:00Z,${n % 50},${n % 7},${n % 1000},${quotedValue},${attributes}\n`,
    );
    records++;
  }
  const remaining = options.size - length;
  const trailing = options.trailingNewline ?? true;
  push(`f,${'x'.repeat(remaining - 2 - (trailing ? 1 : 0))}${trailing ? '\n' : ''}`);
  records++;
  const data = Buffer.concat(pieces);
  if (data.length !== options.size) throw new Error(`generated ${data.length} bytes, wanted ${options.size}`);
  return { data, records };
}
