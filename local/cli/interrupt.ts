// Ctrl-C (SIGINT) or SIGTERM during a local run: the first one stops the execution the way
// StopExecution does and lets the stopped run's cleanup undo its windows before the process exits;
// a second one quits at once (what it leaves behind, the next run of the export reclaims). Outside a
// run (loading, checking, querying, after the summary) a signal quits at once and says what it stopped.
export interface RunInterrupt {
  readonly signal: AbortSignal;
  /** The shell's exit code for the signal that stopped the run (130 SIGINT, 143 SIGTERM), if any. */
  exitCode(): number | undefined;
  dispose(): void;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

type Quit = (code: number) => never;
const exitNow: Quit = (code) => process.exit(code);

/** The handlers in force outside a run, and what a signal then stops. */
let outsideRun:
  { handlers: Map<StopSignal, () => void>; stopped: string; say: (line: string) => void; quit: Quit } | undefined;

function installOutsideRun(): void {
  if (!outsideRun) return;
  const state = outsideRun;
  for (const name of Object.keys(EXIT_CODES) as StopSignal[]) {
    const handler = () => {
      state.say(`■ ${name}: stopped ${state.stopped}`);
      state.quit(EXIT_CODES[name]);
    };
    state.handlers.set(name, handler);
    process.on(name, handler);
  }
}

function removeOutsideRun(): void {
  for (const [name, handler] of outsideRun?.handlers ?? []) process.off(name, handler);
  outsideRun?.handlers.clear();
}

/**
 * From now on, until a run starts (and again after it ended), a signal quits at once saying that it
 * stopped `stopped` — e.g. "`fields` before it finished (it only reads: nothing to undo)".
 */
export function sayOnSignals(
  stopped: string,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  quit: Quit = exitNow,
): void {
  removeOutsideRun();
  outsideRun = { handlers: new Map(), stopped, say, quit };
  installOutsideRun();
}

export function interruptOnSignals(say: (line: string) => void, quit: Quit = exitNow): RunInterrupt {
  removeOutsideRun();
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  for (const name of Object.keys(EXIT_CODES) as StopSignal[]) {
    const handler = () => {
      if (received) {
        say(
          `■ ${name} again: quitting without cleanup; the next run of this export cancels or resumes its job and removes what is left.`,
        );
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
      if (outsideRun) {
        outsideRun.stopped = received
          ? 'again while the stopped run reported: its cleanup has finished'
          : 'after the run ended: what it wrote stays (see its summary)';
        installOutsideRun();
      }
    },
  };
}
