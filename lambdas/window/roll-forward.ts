// A publish that began is finished, never undone: whoever meets a window's publish intent after its
// publish step stopped (CleanupWindow, Cleanup, the stopped-executions function through the undo; the
// next run's ReclaimDeadRuns for every intent a dead run left) replays it (apply-publish.ts). Only an
// intent that cannot be finished (its staged objects are gone uncopied) takes the window down whole.
import type { ExportWindow } from '#providers/types';
import { redact } from '#shared/redact';
import { abandonPublish, applyPublishIntent } from './apply-publish';
import type { Manifest } from './manifest';
import { listPublishIntents, PublishIntentBrokenError, readPublishIntent, type PublishIntent } from './publish-intent';
import { manifestKey, windowOfStem } from './keys';
import { recordWindowLanded } from './ledger-records';
import type { WindowDeps } from './window-deps';

export type RollForward =
  /** The window landed: the publish finished from its intent. */
  | { readonly outcome: 'landed'; readonly manifest: Manifest }
  /** The publish could not be finished: the window was removed whole, its intent with it. */
  | { readonly outcome: 'abandoned'; readonly removedObjects: number }
  /** The store failed meanwhile: the intent stays for the next one to finish it. */
  | { readonly outcome: 'pending'; readonly error: string };

/** Finishes the window's publish when it has an intent; undefined when it has none. */
export async function rollForwardWindow(
  deps: WindowDeps,
  exportName: string,
  window: ExportWindow,
): Promise<RollForward | undefined> {
  let intent: PublishIntent | undefined;
  try {
    intent = await readPublishIntent(deps.store, exportName, window);
  } catch (err) {
    if (!(err instanceof PublishIntentBrokenError)) throw err;
    return abandon(deps, exportName, window, err);
  }
  return intent ? rollForward(deps, intent) : undefined;
}

/** Finishes every publish of the export a dead run began; the caller holds the export's lease, so none is alive. */
export async function rollForwardDeadPublishes(
  deps: WindowDeps,
  exportName: string,
): Promise<{ window: ExportWindow; result: RollForward }[]> {
  const { intents, unreadable } = await listPublishIntents(deps.store, exportName);
  const done: { window: ExportWindow; result: RollForward }[] = [];
  for (const intent of intents) done.push({ window: intent.window, result: await rollForward(deps, intent) });
  for (const key of unreadable) {
    const window = windowOfStem(key.slice(key.lastIndexOf('/') + 1, -'.json'.length));
    if (!window) continue;
    const broken = new PublishIntentBrokenError(`${key} cannot be read`);
    done.push({ window, result: await abandon(deps, exportName, window, broken) });
  }
  return done;
}

async function rollForward(deps: WindowDeps, intent: PublishIntent): Promise<RollForward> {
  try {
    const published = await applyPublishIntent(deps, intent);
    deps.logger.warn('finished the publish of a window whose publish step had stopped', {
      export: intent.export,
      window: intent.window,
      ...published,
    });
    // The window landed (rolled forward): the ledger says so, as WriteManifest's landed bookkeeping does.
    // Best effort: the data is published whatever the ledger write does; a ledger that missed it only
    // costs the window one more export, never a mix.
    const { manifest } = intent;
    await recordWindowLanded(deps.store, intent.export, intent.window, {
      at: deps.clock.now().toISOString(),
      manifestKey: manifestKey(intent.export, intent.window),
      records: manifest.records.counted,
      ...(manifest.source ? { source: manifest.source } : {}),
    }).catch((err: unknown) =>
      deps.logger.error('could not record the rolled-forward window as landed in the ledger', {
        export: intent.export,
        window: intent.window,
        error: redact(String(err)),
      }),
    );
    return { outcome: 'landed', manifest };
  } catch (err) {
    if (err instanceof PublishIntentBrokenError) return abandon(deps, intent.export, intent.window, err);
    deps.logger.error('could not finish a publish yet; its intent stays for the next attempt', {
      export: intent.export,
      window: intent.window,
      error: redact(String(err)),
    });
    return { outcome: 'pending', error: redact(String(err)) };
  }
}

async function abandon(
  deps: WindowDeps,
  exportName: string,
  window: ExportWindow,
  why: PublishIntentBrokenError,
): Promise<RollForward> {
  deps.logger.error('a publish intent cannot be finished', { export: exportName, window, error: why.message });
  try {
    return { outcome: 'abandoned', removedObjects: await abandonPublish(deps, exportName, window) };
  } catch (err) {
    return { outcome: 'pending', error: redact(String(err)) };
  }
}
