// Runs the command line in this process, as `npm start -- …` would: for tests about a command (its
// checks, its one-line errors, its output), not about the process. Output is captured, the exit
// code returned, and process state (env, exit code, signal listeners) restored afterwards.
import { vi } from 'vitest';
import { buildProgram, unknownCommand } from '../../local/cli/program';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function cliInProcess(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const listeners = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let code: number;
  try {
    const program = buildProgram((exitCode) => {
      throw new Exit(exitCode);
    });
    const unknown = unknownCommand(program, args);
    if (unknown) program.error(unknown, { exitCode: 2 });
    await program.parseAsync(['node', 'export-cli', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    code = e.code;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
    vi.unstubAllEnvs();
    for (const s of SIGNALS)
      for (const l of process.listeners(s)) if (!listeners.get(s)!.includes(l)) process.off(s, l);
  }
  return { code, stdout, stderr };
}
