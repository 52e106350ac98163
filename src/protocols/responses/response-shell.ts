import type { ResponsesRequest } from './responses-request-schema.js';
import type { ResponseObject } from './responses-types.js';

/**
 * The response object before any output: the request's settings echoed back the way the
 * Responses API does, so clients that read them (`response.tools`, `response.text.format`) see
 * what they asked for.
 */
export function buildResponseShell(
  request: ResponsesRequest,
  id: string,
  createdAtSeconds: number,
  model: string,
): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: createdAtSeconds,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    // Nothing is stored: a later `previous_response_id` pointing here would be refused.
    store: false,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}
