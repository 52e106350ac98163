import { describe, expect, it } from 'vitest';
import { chatCompletionToMessage } from '../../../src/protocols/messages/chat-completion-to-message.js';
import { parseMessagesRequest } from '../../../src/protocols/messages/messages-request-to-chat.js';
import type { FinishReason } from '../../../src/spec/chat.js';
import { completion } from '../chat-fixtures.js';

const request = parseMessagesRequest({
  model: 'claude',
  max_tokens: 64,
  stop_sequences: ['END', '###'],
  messages: [{ role: 'user', content: 'x' }],
});

describe('chatCompletionToMessage stop reasons', () => {
  it.each<[FinishReason, unknown, string, string | null]>([
    ['stop', undefined, 'end_turn', null],
    ['stop', '###', 'stop_sequence', '###'],
    ['stop', 'NOT_ASKED', 'end_turn', null],
    ['stop', 128009, 'end_turn', null],
    ['length', undefined, 'max_tokens', null],
    ['tool_calls', undefined, 'tool_use', null],
    ['function_call', undefined, 'tool_use', null],
    ['content_filter', undefined, 'refusal', null],
  ])('finish_reason %s (matched stop %j) is %s', (finish, matched, stopReason, stopSequence) => {
    const answer = completion({ role: 'assistant', content: 'a' }, finish);
    if (matched !== undefined) answer.choices[0].stop_reason = matched;
    const message = chatCompletionToMessage(answer, request);
    expect(message.stop_reason).toBe(stopReason);
    expect(message.stop_sequence).toBe(stopSequence);
  });
});

describe('chatCompletionToMessage content', () => {
  it('keeps arguments that are not a JSON object rather than losing them', () => {
    const answer = completion(
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'f', arguments: '' } },
          { id: 'b', type: 'function', function: { name: 'g', arguments: '{"x": 1' } },
        ],
      },
      'tool_calls',
    );
    expect(chatCompletionToMessage(answer, request).content).toEqual([
      { type: 'tool_use', id: 'a', name: 'f', input: {} },
      { type: 'tool_use', id: 'b', name: 'g', input: { arguments: '{"x": 1' } },
    ]);
  });

  it('an upstream without usage reports zero tokens rather than failing', () => {
    const answer = completion({ role: 'assistant', content: 'a' }, 'stop');
    delete answer.usage;
    expect(chatCompletionToMessage(answer, request).usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});
