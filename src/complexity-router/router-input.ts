import type { ChatCompletionRequest, ChatMessage } from '../spec/chat.js';

/** The parts of a chat request the router reads. A full `ChatCompletionRequest` satisfies it. */
export type RouterRequest = Pick<ChatCompletionRequest, 'messages'> &
  Partial<
    Pick<
      ChatCompletionRequest,
      'tools' | 'tool_choice' | 'response_format' | 'max_tokens' | 'max_completion_tokens'
    >
  >;

/** A bare prompt, a message list, or a request with its tools and output constraints. */
export type RouterInput = string | readonly ChatMessage[] | RouterRequest;
