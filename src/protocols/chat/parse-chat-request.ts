import type { ChatCompletionRequest } from '../../spec/chat.js';
import { invalidRequest } from '../../spec/gateway-error.js';
import { issueToInvalidRequest } from '../issue-to-invalid-request.js';
import { chatRequestSchema } from './chat-request-schema.js';

/**
 * Validates a `POST /v1/chat/completions` body and returns it typed, unknown fields kept. Throws the
 * 400 OpenAI would send, naming the field (`messages[0].content`).
 */
export function parseChatRequest(body: unknown): ChatCompletionRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  const result = chatRequestSchema.safeParse(body);
  if (!result.success) throw issueToInvalidRequest(result.error.issues, body, 'openai');
  const request = result.data as ChatCompletionRequest;
  checkRoleRules(request);
  return request;
}

/** Rules that depend on a message's role, which the schema keeps flat for speed. */
function checkRoleRules(request: ChatCompletionRequest): void {
  const { messages } = request;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const hasContent = m.content !== undefined && m.content !== null;
    switch (m.role) {
      case 'tool':
        if (m.tool_call_id === undefined)
          throw invalidRequest(
            `Missing required parameter: 'messages[${i}].tool_call_id'.`,
            `messages[${i}].tool_call_id`,
            'missing_required_parameter',
          );
        if (!hasContent) throw missingContent(i);
        break;
      case 'assistant':
        if (!hasContent && !m.tool_calls?.length && m.function_call === undefined && !m.refusal && !m.audio)
          throw missingContent(i);
        break;
      case 'function':
        if (m.name === undefined)
          throw invalidRequest(
            `Missing required parameter: 'messages[${i}].name'.`,
            `messages[${i}].name`,
            'missing_required_parameter',
          );
        break;
      default:
        if (!hasContent) throw missingContent(i);
    }
  }
  if (request.tool_choice !== undefined && request.tool_choice !== null && request.tool_choice !== 'none') {
    if (request.tool_choice !== 'auto' && !request.tools?.length)
      throw invalidRequest(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        'tool_choice',
        'invalid_value',
      );
  }
  if (request.top_logprobs !== undefined && request.top_logprobs !== null && request.logprobs !== true)
    throw invalidRequest(
      "Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.",
      'top_logprobs',
      'invalid_value',
    );
}

const missingContent = (i: number) =>
  invalidRequest(
    `Missing required parameter: 'messages[${i}].content'.`,
    `messages[${i}].content`,
    'missing_required_parameter',
  );
