// Poll pacing. Salesforce documents no interval; every poll is an API call counted in the org's daily
// requests, and Step Functions keeps the job id between polls, so the wait starts at 2 s (a small job
// is done in seconds) and doubles to a minute, jittered so parallel windows do not poll in step.
const FIRST_POLL_SECONDS = 2;
const MAX_POLL_SECONDS = 60;

export function nextPollSeconds(pollCount: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_POLL_SECONDS, FIRST_POLL_SECONDS * 2 ** Math.max(0, pollCount));
  return Math.max(FIRST_POLL_SECONDS, Math.round(base * (0.75 + 0.25 * random())));
}
