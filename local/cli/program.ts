// The command line's grammar (commander): commands, options and their checks. Each command's
// action hands its options to runCli, which loads that command's module only then.
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCli } from './run-cli';
import { parseWaitDuration } from './wait-duration';

/**
 * The program; `exit` ends a usage error (2) or help (0) — process.exit for the real command line,
 * a throw for a test that runs it in-process.
 */
export function buildProgram(exit: (code: number) => never = (code) => process.exit(code)): Command {
  const program = new Command();
  program
    .name('npm start --')
    .description(
      'Bulk exports from SaaS APIs into S3, checked against what the provider states. With no command: the demo.',
    )
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
    // Usage errors exit 2 (like the errors our own commands report before running); help exits 0.
    .exitOverride((err) => exit(err.exitCode === 0 ? 0 : 2));

  // Local runs only: how long a window may wait for a quota reset or a full queue before the run stops
  // (exit 75) and says how to resume. A deployed run waits in Wait states, which cost nothing.
  const maxWaitOption = () =>
    new Option(
      '--max-wait <duration>',
      'longest quota-reset or queue wait before the run stops and says how to resume: 90s, 5m, 2h, 1d, or seconds',
    )
      .default('5m')
      .argParser((value: string) => {
        if (parseWaitDuration(value) === undefined)
          throw new InvalidArgumentError(`"${value}" is not a duration such as 90s, 5m, 2h or 1d`);
        return value;
      });

  const isoOption = (flag: string, description: string) =>
    new Option(flag, description).argParser((value: string) => {
      if (Number.isNaN(Date.parse(value)))
        throw new InvalidArgumentError(`"${value}" is not an ISO-8601 date or date-time`);
      return value;
    });

  program
    .command('demo', { isDefault: true })
    .description('start the Marketo simulator and run one complete export of simulated activity into ./exports')
    .option('--out <dir>', 'local directory laid out like the bucket', 'exports')
    .option('--size-mb <n>', 'size of the simulated export file in MiB', (v) => positiveInt('--size-mb', v), 64)
    .addOption(maxWaitOption())
    .option('--verbose', "echo the handlers' JSON logs to stderr")
    .addOption(slowSimulatorOption())
    .action((opts) => runCli('demo', opts));

  program
    .command('run')
    .description(
      'run a configured export on this machine, against the real API (credentials from the environment) or, with --simulator, the bundled simulator',
    )
    .argument('<export>', 'export name from the config')
    .addOption(isoOption('--from <iso>', 'window start (ISO-8601); with --to, an explicit range (backfill)'))
    .addOption(isoOption('--to <iso>', 'window end, exclusive (ISO-8601)'))
    .addOption(
      isoOption(
        '--as-of <iso>',
        'plan and run exactly as the schedule would have at this past instant (replaying schedules locally)',
      ),
    )
    .addOption(
      new Option('--out <dir>', 'write to a local directory laid out like the bucket')
        .default('exports')
        .conflicts('bucket'),
    )
    .addOption(
      new Option(
        '--bucket <name>',
        'write to this S3 bucket (default credential chain; AWS_ENDPOINT_URL for S3-compatible stores)',
      ).conflicts('out'),
    )
    .option('--config <path>', 'pipeline config file', 'config/pipeline.json')
    .option('--simulator', 'run against the bundled simulator (required when no provider credentials are set)')
    .option(
      '--simulator-into-bucket',
      "with --simulator and --bucket: really write the simulator's made-up data into that bucket",
    )
    .option('--events <file>', 'append completion events to this JSON-lines file', '.local-state/events.jsonl')
    .addOption(maxWaitOption())
    .option('--verbose', "echo the handlers' JSON logs to stderr")
    .addOption(slowSimulatorOption())
    .addOption(attachSimulatorOption())
    .addOption(splitBytesOption())
    .action((exportName: string, opts) => runCli('run', { ...opts, exportName }));

  program
    .command('fields')
    .description(
      "list the fields a Marketo export's dataset can export, with their types (from its describe route), or those of a Clickwrap site (--site)",
    )
    .argument('[export]', 'Marketo export name from the config')
    .option('--site <id>', 'Clickwrap site id (for the `fields` of a clickwrap export)')
    .option('--config <path>', 'pipeline config file', 'config/pipeline.json')
    .option('--simulator', 'ask the bundled simulator even when provider credentials are set')
    .action((exportName: string | undefined, opts) =>
      runCli('fields', { ...opts, ...(exportName ? { exportName } : {}) }),
    );

  program
    .command('start')
    .description('start a run of a DEPLOYED stack (StartExecution), optionally for an explicit range')
    .argument('<export>', 'export name from the config')
    .requiredOption('--state-machine-arn <arn>', 'the stack output StateMachineArn')
    .addOption(isoOption('--from <iso>', 'window start (ISO-8601)'))
    .addOption(isoOption('--to <iso>', 'window end, exclusive (ISO-8601)'))
    // Accepted only to be refused by name: a deployed run cannot be replayed at another instant.
    .addOption(isoOption('--as-of <iso>', 'not for a deployed stack (see run --as-of)').hideHelp())
    .option('--config <path>', 'pipeline config file', 'config/pipeline.json')
    .action((exportName: string, opts) => runCli('start', { ...opts, exportName }));

  program
    .command('history')
    .description(
      "list the last runs (start, end, windows, bytes, records, outcome, error): local ones from the events file, or a DEPLOYED stack's",
    )
    .argument('[export]', 'only the runs of this export')
    .option('--events <file>', 'the local events file (JSON lines) runs append to', '.local-state/events.jsonl')
    .option(
      '--state-machine-arn <arn>',
      'list the executions of this deployed state machine instead (ListExecutions, DescribeExecution)',
    )
    .option('--limit <n>', 'how many runs', (v) => positiveInt('--limit', v), 20)
    .option('--windows', 'list every window of the export as its ledger records it (state, attempts, job, last error)')
    .addOption(
      new Option('--out <dir>', 'with --windows: the local directory the runs write to (default exports)').conflicts(
        'bucket',
      ),
    )
    .addOption(new Option('--bucket <name>', 'with --windows: the S3 bucket the runs write to').conflicts('out'))
    .action((exportName: string | undefined, opts) =>
      runCli('history', { ...opts, ...(exportName ? { exportName } : {}) }),
    );

  program
    .command('retry')
    .description(
      'run one failed or quarantined window of an export again (after a fix), as `run` does: its attempts start over',
    )
    .argument('<export>', 'export name from the config')
    .addOption(
      isoOption('--window <iso>', "the window's start, as `history <export> --windows` lists it").makeOptionMandatory(),
    )
    .addOption(
      new Option('--out <dir>', 'the local directory laid out like the bucket').default('exports').conflicts('bucket'),
    )
    .addOption(new Option('--bucket <name>', 'the S3 bucket').conflicts('out'))
    .option('--config <path>', 'pipeline config file', 'config/pipeline.json')
    .option('--simulator', 'run against the bundled simulator (required when no provider credentials are set)')
    .option('--simulator-into-bucket', "with --simulator and --bucket: really write the simulator's made-up data")
    .option('--events <file>', 'append completion events to this JSON-lines file', '.local-state/events.jsonl')
    .addOption(maxWaitOption())
    .option('--verbose', "echo the handlers' JSON logs to stderr")
    .addOption(attachSimulatorOption())
    .addOption(splitBytesOption())
    .action((exportName: string, opts: { window: string }) =>
      runCli('retry', { ...opts, exportName, retryWindow: opts.window }),
    );

  program
    .command('status')
    .description(
      'show the status of a DEPLOYED run (DescribeExecution) and, while it runs, where each window is (GetExecutionHistory)',
    )
    .argument('<execution-arn>', 'execution ARN printed by `start`')
    .action((executionArn: string) => runCli('status', { executionArn }));

  program
    .command('query')
    .description('run SQL over the local curated Parquet (DuckDB), with the table names Athena uses')
    .argument('<sql>', 'one SQL statement, e.g. "SELECT dt, count(*) FROM marketo_activities GROUP BY dt"')
    .option('--out <dir>', 'local directory laid out like the bucket', 'exports')
    .option('--config <path>', "pipeline config file (for the exports' <export>_latest views)", 'config/pipeline.json')
    .action((sql: string, opts) => runCli('query', { ...opts, sql }));
  return program;
}

