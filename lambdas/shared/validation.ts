// zod issues → messages and ValidationErrors, with one path style (`fields[1]`, `filter.createdAt.endAt`)
// and one wording per mistake, so a config, a request, a cursor and a state payload all read alike.
import type { z } from 'zod';
import { ValidationError } from './errors';

type Issue = z.core.$ZodIssue;

/** Where the validated value sits, for naming fields. */
export interface IssueScope {
  /** Prepended to every issue's path, e.g. `['cursor']` or `['filter', 'createdAt']`. */
  readonly under?: readonly PropertyKey[];
  /** Names the value itself when an issue has no path (e.g. `event`, `request`). */
  readonly whole?: string;
}

/** One problem: the offending field's path and what is wrong with it. */
export interface FieldProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `['fields', 1]` → `fields[1]`; `['filter', 'createdAt', 'endAt']` → `filter.createdAt.endAt`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

/**
 * The problems one issue stands for. An unknown key is named as the field itself (`window.grainn:
 * unknown field`), one problem per key; a union lists what each alternative wanted.
 */
export function problemsOf(issue: Issue): FieldProblem[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown field' }));
  if (issue.code === 'invalid_union') {
    const alternatives = new Set(issue.errors.flatMap((branch) => branch.map((nested) => nested.message)));
    if (alternatives.size > 0) return [{ path: issue.path, message: [...alternatives].join(' or ') }];
  }
  return [{ path: issue.path, message: issue.message }];
}

/** Every problem of a failed parse, in zod's order. */
export function problemsOfError(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap(problemsOf);
}

/** The first problem of a failed parse as a ValidationError naming the field. */
export function toValidationError(error: z.ZodError, scope: IssueScope = {}): ValidationError {
  const problem = problemsOfError(error)[0];
  const field = formatFieldPath([...(scope.under ?? []), ...(problem?.path ?? [])]) || scope.whole || 'value';
  return new ValidationError(field, problem?.message ?? 'is invalid', { cause: error });
}

/** Parses `value` or throws the first problem as a ValidationError; `whole` names the value itself. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, whole: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw toValidationError(result.error, { whole });
}
