import type { ChatCompletionChunk, FinishReason, Usage } from '../../spec/chat.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import { newId } from '../new-id.js';
import { reasoningText } from '../reasoning-text.js';
import type { ProtocolEvent } from '../protocol-event.js';
import { toAnthropicEnding } from './to-anthropic-ending.js';
import { toAnthropicUsage } from './to-anthropic-usage.js';
import { wantsThinking, type MessagesRequest } from './messages-request-schema.js';
import { toAnthropicErrorBody } from './to-anthropic-error-body.js';

/** Turns a chat-completions chunk stream into the Anthropic Messages event stream. */
export interface MessagesStreamTranslator {
  /** Events for one upstream chunk (none for chunks that carry only usage or a finish reason). */
  push(chunk: ChatCompletionChunk): ProtocolEvent[];
  /** Closing events once the upstream ended normally: the open block's stop, message_delta, message_stop. */
  finish(): ProtocolEvent[];
  /** An `error` event, as Anthropic sends when a stream breaks after it started. */
  fail(error: GatewayError): ProtocolEvent[];
}

/**
 * Event order as https://docs.anthropic.com/en/docs/build-with-claude/streaming documents it:
 * `message_start`, then per content block `content_block_start`, its deltas (`thinking_delta`,
 * `text_delta` or `input_json_delta`) and `content_block_stop`, a `ping` after the first block opens, then
 * `message_delta` with the stop reason and usage, and `message_stop`.
 */
export function createMessagesStreamTranslator(request: MessagesRequest): MessagesStreamTranslator {
  return new MessagesStream(request);
}

type BlockKind = 'thinking' | 'text' | 'tool_use';

interface ToolBlock {
  index: number;
}

class MessagesStream implements MessagesStreamTranslator {
  private readonly request: MessagesRequest;
  private started = false;
  private ended = false;
  private events: ProtocolEvent[] = [];
  private nextIndex = 0;
  private open: { index: number; kind: BlockKind } | null = null;
  private readonly showThinking: boolean;
  private pinged = false;
  private readonly tools = new Map<number, ToolBlock>();
  private finishReason: FinishReason | null = null;
  private matchedStop: unknown = undefined;
  private usage: Usage | null = null;

  constructor(request: MessagesRequest) {
    this.request = request;
    this.showThinking = wantsThinking(request);
  }

  push(chunk: ChatCompletionChunk): ProtocolEvent[] {
    if (this.ended) return [];
    this.events = [];
    if (chunk.usage) this.usage = chunk.usage;
    if (!this.started) this.start(chunk.model);
    const choice = chunk.choices.find((c) => c.index === 0);
    if (choice) {
      const delta = choice.delta;
      if (this.showThinking) {
        const thought = reasoningText(delta);
        if (thought !== undefined) this.appendThinking(thought);
      }
      if (typeof delta.content === 'string' && delta.content !== '') this.appendText(delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal !== '') this.appendText(delta.refusal);
      if (delta.tool_calls) for (const call of delta.tool_calls) this.appendToolCall(call);
      if (choice.finish_reason) {
        this.finishReason = choice.finish_reason;
        this.matchedStop = choice.stop_reason;
      }
    }
    return this.events;
  }

  finish(): ProtocolEvent[] {
    if (this.ended) return [];
    this.events = [];
    if (!this.started) this.start(this.request.model);
    this.closeOpenBlock();
    const ending = toAnthropicEnding(this.finishReason, this.matchedStop, this.request.stop_sequences);
    const usage = toAnthropicUsage(this.usage);
    this.emit('message_delta', {
      delta: { stop_reason: ending.stop_reason, stop_sequence: ending.stop_sequence },
      // Input counts are only known at the end of a chat stream; the SDK takes them from here.
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
      },
    });
    this.emit('message_stop', {});
    this.ended = true;
    return this.events;
  }

  fail(error: GatewayError): ProtocolEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const body = toAnthropicErrorBody(error);
    return [{ event: 'error', data: { type: 'error', error: body.error } }];
  }

  private start(model: string): void {
    this.started = true;
    this.emit('message_start', {
      message: {
        id: newId('msg'),
        type: 'message',
        role: 'assistant',
        model: model || this.request.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: toAnthropicUsage(this.usage),
      },
    });
  }

  private appendThinking(thinking: string): void {
    if (this.open?.kind !== 'thinking')
      this.openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
    this.emit('content_block_delta', {
      index: (this.open as { index: number }).index,
      delta: { type: 'thinking_delta', thinking },
    });
  }

  private appendText(text: string): void {
    if (this.open?.kind !== 'text') this.openBlock('text', { type: 'text', text: '' });
    this.emit('content_block_delta', {
      index: (this.open as { index: number }).index,
      delta: { type: 'text_delta', text },
    });
  }

  private appendToolCall(
    delta: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
  ): void {
    let tool = this.tools.get(delta.index);
    if (tool === undefined) {
      const index = this.openBlock('tool_use', {
        type: 'tool_use',
        id: delta.id ?? newId('toolu'),
        name: delta.function?.name ?? '',
        input: {},
      });
      tool = { index };
      this.tools.set(delta.index, tool);
    }
    const fragment = delta.function?.arguments;
    // Deltas address blocks by index, so a fragment for an earlier call (upstreams that interleave
    // calls) still reaches the right block in the client's accumulator.
    if (fragment)
      this.emit('content_block_delta', {
        index: tool.index,
        delta: { type: 'input_json_delta', partial_json: fragment },
      });
  }

  private openBlock(kind: BlockKind, block: Record<string, unknown>): number {
    this.closeOpenBlock();
    const index = this.nextIndex++;
    this.open = { index, kind };
    this.emit('content_block_start', { index, content_block: block });
    if (!this.pinged) {
      this.pinged = true;
      this.emit('ping', {});
    }
    return index;
  }

  private closeOpenBlock(): void {
    if (this.open === null) return;
    this.emit('content_block_stop', { index: this.open.index });
    this.open = null;
  }

  private emit(type: string, fields: Record<string, unknown>): void {
    this.events.push({ event: type, data: { type, ...fields } });
  }
}
