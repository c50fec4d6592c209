// What every route of the simulator's HTTP face shares: the clock, the credentials, the stores, the
// limits and the faults, and the counters tests read.
import type { CallLimits } from './call-limits';
import type { DeletedLeadsRoutes } from './deleted-leads';
import type { MarketoFaults } from './faults';
import type { JobStore } from './job-store';
import type { TokenStore } from './token-store';

export interface ServerContext {
  readonly now: () => Date;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: MarketoFaults;
  readonly tokens: TokenStore;
  readonly limits: CallLimits;
  readonly store: JobStore;
  /** Get Paging Token and Get Deleted Leads (deleted-leads.ts). */
  readonly deletedLeads: DeletedLeadsRoutes;
  readonly requestId: () => string;
  readonly stats: { total: number; byKind: Record<string, number>; callTimes: number[] };
  /** Every request line (method and URL) as it arrived, so tests can check no credential rode in one. */
  readonly requestLog: string[];
}
