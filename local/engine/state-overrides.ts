// Local runs shorten Wait states and Retry pauses, which aws-local-stepfunctions takes per state name:
// these find every such state, nested Map and Parallel states included.

function statesOfType(definition: Record<string, unknown>, type: string, out: string[] = []): string[] {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === type) out.push(name);
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (processor) statesOfType(processor, type, out);
    for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) statesOfType(branch, type, out);
  }
  return out;
}

/** Every Wait state lasting `waitMs`, every Task and Map retry pausing `retryMs`; unset: the definition's own. */
export function localOverrides(
  definition: Record<string, unknown>,
  waitMs: number | undefined,
  retryMs: number | undefined,
): { waitTimeOverrides: Record<string, number>; retryIntervalOverrides: Record<string, number> } {
  const waitTimeOverrides =
    waitMs === undefined ? {} : Object.fromEntries(statesOfType(definition, 'Wait').map((n) => [n, waitMs]));
  const retryIntervalOverrides =
    retryMs === undefined
      ? {}
      : Object.fromEntries(
          [...statesOfType(definition, 'Task'), ...statesOfType(definition, 'Map')].map((n) => [n, retryMs]),
        );
  return { waitTimeOverrides, retryIntervalOverrides };
}
