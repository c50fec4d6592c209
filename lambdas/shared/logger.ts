// Structured JSON logs through Powertools (the house logger: Lambda context, sampling, log levels
// from POWERTOOLS_LOG_LEVEL), behind a tiny interface, so a caller may hand any logger in (the CLI's log file, none).
// Keys of the invocation in progress (export, execution, window) are held in AsyncLocalStorage, so they
// stay right where invocations run side by side in one process (the local engine runs a Map's items
// concurrently), and every logger adds them to every line.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { redact, redactDeep } from './redact';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** On Lambda: the invocation's context (request id, function name, cold start) goes on every line. */
  addLambdaContext?(lambdaContext: unknown): void;
}

const invocationKeys = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `keys` on every log line written inside it (however deep, however concurrent). */
export function runWithLogKeys<T>(keys: LogFields, fn: () => T): T {
  return invocationKeys.run(keys, fn);
}

/** `fields` with the current invocation's keys in front, redacted (every logger writes through this). */
export function withLogKeys(fields?: LogFields): LogFields | undefined {
  const keys = invocationKeys.getStore();
  const all = keys && Object.keys(keys).length > 0 ? { ...keys, ...fields } : fields;
  return all === undefined ? undefined : redactDeep(all);
}

type LambdaContext = Parameters<PowertoolsLogger['addContext']>[0];

function isLambdaContext(value: unknown): value is LambdaContext {
  return typeof value === 'object' && value !== null && 'awsRequestId' in value && 'functionName' in value;
}

export function createLogger(serviceName = 'bulk-export'): Logger {
  const logger = new PowertoolsLogger({ serviceName });
  return {
    debug: (m, f) => logger.debug(redact(m), withLogKeys(f) ?? {}),
    info: (m, f) => logger.info(redact(m), withLogKeys(f) ?? {}),
    warn: (m, f) => logger.warn(redact(m), withLogKeys(f) ?? {}),
    error: (m, f) => logger.error(redact(m), withLogKeys(f) ?? {}),
    addLambdaContext(lambdaContext) {
      if (isLambdaContext(lambdaContext)) logger.addContext(lambdaContext);
    },
  };
}

/** A logger that drops everything (the CLI's quiet look-ups, a caller that wants no log). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
