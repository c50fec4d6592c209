// Runs one CLI command. Each command's module is imported only when that command runs, so `--help`
// and a usage error never pay for the CDK, the AWS SDK or DuckDB. Errors a user can fix are printed
// as one line: exit 2 when refused before anything ran, 1 when something failed while running (an
// export that fails prints its summary and exits 1 too).
import { PipelineError, ValidationError } from '#shared/errors';
import { redact } from '#shared/redact';
import { sayOnSignals } from './interrupt';
import { UsageError } from './usage-error';

type Command = (opts: unknown) => Promise<number>;

const COMMANDS = {
  run: async () => (await import('./commands/run')).runCommand,
  retry: async () => (await import('./commands/run')).runCommand,
  demo: async () => (await import('./commands/demo')).demoCommand,
  fields: async () => (await import('./commands/fields')).fieldsCommand,
  start: async () => (await import('./commands/start')).startCommand,
  status: async () => (await import('./commands/status')).statusCommand,
  query: async () => (await import('./commands/query')).queryCommand,
  history: async () => (await import('./commands/history')).historyCommand,
} as const satisfies Record<string, () => Promise<Command>>;

export type CommandName = keyof typeof COMMANDS;

/** What a Ctrl-C stops while the command is not inside a run (a run says more, see interrupt.ts). */
const STOPPED: Record<CommandName, string> = {
  run: 'before the run started: nothing was created yet',
  retry: 'before the run started: nothing was created yet',
  demo: 'before the run started: nothing was created yet',
  fields: '`fields` before it finished (it only reads: nothing to undo)',
  start:
    '`start` before it answered: if StartExecution was already sent, that run goes on in AWS (`history --state-machine-arn` lists it)',
  status: '`status` before it finished (it only reads: nothing to undo)',
  query: '`query` before it finished (it only reads: nothing to undo)',
  history: '`history` before it finished (it only reads: nothing to undo)',
};

/**
 * Refused before anything ran (exit 2): what the user typed, the config, an unknown export, input
 * that fails validation. The config's and the run's errors are matched by name so that checking an
 * error never loads the CDK app.
 */
function refusedBeforeRunning(err: unknown): boolean {
  return (
    err instanceof UsageError ||
    err instanceof ValidationError ||
    (err instanceof Error && (err.name === 'PipelineConfigError' || err.name === 'UnknownExportError'))
  );
}

export async function runCli(command: CommandName, opts: unknown): Promise<void> {
  sayOnSignals(STOPPED[command]);
  try {
    const run = await COMMANDS[command]();
    process.exitCode = await run(opts);
  } catch (err) {
    // One line a person can act on; the stack only with --verbose. Our own errors' messages are
    // written for the user; anything else is named by its class.
    const refused = refusedBeforeRunning(err);
    const known = refused || err instanceof PipelineError;
    const message = err instanceof Error ? `${known ? '' : `${err.name}: `}${err.message}` : String(err);
    process.stderr.write(redact(`error: ${message.split('\n')[0]}\n`));
    if ((opts as { verbose?: boolean }).verbose && err instanceof Error && err.stack)
      process.stderr.write(redact(`${err.stack}\n`));
    // 2: refused before anything ran; 1: failed while running (e.g. an API answered with an error).
    process.exitCode = refused ? 2 : 1;
  }
}
