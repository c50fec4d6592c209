// A mistake in what the user typed (or a target that cannot be used), found before anything ran:
// printed as one line, exit 2.
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}
