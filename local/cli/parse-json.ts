// JSON text from the outside (execution input and output, events) that may be missing or not JSON.
export function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
