import { describe, expect, it } from 'vitest';
import { chatCompletionToResponse } from '../../../src/protocols/responses/chat-completion-to-response.js';
import { parseResponsesRequest } from '../../../src/protocols/responses/responses-request-to-chat.js';
import type { FinishReason } from '../../../src/spec/chat.js';
import { completion } from '../chat-fixtures.js';

const request = parseResponsesRequest({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } });

describe('chatCompletionToResponse', () => {
  it.each<[FinishReason, string, unknown]>([
    ['stop', 'completed', null],
    ['tool_calls', 'completed', null],
    ['length', 'incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'incomplete', { reason: 'content_filter' }],
  ])('finish_reason %s gives status %s', (finish, status, details) => {
    const response = chatCompletionToResponse(
      completion({ role: 'assistant', content: 'a' }, finish),
      request,
    );
    expect(response.status).toBe(status);
    expect(response.incomplete_details).toEqual(details);
    expect(response.output[0]).toMatchObject({
      type: 'message',
      status: status === 'completed' ? 'completed' : 'incomplete',
    });
  });

  it('a refusal is a refusal part, and the request settings are echoed', () => {
    const response = chatCompletionToResponse(
      completion({ role: 'assistant', content: null, refusal: 'I cannot help with that.' }, 'stop'),
      request,
    );
    expect(response.output).toEqual([
      expect.objectContaining({
        type: 'message',
        content: [{ type: 'refusal', refusal: 'I cannot help with that.' }],
      }),
    ]);
    expect(response.text).toEqual({ format: { type: 'json_object' } });
    expect(response.object).toBe('response');
    expect(response.store).toBe(false);
  });
});
