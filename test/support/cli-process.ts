// The CLI in a child process, awaited without blocking the test's process (a simulator the test started
// answers from it), for tests about what the process itself does: its exit code and what it prints.
import { spawn } from 'node:child_process';

export function cliProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/export-cli.ts', ...args], {
      env: { ...process.env, CLICKWRAP_API_TOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