/**
 * With a default command, commander hands an unknown word to the demo ("too many arguments for
 * 'demo'"): the word and the commands are named instead.
 */
export function unknownCommand(program: Command, args: readonly string[]): string | undefined {
  const [first] = args;
  const commands = program.commands.map((c) => c.name());
  if (first === undefined || first.startsWith('-') || first === 'help' || commands.includes(first)) return undefined;
  return `error: unknown command '${first}' (commands: ${commands.join(', ')})`;
}

/** Hidden: the simulator sends file bodies at this rate, so a run lasts long enough to interrupt (tests, trying Ctrl-C). */
function slowSimulatorOption(): Option {
  return new Option('--simulator-bytes-per-second <n>', 'send simulated file bodies at about this rate')
    .argParser((v) => positiveInt('--simulator-bytes-per-second', v))
    .hideHelp();
}

/**
 * Hidden: the credentials in the environment reach a bundled simulator that another process runs (the
 * soak keeps one per provider for a whole simulated month): waits are shortened as with --simulator.
 */
function attachSimulatorOption(): Option {
  return new Option('--attach-simulator', 'the API in the environment is a running bundled simulator').hideHelp();
}

/** Hidden: cut files for conversion about every n bytes, so a small file converts in several splits (the soak). */
function splitBytesOption(): Option {
  return new Option(
    '--split-bytes <n>',
    'cut files for conversion about every n bytes (several splits of a small file)',
  )
    .argParser((v) => positiveInt('--split-bytes', v))
    .hideHelp();
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive whole number`);
  return n;
}
