// The --max-wait format: a number with a unit (s, m, h, d), or a bare number of seconds.
const UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `90s`, `5m`, `2h`, `1d`, or a bare number of seconds, in seconds; undefined when it is none of those. */
export function parseWaitDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[(m[2] || 's') as keyof typeof UNITS];
}
