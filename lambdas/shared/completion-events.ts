// The detail-types of the completion events, said once: the state machine's PutEvents tasks, the
// bus's archive pattern, the CLI and the docs all read them from here (an archive matching a renamed
// detail-type would silently keep nothing).
export const DETAIL_TYPES = {
  succeeded: 'Export Succeeded',
  failed: 'Export Failed',
  /** A window failed with a data error `maxWindowAttempts` times: later windows land past it. */
  quarantined: 'Export Window Quarantined',
} as const;

export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];
