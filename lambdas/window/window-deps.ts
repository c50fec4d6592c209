// What the window's life needs from the outside world: a subset of the workflow runtime, so this module
// never depends on how a runtime is built (or on the steps that use it).
import type { ExportProvider } from '#providers/types';
import type { Clock } from '#shared/clock';
import type { ExportDefinition } from '#shared/export-definition';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from '#transfer/object-store';

export interface WindowDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Besides the store: the export's provider, built on demand (cancelling a job needs it). */
export interface UndoDeps extends WindowDeps {
  provider(def: ExportDefinition): Promise<ExportProvider>;
}
