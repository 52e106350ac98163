import type { ChatCompletion, ChatCompletionRequest, ChatMessage, ContentPart } from '../spec/chat.js';
import type { TokenCounter } from './token-counter.js';

function contentText(content: ChatMessage['content']): { text: string; nonText: boolean } {
  if (content === undefined || content === null) return { text: '', nonText: false };
  if (typeof content === 'string') return { text: content, nonText: false };
  let text = '';
  let nonText = false;
  for (const part of content as ContentPart[]) {
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else nonText = true;
  }
  return { text, nonText };
}

function messageText(message: ChatMessage): string {
  let text = contentText(message.content).text;
  for (const call of message.tool_calls ?? []) text += call.function.name + call.function.arguments;
  return text;
}

/** The text a chat request sends the model: every message's words, tool calls and tool schemas. */
export function countChatInputText(request: ChatCompletionRequest): string {
  const parts = request.messages.map((m) => `${m.role}\n${m.name ? `${m.name}\n` : ''}${messageText(m)}`);
  if (request.tools?.length) parts.push(JSON.stringify(request.tools.map((t) => t.function)));
  return parts.join('\n');
}

export interface ChatInputTokens {
  tokens: number;
  /** The request carries images or audio, whose tokens are not counted from text. */
  partial: boolean;
}

// Every message is framed by 3 tokens and a name adds 1; the reply is primed with 3.
// https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;

/** Input tokens of a chat request as an OpenAI model would bill them, for the counter's encoding. */
export function countChatInputTokens(request: ChatCompletionRequest, counter: TokenCounter): ChatInputTokens {
  let tokens = REPLY_PRIMING;
  let partial = false;
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE + counter.count(message.role);
    const content = contentText(message.content);
    partial ||= content.nonText;
    tokens += counter.count(messageText(message));
    if (message.name) tokens += TOKENS_PER_NAME + counter.count(message.name);
  }
  if (request.tools?.length) tokens += counter.count(JSON.stringify(request.tools.map((t) => t.function)));
  return { tokens, partial };
}

/** The text a completion returned: message content, refusals and tool calls of every choice. */
export function completionOutputText(completion: ChatCompletion): string {
  return completion.choices.map((c) => (c.message.refusal ?? '') + messageText(c.message)).join('\n');
}
