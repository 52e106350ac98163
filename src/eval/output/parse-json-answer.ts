export type JsonParse = { ok: true; value: unknown; fenced: boolean } | { ok: false; error: string };

const FENCE = /^```(?:json|JSON)?\s*\n([\s\S]*?)\n?```$/;

/**
 * Parses a model's answer as JSON. With `lenient`, a Markdown code fence around the JSON is
 * accepted (and reported): many open models wrap JSON that way even in JSON mode, which is worth
 * knowing but should not hide whether the fields inside are right.
 */
export function parseJsonAnswer(text: string | null, lenient: boolean): JsonParse {
  if (text === null) return { ok: false, error: 'the answer has no text' };
  const trimmed = text.trim();
  try {
    return { ok: true, value: JSON.parse(trimmed), fenced: false };
  } catch (err) {
    const fenced = lenient ? FENCE.exec(trimmed) : null;
    if (fenced) {
      try {
        return { ok: true, value: JSON.parse(fenced[1]), fenced: true };
      } catch {
        // fall through to the original error
      }
    }
    const wrapped = !lenient && FENCE.test(trimmed) ? ' (it is wrapped in a Markdown code fence)' : '';
    return { ok: false, error: `not valid JSON: ${(err as Error).message}${wrapped}` };
  }
}
