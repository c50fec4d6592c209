// A handler's error as Lambda hands it to Step Functions: `Error` is the error's name and `Cause` the
// JSON report Lambda's Node.js runtime writes (errorType, errorMessage, trace), no other field. The
// local engine puts the message it raises into `Cause` as is, so raising the report keeps a Catch's
// output what it is on AWS, and what the state machine reads from it (a deferral's instant) the same.

interface LambdaErrorReport {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** The error the engine raises for a handler's error: same name, the Lambda report as message. */
export function asLambdaError(err: unknown): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  const report: LambdaErrorReport = { errorType: error.name, errorMessage: error.message, trace: [] };
  const raised = new Error(JSON.stringify(report), { cause: error });
  raised.name = error.name;
  return raised;
}

/** Name and message of an error that reached the end of an execution, its Lambda report unwrapped. */
export function fromLambdaError(err: Error): { name: string; message: string } {
  try {
    const report = JSON.parse(err.message) as Partial<LambdaErrorReport> | null;
    if (report && typeof report.errorMessage === 'string') return { name: err.name, message: report.errorMessage };
  } catch {
    // a plain message (an engine error, a Fail state's cause)
  }
  return { name: err.name, message: err.message };
}
