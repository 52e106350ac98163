import { UpstreamError } from '../../spec/gateway-error.js';
import type { NativeEvent } from '../../spec/provider-adapter.js';
import type { SseEvent } from '../../sse/parse-sse.js';
import { isRecord } from '../upstream-body.js';
import { protocolFailure } from '../upstream-failure.js';
import type { AnthropicUsage } from './anthropic-wire.js';
import { toFinishReason, toOpenAIUsage } from './from-anthropic-message.js';
import { readAnthropicError, statusForAnthropicErrorType } from './read-anthropic-error.js';

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;

/**
 * A Messages event stream passed through as it came, each event annotated with what the gateway
 * needs (content or not, visible text, cumulative usage, the stop reason). `event: error` is thrown
 * as an UpstreamError, and a stream that ends before `message_stop` was cut off and says so.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export async function* readAnthropicEvents(
  events: AsyncIterable<SseEvent>,
  deployment: string,
): AsyncGenerator<NativeEvent, void, undefined> {
  const usage: AnthropicUsage = {};
  let stopped = false;
  for await (const event of events) {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      throw protocolFailure(
        deployment,
        'Anthropic stream sent an event that is not JSON',
        event.data.slice(0, 2000),
      );
    }
    if (!isRecord(payload))
      throw protocolFailure(deployment, 'Anthropic stream sent a non-object event', payload);
    const type = event.event ?? (typeof payload.type === 'string' ? payload.type : undefined);
    const out: NativeEvent = { event: event.event, data: event.data, content: false, text: '' };
    switch (type) {
      case 'error':
        throw streamedError(deployment, payload, event.data);
      case 'message_start':
        mergeUsage(usage, isRecord(payload.message) ? payload.message.usage : undefined);
        out.usage = toOpenAIUsage(usage);
        break;
      case 'content_block_start': {
        const block = isRecord(payload.content_block) ? payload.content_block : {};
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          out.content = true;
          out.text = typeof block.name === 'string' ? block.name : '';
          out.toolCall = { index: blockIndex(payload), name: out.text };
        } else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          out.content = true;
          out.text = block.text;
        }
        break;
      }
      case 'content_block_delta': {
        const delta = isRecord(payload.delta) ? payload.delta : {};
        const piece =
          delta.type === 'text_delta'
            ? delta.text
            : delta.type === 'input_json_delta'
              ? delta.partial_json
              : delta.type === 'thinking_delta'
                ? delta.thinking
                : undefined;
        if (typeof piece === 'string' && piece !== '') {
          out.content = true;
          // Thinking is billed as output but is not part of the answer's text.
          if (delta.type !== 'thinking_delta') out.text = piece;
          if (delta.type === 'input_json_delta')
            out.toolCall = { index: blockIndex(payload), arguments: piece };
        }
        break;
      }
      case 'message_delta': {
        mergeUsage(usage, payload.usage);
        out.usage = toOpenAIUsage(usage);
        const delta = isRecord(payload.delta) ? payload.delta : {};
        if (typeof delta.stop_reason === 'string') out.finishReason = toFinishReason(delta.stop_reason);
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
    }
    yield out;
  }
  if (!stopped) throw protocolFailure(deployment, 'Anthropic stream ended before message_stop');
}

const blockIndex = (payload: Record<string, unknown>) =>
  typeof payload.index === 'number' ? payload.index : 0;

function mergeUsage(into: AnthropicUsage, usage: unknown): void {
  if (!isRecord(usage)) return;
  // message_delta usage is cumulative; a field it carries replaces the one from message_start.
  for (const key of USAGE_FIELDS) {
    const value = usage[key];
    if (typeof value === 'number') into[key] = value;
  }
}

export function streamedError(
  deployment: string,
  payload: Record<string, unknown>,
  text: string,
): UpstreamError {
  const info = readAnthropicError(payload, text, undefined);
  const status = statusForAnthropicErrorType(info.type);
  const kind = info.kind ?? (status === 429 ? 'rate_limited' : status >= 500 ? 'http_5xx' : 'http_4xx');
  return new UpstreamError({ kind, message: info.message, deployment, status, upstreamBody: payload });
}
