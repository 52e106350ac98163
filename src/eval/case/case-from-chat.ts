import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { EvalCase, JsonValue } from './eval-case.js';

/** Request fields a case carries in its own fields, or that the eval decides. */
const NOT_PARAMS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'n',
  'tools',
  'tool_choice',
  'response_format',
  'user',
  'metadata',
]);

/**
 * A chat request as an eval case without an expected answer: messages, tools, tool choice and
 * response format in their own fields, every other sampling parameter in `params`. A recorded
 * request and a shadowed one become cases the same way, so the same scorers serve both.
 */
export function caseFromChat(
  id: string,
  request: ChatCompletionRequest,
  source: Record<string, JsonValue>,
): EvalCase {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request))
    if (!NOT_PARAMS.has(k) && v !== undefined && v !== null) params[k] = v;
  const c: EvalCase = { id, messages: request.messages, source };
  if (request.tools?.length) c.tools = request.tools;
  if (request.tool_choice !== undefined && request.tool_choice !== null) c.tool_choice = request.tool_choice;
  if (request.response_format) c.response_format = request.response_format;
  if (Object.keys(params).length) c.params = params;
  return c;
}
