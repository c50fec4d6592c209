// A signal at any moment says what it stopped: outside a run at once, inside one after stopping it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interruptOnSignals, sayOnSignals } from '../../../local/cli/interrupt';

class Quit extends Error {
  constructor(readonly code: number) {
    super(`quit ${code}`);
  }
}
const quit = (code: number): never => {
  throw new Quit(code);
};

/** Delivers a signal to this process's listeners (no real signal is sent). */
function deliver(signal: 'SIGINT' | 'SIGTERM'): number | undefined {
  try {
    process.emit(signal, signal);
    return undefined;
  } catch (err) {
    if (err instanceof Quit) return err.code;
    throw err;
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let before: Map<string, NodeJS.SignalsListener[]>;
beforeEach(() => {
  before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
});
afterEach(() => {
  // Removes only what the test added: the worker's own listeners stay.
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
});

describe('signals', () => {
  it('before a run starts: quits at once (130) and says what it stopped', () => {
    const said: string[] = [];
    sayOnSignals('before the run started: nothing was created yet', (l) => said.push(l), quit);
    expect(deliver('SIGINT')).toBe(130);
    expect(said).toEqual(['■ SIGINT: stopped before the run started: nothing was created yet']);
    expect(deliver('SIGTERM')).toBe(143);
  });

  it('during a run: stops it instead; after the run: says the run ended and what stays', () => {
    const said: string[] = [];
    sayOnSignals('before the run started: nothing was created yet', (l) => said.push(l), quit);
    const run = interruptOnSignals((l) => said.push(l), quit);
    expect(deliver('SIGINT')).toBeUndefined();
    expect(run.signal.aborted).toBe(true);
    expect(said).toEqual([
      '■ SIGINT: stopping the run and cleaning up what it started (press Ctrl-C again to quit at once)…',
    ]);
    run.dispose();
    expect(deliver('SIGINT')).toBe(130);
    expect(said.at(-1)).toBe('■ SIGINT: stopped again while the stopped run reported: its cleanup has finished');
  });

  it('after a run that was not stopped: what it wrote stays', () => {
    const said: string[] = [];
    sayOnSignals('before the run started: nothing was created yet', (l) => said.push(l), quit);
    interruptOnSignals((l) => said.push(l), quit).dispose();
    expect(deliver('SIGINT')).toBe(130);
    expect(said).toEqual(['■ SIGINT: stopped after the run ended: what it wrote stays (see its summary)']);
  });
});
