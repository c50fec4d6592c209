// A logger that remembers lines, for tests that assert what was logged (and what never is: secrets).
// It writes through the same key and redaction path as every logger of the pipeline.
import { withLogKeys, type LogFields, type Logger } from '../../lambdas/shared/logger';
import { redact } from '../../lambdas/shared/redact';

export function memoryLogger(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message: redact(message), fields: withLogKeys(fields) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
