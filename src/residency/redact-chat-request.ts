import type { ChatCompletionRequest, ChatMessage, ContentPart } from '../spec/chat.js';
import { detectSensitive, sensitiveKinds, type SensitiveKind } from './detect-sensitive.js';
import { createRedactor, type RedactionMap } from './redact-text.js';

/** Every piece of text a chat request sends, in order: what the detector must see. */
export function* chatRequestTexts(request: ChatCompletionRequest): Generator<string> {
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') yield content;
    else if (Array.isArray(content)) for (const part of content) if (isText(part)) yield part.text;
    for (const call of message.tool_calls ?? []) yield call.function.arguments;
  }
}

/** The kinds of personal data and secrets found anywhere in a chat request's messages. */
export function detectInChatRequest(request: ChatCompletionRequest): SensitiveKind[] {
  const spans = [];
  for (const text of chatRequestTexts(request)) spans.push(...detectSensitive(text));
  return sensitiveKinds(spans);
}

/**
 * A copy of the request with detected spans replaced by placeholders in every message; the original
 * is left untouched for internal deployments and the records.
 */
export function redactChatRequest(request: ChatCompletionRequest): {
  request: ChatCompletionRequest;
  map: RedactionMap;
  count: number;
} {
  const r = createRedactor();
  const messages = request.messages.map((message): ChatMessage => {
    const out: ChatMessage = { ...message };
    if (typeof message.content === 'string') out.content = r.redact(message.content);
    else if (Array.isArray(message.content))
      out.content = message.content.map((part) =>
        isText(part) ? { ...part, text: r.redact(part.text) } : part,
      );
    // Tool-call arguments are JSON text; placeholders need no escaping inside it.
    if (message.tool_calls)
      out.tool_calls = message.tool_calls.map((call) => ({
        ...call,
        function: { ...call.function, arguments: r.redact(call.function.arguments) },
      }));
    return out;
  });
  return { request: { ...request, messages }, map: r.map, count: r.count };
}

function isText(part: ContentPart): part is { type: 'text'; text: string } {
  return part.type === 'text' && typeof (part as { text?: unknown }).text === 'string';
}

/** JSON string escaping for restoring originals inside tool-call arguments. */
export const escapeForJsonString = (original: string): string => JSON.stringify(original).slice(1, -1);
