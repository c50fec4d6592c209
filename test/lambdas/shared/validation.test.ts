import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../lambdas/shared/errors';
import { formatFieldPath, parseOrThrow, problemsOfError, toValidationError } from '../../../lambdas/shared/validation';

const Request = z.strictObject({
  fields: z.array(z.string().min(1, 'is empty')).optional(),
  filter: z
    .strictObject({ createdAt: z.strictObject({ startAt: z.string(), endAt: z.string() }).optional() })
    .optional(),
  format: z.union([z.literal('CSV'), z.literal('TSV')]).optional(),
});

function errorOf(value: unknown): z.ZodError {
  const parsed = Request.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
}

describe('validation formatter', () => {
  it('writes paths with brackets for indices and dots for keys', () => {
    expect(formatFieldPath(['fields', 1])).toBe('fields[1]');
    expect(formatFieldPath(['filter', 'createdAt', 'endAt'])).toBe('filter.createdAt.endAt');
    expect(formatFieldPath([0, 'a'])).toBe('[0].a');
    expect(formatFieldPath([])).toBe('');
  });

  it('names an unknown key as the field, one problem per key', () => {
    expect(problemsOfError(errorOf({ filter: { since: 1, until: 2 } }))).toEqual([
      { path: ['filter', 'since'], message: 'unknown field' },
      { path: ['filter', 'until'], message: 'unknown field' },
    ]);
  });

  it('a ValidationError names the field under its scope, with the schema’s own message', () => {
    const e = toValidationError(errorOf({ fields: ['a', ''] }), { under: ['request'] });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({ field: 'request.fields[1]', message: 'request.fields[1]: is empty' });
    expect(e.cause).toBeInstanceOf(z.ZodError);
  });

  it('a union lists what each alternative wanted', () => {
    expect(toValidationError(errorOf({ format: 'SSV' })).message).toMatch(
      /^format: Invalid input: expected "CSV" or Invalid input: expected "TSV"$/,
    );
  });

  it('an issue at the root names the value itself', () => {
    expect(toValidationError(errorOf('nope'), { whole: 'request' }).field).toBe('request');
    expect(toValidationError(errorOf(42)).field).toBe('value');
  });

  it('parseOrThrow returns the parsed value or throws the first problem', () => {
    expect(parseOrThrow(Request, { fields: ['x'] }, 'event')).toEqual({ fields: ['x'] });
    expect(() => parseOrThrow(Request, { filter: { createdAt: { startAt: 'a' } } }, 'event')).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'filter.createdAt.endAt' }),
    );
    expect(() => parseOrThrow(Request, null, 'event')).toThrow(expect.objectContaining({ field: 'event' }));
  });
});
