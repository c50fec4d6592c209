// Ctrl-C (SIGINT) or SIGTERM during a local run: the first one stops the execution the way
// StopExecution does and lets the stopped run's cleanup undo its windows before the process exits;
// a second one quits at once (what it leaves behind, the next run of the export reclaims).
export interface RunInterrupt {
  readonly signal: AbortSignal;
  /** The shell's exit code for the signal that stopped the run (130 SIGINT, 143 SIGTERM), if any. */
  exitCode(): number | undefined;
  dispose(): void;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

export function interruptOnSignals(say: (line: string) => void, quit: (code: number) => never = (code) => process.exit(code)): RunInterrupt {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  for (const name of Object.keys(EXIT_CODES) as StopSignal[]) {
    const handler = () => {
      if (received) {
        say(`■ ${name} again: quitting without cleanup; the next run of this export cancels or resumes its job and removes what is left.`);
        quit(EXIT_CODES[name]);
      }
      received = name;
      say(`■ ${name}: stopping the run and cleaning up what it started (press Ctrl-C again to quit at once)…`);
      controller.abort();
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    exitCode: () => (received ? EXIT_CODES[received] : undefined),
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
