import type { ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import { parseChatRequest } from '../../protocols/chat/parse-chat-request.js';
import type { InboundProtocol, StreamRenderer } from '../protocol.js';

const DONE = 'data: [DONE]\n\n';

class ChatStreamRenderer implements StreamRenderer {
  private last: Pick<ChatCompletionChunk, 'id' | 'created' | 'model'> | null = null;
  constructor(private readonly clientWantsUsage: boolean) {}

  chunk(chunk: ChatCompletionChunk): string {
    if (this.last === null) this.last = { id: chunk.id, created: chunk.created, model: chunk.model };
    // Usage is always requested upstream so records are exact; clients that did not ask for it
    // must not get the extra choice-less chunk, which older SDKs index into.
    if (!this.clientWantsUsage && chunk.choices.length === 0) return '';
    if (!this.clientWantsUsage && chunk.usage !== undefined) {
      const { usage: _drop, ...rest } = chunk;
      return `data: ${JSON.stringify(rest)}\n\n`;
    }
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  end(): string {
    return DONE;
  }

  fail(error: GatewayError): string {
    const last = this.last ?? { id: 'chatcmpl-error', created: Math.floor(Date.now() / 1000), model: '' };
    const finish: ChatCompletionChunk = {
      ...last,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: {}, finish_reason: 'error' }],
    };
    return `data: ${JSON.stringify(finish)}\n\ndata: ${JSON.stringify(error.toBody())}\n\n`;
  }
}

export const chatInbound: InboundProtocol<ChatCompletionRequest> = {
  endpoint: 'chat',
  parse(body) {
    const chat = parseChatRequest(body);
    return { chat, original: chat };
  },
  renderCompletion: (completion) => completion,
  createStreamRenderer: (original) => new ChatStreamRenderer(original.stream_options?.include_usage === true),
  renderError: (error) => error.toBody(),
};
