// The error a Catch hands a cleanup step, as the run's reports state it: name and a redacted, bounded message.
import { redact } from '#shared/redact';

const MAX_MESSAGE = 1_000;

/** Lambda errors arrive as a JSON report in `Cause` on AWS and as plain text from the local engine. */
export function describeCaught(error: { Error: string; Cause?: string | undefined }): {
  name: string;
  message: string;
} {
  let message = error.Cause ?? '';
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string')
      message = parsed.errorMessage;
  } catch {
    // plain text
  }
  if (message.startsWith(`${error.Error}: `)) message = message.slice(error.Error.length + 2);
  // The report goes to logs, the Export Failed event and the CLI: redacted before it is cut.
  message = redact(message);
  return {
    name: redact(error.Error),
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
  };
}
