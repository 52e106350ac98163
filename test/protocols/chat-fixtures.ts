import type { ChatCompletion, ChatCompletionChunk, FinishReason, Usage } from '../../src/spec/chat.js';

export const usage: Usage = {
  prompt_tokens: 30,
  completion_tokens: 12,
  total_tokens: 42,
  prompt_tokens_details: { cached_tokens: 10 },
  completion_tokens_details: { reasoning_tokens: 2 },
};

export function completion(
  message: ChatCompletion['choices'][number]['message'],
  finish: FinishReason,
): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'llama-3.1-8b',
    choices: [{ index: 0, message, finish_reason: finish }],
    usage,
  };
}

export function chunk(
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finish: FinishReason | null = null,
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'llama-3.1-8b',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

export function usageChunk(): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'llama-3.1-8b',
    choices: [],
    usage,
  };
}

/** A streamed answer "Hello, world!" as an OpenAI-compatible server sends it. */
export function textChunks(finish: FinishReason = 'stop'): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Hello' }),
    chunk({ content: ', world' }),
    chunk({ content: '!' }),
    chunk({}, finish),
    usageChunk(),
  ];
}

/** A streamed call of get_weather({"city":"Paris"}) after a short preamble. */
export function toolChunks(): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', content: 'Let me check.' }),
    chunk({
      tool_calls: [
        { index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
    chunk({
      tool_calls: [
        { index: 1, id: 'call_def', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    }),
    chunk({}, 'tool_calls'),
    usageChunk(),
  ];
}

/** A reasoning model's stream (DeepSeek/vLLM style): `reasoning_content` deltas, then the answer. */
export function reasoningChunks(): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', reasoning_content: 'The user greets me. ' }),
    chunk({ reasoning_content: 'Greet back.' }),
    chunk({ content: 'Hello!' }),
    chunk({}, 'stop'),
    usageChunk(),
  ];
}
