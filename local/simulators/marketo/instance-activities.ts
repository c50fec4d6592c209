// The "Merge Leads" activity of a timeline merge, as Marketo writes it on the winning lead: the losers
// in `Merge ids` as a bracketed list.
import type { MergeEvent } from './instance-timeline';

/** The activity's `attributes` JSON. */
export function mergeAttributes(merge: MergeEvent): string {
  return JSON.stringify({
    'Master Updated': true,
    'Merge Source': 'Web service API',
    'Merge ids': `[${merge.loser}]`,
    'Merged in Sales': false,
  });
}
