import type { ChatCompletion, FinishReason, ToolCall, Usage } from '../../spec/chat.js';
import type { AnthropicMessageResponse, AnthropicUsage } from './anthropic-wire.js';

/**
 * Anthropic stop reasons in OpenAI terms. `pause_turn` (a server tool paused a long turn) ends this
 * response normally; `model_context_window_exceeded` is an output cut short, like `max_tokens`.
 * https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI's `prompt_tokens` includes
 * them, with the cache reads repeated in `prompt_tokens_details.cached_tokens`.
 */
export function toOpenAIUsage(usage: AnthropicUsage | undefined): Usage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const prompt = input + cacheRead + cacheWrite;
  const completion = usage?.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/**
 * A Messages response as an OpenAI chat completion: text blocks joined into `content`, `tool_use`
 * blocks as `tool_calls` with JSON-string arguments, thinking as `reasoning_content` (the field vLLM
 * and DeepSeek use). The forced JSON tool's input, when there is one, is the content itself.
 */
export function fromAnthropicMessage(
  message: AnthropicMessageResponse,
  jsonToolName: string | undefined,
  createdSec: number,
): ChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  let answeredAsJson = false;
  for (const block of message.content) {
    if (block.type === 'text' && block.text !== undefined) text += block.text;
    else if (block.type === 'thinking' && block.thinking !== undefined) reasoning += block.thinking;
    else if (block.type === 'tool_use') {
      const args = JSON.stringify(block.input ?? {});
      if (jsonToolName !== undefined && block.name === jsonToolName) {
        // Text the model wrote before calling the JSON tool is preamble, not part of the JSON answer.
        text = args;
        answeredAsJson = true;
      } else {
        toolCalls.push({
          id: block.id ?? '',
          type: 'function',
          function: { name: block.name ?? '', arguments: args },
        });
      }
    }
  }
  const finish = answeredAsJson && toolCalls.length === 0 ? 'stop' : toFinishReason(message.stop_reason);
  return {
    id: message.id,
    object: 'chat.completion',
    created: createdSec,
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length ? null : text,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          refusal: null,
        },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: toOpenAIUsage(message.usage),
  };
}
