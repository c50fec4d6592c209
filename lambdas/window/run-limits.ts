// How long one run of an export may live, said once: the state machine's execution timeout (lib/) and
// the export lease's expiry (lease.ts) are both this, so a lease never expires under a run that still
// works (between steps a run may sit for a day in a quota Wait), and a run that died without giving its
// lease back (no cleanup could run) holds the export no longer than it could have lived. Pure.

/** The longest a run lives: the execution timeout, and the lease's time to live. */
export const MAX_RUN_DURATION_MS = 7 * 24 * 3_600_000;
