// The grammar of a Clickwrap `filter`, as the API documents it (`created_time>=2020-10-10 and
// event_type==agreed`): clauses `field op value` joined by ` and `. The user's filter is joined to the
// window with `and`, so anything the grammar does not describe (an `or`, parentheses, `||`, `,`) could
// let rows escape the window or be read differently by the API: it is refused, not passed through.
// PURE: the config check runs it at synth time.
//
//   filter := clause ( " and " clause )*
//   clause := field op value
//   field  := name ( "." name )*          name: letters, digits, _ (dotted: custom_data.vip)
//   op     := "==" | "!=" | ">=" | "<=" | ">" | "<"
//   value  := bare | quoted                bare: no space, quote, ( ) , | & = < > ! ; quoted: "…" without "

export interface FilterClause {
  readonly field: string;
  readonly op: '==' | '!=' | '>=' | '<=' | '>' | '<';
  readonly value: string;
}

const CLAUSE = /^([A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]+)*)(==|!=|>=|<=|>|<)([^\s"'(),|&=<>!;]+|"[^"]*")$/;
const JOINER = ' and ';

export type FilterParse =
  { readonly ok: true; readonly clauses: readonly FilterClause[] } | { readonly ok: false; readonly problem: string };

/** Parses a filter into its clauses, or says what in it the grammar does not describe. */
export function parseClickwrapFilter(filter: string): FilterParse {
  const clauses: FilterClause[] = [];
  for (const text of filter.split(JOINER)) {
    const match = CLAUSE.exec(text);
    if (!match) return { ok: false, problem: describeBadClause(text) };
    const [, field = '', op = '==', value = ''] = match;
    clauses.push({ field, op: op as FilterClause['op'], value });
  }
  return { ok: true, clauses };
}

function describeBadClause(text: string): string {
  const shown = JSON.stringify(text);
  if (text === '') return 'has an empty clause (clauses are joined by a single " and ")';
  if (/(^|\s)or(\s|$)|\|\|/i.test(text))
    return `${shown}: "or" is not allowed: the filter is joined to the window with "and"`;
  if (/[()]/.test(text)) return `${shown}: parentheses are not part of the filter grammar`;
  if (/,/.test(text)) return `${shown}: "," is not a clause separator (join clauses with " and ")`;
  return `${shown} is not a clause field==value (ops ==, !=, >=, <=, >, <; a bare value or a "quoted" one; clauses joined by " and ")`;
}
