// Local runs keep the handlers' structured logs in a JSON-lines file (the terminal shows progress
// instead); `--verbose` also echoes them to stderr.
import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { withLogKeys, type LogFields, type Logger } from '#shared/logger';
import { redact } from '#shared/redact';

export function fileLogger(file: string, echo = false): Logger {
  mkdirSync(path.dirname(file), { recursive: true });
  const write = (level: string) => (message: string, fields?: LogFields) => {
    // withLogKeys redacts the fields; the whole line passes the redactor again for what JSON escaping made of them.
    const line = redact(
      JSON.stringify({ time: new Date().toISOString(), level, message: redact(message), ...withLogKeys(fields) }),
    );
    appendFileSync(file, `${line}\n`);
    if (echo) process.stderr.write(`${line}\n`);
  };
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}
