// The awkward values a parser must survive (line breaks of every kind inside a value, quotes and
// delimiters, NUL, non-ASCII), placed on fixed row cadences so a test can find each one without
// scanning the file.
import { NON_ASCII_SUFFIXES } from './activity-pools';

/**
 * Hazards on a fixed cadence of row numbers (i % every === at), applied to primaryAttributeValue in
 * this order of precedence. Public so tests can find them.
 */
export const HAZARDS = {
  lineFeed: { every: 97, at: 13, apply: (v: string) => `${v}\nFollow-up` },
  crLf: { every: 101, at: 29, apply: (v: string) => `${v}\r\nPart 2` },
  loneCr: { every: 103, at: 41, apply: (v: string) => `${v}\rDraft` },
  lineSeparator: { every: 89, at: 17, apply: (v: string) => `${v}\u2028Archived` },
  quoteAndDelimiter: { every: 53, at: 7, apply: (v: string) => `${v} "VIP", EMEA` },
  nul: { every: 211, at: 5, apply: (v: string) => `${v}\u0000` },
} as const;

/** Rows i % NON_ASCII_EVERY === NON_ASCII_AT get a suffix with accents, CJK or emoji. */
export const NON_ASCII_EVERY = 7;
export const NON_ASCII_AT = 3;

/** What row i does to its primaryAttributeValue, if anything; NUL only under the `includeNulByte` fault. */
export function hazardFor(i: number, includeNulByte: boolean): ((v: string) => string) | undefined {
  if (i % HAZARDS.lineFeed.every === HAZARDS.lineFeed.at) return HAZARDS.lineFeed.apply;
  if (i % HAZARDS.crLf.every === HAZARDS.crLf.at) return HAZARDS.crLf.apply;
  if (i % HAZARDS.loneCr.every === HAZARDS.loneCr.at) return HAZARDS.loneCr.apply;
  if (i % HAZARDS.lineSeparator.every === HAZARDS.lineSeparator.at) return HAZARDS.lineSeparator.apply;
  if (i % HAZARDS.quoteAndDelimiter.every === HAZARDS.quoteAndDelimiter.at) return HAZARDS.quoteAndDelimiter.apply;
  if (includeNulByte && i % HAZARDS.nul.every === HAZARDS.nul.at) return HAZARDS.nul.apply;
  if (i % NON_ASCII_EVERY === NON_ASCII_AT) {
    const suffix = NON_ASCII_SUFFIXES[i % NON_ASCII_SUFFIXES.length];
    return (v) => `${v} – ${suffix}`;
  }
  return undefined;
}
