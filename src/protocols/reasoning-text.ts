/**
 * The reasoning an open-model server returns beside the answer. There is no standard field:
 * DeepSeek, SGLang and older vLLM use `reasoning_content`; newer vLLM, Ollama and OpenRouter use
 * `reasoning`. Works on messages and stream deltas alike.
 */
export function reasoningText(messageOrDelta: Record<string, unknown>): string | undefined {
  const text = messageOrDelta.reasoning_content ?? messageOrDelta.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}
