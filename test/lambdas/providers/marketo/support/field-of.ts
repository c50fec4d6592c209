// The field a ValidationError names (the test fails if `fn` does not throw one).
import { expect } from 'vitest';
import { ValidationError } from '../../../../../lambdas/shared/errors';

export function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}
