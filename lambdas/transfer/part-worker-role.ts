/** Marks a worker thread started for part work (the worker serves only when it sees it). */
export const PART_WORKER_ROLE = 'transfer-part-worker';
