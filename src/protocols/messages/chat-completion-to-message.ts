import type { ChatCompletion } from '../../spec/chat.js';
import { newId } from '../new-id.js';
import { reasoningText } from '../reasoning-text.js';
import { parseToolInput } from './parse-tool-input.js';
import { toAnthropicEnding } from './to-anthropic-ending.js';
import { toAnthropicUsage } from './to-anthropic-usage.js';
import type { AnthropicContentBlock, AnthropicMessage } from '../../anthropic-api/messages-api.js';
import { wantsThinking, type MessagesRequest } from './messages-request-schema.js';

/** A chat completion as the Anthropic Messages API response. Only the first choice is used. */
export function chatCompletionToMessage(
  completion: ChatCompletion,
  request: MessagesRequest,
): AnthropicMessage {
  const choice = completion.choices[0];
  const content: AnthropicContentBlock[] = [];
  if (choice) {
    const message = choice.message;
    const thought = wantsThinking(request) ? reasoningText(message) : undefined;
    // Chat backends sign nothing; an empty signature tells a client there is nothing to verify.
    if (thought) content.push({ type: 'thinking', thinking: thought, signature: '' });
    let text = '';
    if (typeof message.content === 'string') text = message.content;
    else if (Array.isArray(message.content))
      for (const part of message.content)
        if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    if (!text && message.refusal) text = message.refusal;
    if (text) content.push({ type: 'text', text });
    for (const call of message.tool_calls ?? [])
      content.push({
        type: 'tool_use',
        id: call.id || newId('toolu'),
        name: call.function.name,
        input: parseToolInput(call.function.arguments),
      });
  }
  const ending = toAnthropicEnding(
    choice?.finish_reason ?? 'stop',
    choice?.stop_reason,
    request.stop_sequences,
  );
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: ending.stop_reason,
    stop_sequence: ending.stop_sequence,
    usage: toAnthropicUsage(completion.usage),
  };
}
