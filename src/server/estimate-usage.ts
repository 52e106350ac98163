import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatCompletionRequest } from '../spec/chat.js';

/** Per-message framing tokens in OpenAI's chat format (role and separators). */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/**
 * Counts tokens with a real tokenizer when an upstream reported no usage. The count is o200k's,
 * not necessarily the serving model's, so records mark it as estimated.
 */
export function estimateUsage(
  request: ChatCompletionRequest,
  outputText: string,
): { inputTokens: number; outputTokens: number } {
  let input = TOKENS_PER_REPLY;
  for (const message of request.messages) {
    input += TOKENS_PER_MESSAGE;
    const content = message.content;
    if (typeof content === 'string') input += countTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content)
        if (part.type === 'text' && typeof part.text === 'string') input += countTokens(part.text);
    }
    for (const call of message.tool_calls ?? [])
      input += countTokens(call.function.name + call.function.arguments);
  }
  return { inputTokens: input, outputTokens: outputText ? countTokens(outputText) : 0 };
}
