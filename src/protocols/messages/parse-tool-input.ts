/**
 * Tool arguments as the object Anthropic's `input` must be. Arguments that are not a JSON object
 * (a model that produced broken JSON) are kept verbatim under `arguments` rather than lost.
 */
export function parseToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the verbatim form
  }
  return { arguments: argumentsText };
}
