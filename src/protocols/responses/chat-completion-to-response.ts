import type { ChatCompletion, ChatMessage } from '../../spec/chat.js';
import { newId } from '../new-id.js';
import { reasoningText } from '../reasoning-text.js';
import { buildResponseShell } from './response-shell.js';
import { responseEnding } from './response-ending.js';
import { toResponseUsage } from './to-response-usage.js';
import type { ResponsesRequest } from './responses-request-schema.js';
import type { OutputItem, OutputMessageItem, ResponseObject } from './responses-types.js';

/**
 * A chat completion as the Responses API object. Only the first choice is used: the Responses API
 * has no `n`. `output_text` is left to the SDK, which derives it from `output`.
 */
export function chatCompletionToResponse(
  completion: ChatCompletion,
  request: ResponsesRequest,
): ResponseObject {
  const response = buildResponseShell(request, newId('resp'), completion.created, completion.model);
  const choice = completion.choices[0];
  const ending = responseEnding(choice?.finish_reason ?? 'stop');
  const itemStatus = ending.status === 'incomplete' ? 'incomplete' : 'completed';

  if (choice) {
    const reasoning = reasoningText(choice.message);
    if (reasoning)
      response.output.push({
        id: newId('rs'),
        type: 'reasoning',
        status: itemStatus,
        summary: [],
        content: [{ type: 'reasoning_text', text: reasoning }],
      });
    const message = toOutputMessage(choice.message, itemStatus);
    if (message) response.output.push(message);
    for (const call of choice.message.tool_calls ?? []) {
      const item: OutputItem = {
        id: newId('fc'),
        type: 'function_call',
        status: itemStatus,
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      };
      response.output.push(item);
    }
  }
  response.status = ending.status;
  response.incomplete_details = ending.incompleteDetails;
  response.usage = toResponseUsage(completion.usage);
  return response;
}

function toOutputMessage(
  message: ChatMessage,
  status: OutputMessageItem['status'],
): OutputMessageItem | undefined {
  const content: OutputMessageItem['content'] = [];
  const text = messageText(message.content);
  if (text) content.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  if (message.refusal) content.push({ type: 'refusal', refusal: message.refusal });
  if (content.length === 0) return undefined;
  return { id: newId('msg'), type: 'message', status, role: 'assistant', content };
}

function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}
