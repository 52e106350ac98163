import type { ChatCompletionChunk, ChatCompletionChunkDelta, FinishReason } from '../../spec/chat.js';
import type { SseEvent } from '../../sse/parse-sse.js';
import { isRecord } from '../upstream-body.js';
import { protocolFailure } from '../upstream-failure.js';
import type { AnthropicUsage } from './anthropic-wire.js';
import { toFinishReason, toOpenAIUsage } from './from-anthropic-message.js';
import { streamedError } from './read-anthropic-events.js';

type Block = { kind: 'tool'; toolIndex: number } | { kind: 'json' } | { kind: 'other' };

/**
 * Turns a Messages event stream into OpenAI chat chunks, one event at a time
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming):
 * message_start → the role chunk; text_delta → content; a tool_use block → a tool call whose `index`
 * counts tool calls only (Anthropic's block index also counts text blocks); input_json_delta → its
 * argument fragments; thinking_delta → `reasoning_content`; message_delta → the finish chunk;
 * message_stop → the usage chunk with `choices: []`, as OpenAI sends for `include_usage`.
 * `event: error` (overloaded_error and friends) is thrown as an UpstreamError. Unknown events are
 * skipped, as Anthropic's versioning policy asks.
 */
export class AnthropicStreamTranslator {
  readonly #deployment: string;
  readonly #jsonToolName: string | undefined;
  readonly #created: number;
  #id = '';
  #model = '';
  #usage: AnthropicUsage = {};
  readonly #blocks = new Map<number, Block>();
  #toolCalls = 0;
  #answeredAsJson = false;
  #stopped = false;

  constructor(deployment: string, jsonToolName: string | undefined, createdSec: number) {
    this.#deployment = deployment;
    this.#jsonToolName = jsonToolName;
    this.#created = createdSec;
  }

  /** Chunks for one event (often none, sometimes one, never many). Throws for an error event. */
  translate(event: SseEvent): ChatCompletionChunk[] {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      throw protocolFailure(
        this.#deployment,
        'Anthropic stream sent an event that is not JSON',
        event.data.slice(0, 2000),
      );
    }
    if (!isRecord(payload))
      throw protocolFailure(this.#deployment, 'Anthropic stream sent a non-object event', payload);
    const type = event.event ?? payload.type;

    switch (type) {
      case 'message_start': {
        const message = isRecord(payload.message) ? payload.message : {};
        if (typeof message.id === 'string') this.#id = message.id;
        if (typeof message.model === 'string') this.#model = message.model;
        this.#mergeUsage(message.usage);
        return [this.#chunk({ role: 'assistant', content: '' })];
      }
      case 'content_block_start':
        return this.#blockStart(payload);
      case 'content_block_delta':
        return this.#blockDelta(payload);
      case 'message_delta': {
        this.#mergeUsage(payload.usage);
        const delta = isRecord(payload.delta) ? payload.delta : {};
        if (delta.stop_reason === undefined) return [];
        const reason =
          this.#answeredAsJson && this.#toolCalls === 0
            ? 'stop'
            : toFinishReason(typeof delta.stop_reason === 'string' ? delta.stop_reason : null);
        return [this.#chunk({}, reason)];
      }
      case 'message_stop':
        this.#stopped = true;
        return [
          {
            id: this.#id,
            object: 'chat.completion.chunk',
            created: this.#created,
            model: this.#model,
            choices: [],
            usage: toOpenAIUsage(this.#usage),
          },
        ];
      case 'error':
        throw streamedError(this.#deployment, payload, event.data);
      default:
        // ping, content_block_stop and event types newer than this code.
        return [];
    }
  }

  /** Call when the body ended: a stream without `message_stop` was cut off. */
  finish(): void {
    if (!this.#stopped) throw protocolFailure(this.#deployment, 'Anthropic stream ended before message_stop');
  }

  #blockStart(payload: Record<string, unknown>): ChatCompletionChunk[] {
    const index = typeof payload.index === 'number' ? payload.index : -1;
    const block = isRecord(payload.content_block) ? payload.content_block : {};
    if (block.type === 'tool_use') {
      if (this.#jsonToolName !== undefined && block.name === this.#jsonToolName) {
        this.#blocks.set(index, { kind: 'json' });
        this.#answeredAsJson = true;
        return [];
      }
      const toolIndex = this.#toolCalls++;
      this.#blocks.set(index, { kind: 'tool', toolIndex });
      return [
        this.#chunk({
          tool_calls: [
            {
              index: toolIndex,
              id: typeof block.id === 'string' ? block.id : '',
              type: 'function',
              function: { name: typeof block.name === 'string' ? block.name : '', arguments: '' },
            },
          ],
        }),
      ];
    }
    this.#blocks.set(index, { kind: 'other' });
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '')
      return [this.#chunk({ content: block.text })];
    return [];
  }

  #blockDelta(payload: Record<string, unknown>): ChatCompletionChunk[] {
    const delta = isRecord(payload.delta) ? payload.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return typeof delta.text === 'string' && delta.text !== ''
          ? [this.#chunk({ content: delta.text })]
          : [];
      case 'input_json_delta': {
        const part = typeof delta.partial_json === 'string' ? delta.partial_json : '';
        if (part === '') return [];
        const block = this.#blocks.get(typeof payload.index === 'number' ? payload.index : -1);
        if (block?.kind === 'json') return [this.#chunk({ content: part })];
        if (block?.kind === 'tool')
          return [this.#chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: part } }] })];
        return [];
      }
      case 'thinking_delta':
        return typeof delta.thinking === 'string' && delta.thinking !== ''
          ? [this.#chunk({ reasoning_content: delta.thinking })]
          : [];
      default:
        // signature_delta, citations_delta: nothing an OpenAI client can show.
        return [];
    }
  }

  #mergeUsage(usage: unknown): void {
    if (!isRecord(usage)) return;
    // message_delta usage is cumulative; a field it carries replaces the one from message_start.
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
    ]) {
      const value = usage[key];
      if (typeof value === 'number') this.#usage[key] = value;
    }
  }

  #chunk(delta: ChatCompletionChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    };
  }
}
