import type { FinishReason } from '../../spec/chat.js';
import type { ResponseObject } from './responses-types.js';

export interface ResponseEnding {
  status: 'completed' | 'incomplete';
  incompleteDetails: ResponseObject['incomplete_details'];
}

/** How a chat finish reason ends a response: cut short by the token limit or a filter, or done. */
export function responseEnding(finishReason: FinishReason | null): ResponseEnding {
  if (finishReason === 'length')
    return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}
