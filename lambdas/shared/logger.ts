// Structured JSON logs through Powertools (the house logger: Lambda context, sampling, log levels
// from POWERTOOLS_LOG_LEVEL), behind a tiny interface so core code can be tested with a fake.
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(serviceName = 'bulk-export'): Logger {
  const logger = new PowertoolsLogger({ serviceName });
  return {
    debug: (m, f) => logger.debug(m, f ?? {}),
    info: (m, f) => logger.info(m, f ?? {}),
    warn: (m, f) => logger.warn(m, f ?? {}),
    error: (m, f) => logger.error(m, f ?? {}),
  };
}

/** A logger that drops everything (tests, quiet CLI runs). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that remembers lines, for tests that assert what was logged (and what never is: secrets). */
export function memoryLogger(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
