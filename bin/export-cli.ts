// The command line (`npm start -- …`): run an export locally (the demo by default), discover
// Marketo and Clickwrap fields, query the local curated output with SQL, and start or inspect runs of a deployed stack.
import { buildProgram, unknownCommand } from '../local/cli/program';

// The AWS SDK's documented switch for its Node end-of-support notice: the CLI says once, in the
// README, which Node it supports; the notice would otherwise land in `start`/`status` output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = buildProgram();
const unknown = unknownCommand(program, process.argv.slice(2));
if (unknown) program.error(unknown, { exitCode: 2 });
await program.parseAsync(process.argv);
