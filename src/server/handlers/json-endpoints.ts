import { parseCompletionsRequest, parseEmbeddingsRequest } from '../../protocols/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import type { JsonResult, ProviderAdapter, UpstreamCallContext } from '../../spec/provider-adapter.js';

/** A non-chat endpoint served by a model's pool: how to validate it, price it and call it. */
export interface JsonEndpoint {
  /** Validated body with `model` and `stream`, plus its text as a chat request for estimates and baselines. */
  parse(body: unknown): {
    body: Record<string, unknown>;
    model: string;
    stream: boolean;
    asChat: ChatCompletionRequest;
  };
  call(
    adapter: ProviderAdapter,
    body: Record<string, unknown>,
    ctx: UpstreamCallContext,
  ): Promise<JsonResult> | undefined;
  stream?(
    adapter: ProviderAdapter,
    body: Record<string, unknown>,
    ctx: UpstreamCallContext,
  ): Promise<AsyncIterable<Record<string, unknown>>> | undefined;
  /** The text a response produced (for token estimation and the baseline price). */
  outputText(body: Record<string, unknown>): string;
}

const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string').join('\n')
      : '';

function asChat(model: string, text: string, maxTokens: number): ChatCompletionRequest {
  return { model, messages: [{ role: 'user', content: text }], max_tokens: maxTokens };
}

export const completionsEndpoint: JsonEndpoint = {
  parse(raw) {
    const body = parseCompletionsRequest(raw) as Record<string, unknown> & {
      model: string;
      prompt?: unknown;
    };
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
    return {
      body,
      model: body.model,
      stream: body.stream === true,
      asChat: asChat(body.model, textOf(body.prompt), maxTokens),
    };
  },
  call: (adapter, body, ctx) => adapter.completions?.(body, ctx),
  stream: (adapter, body, ctx) => adapter.completionsStream?.(body, ctx),
  outputText(body) {
    const choices = body.choices as Array<{ text?: unknown }> | undefined;
    return (choices ?? []).map((c) => (typeof c.text === 'string' ? c.text : '')).join('');
  },
};

export const embeddingsEndpoint: JsonEndpoint = {
  parse(raw) {
    const body = parseEmbeddingsRequest(raw) as Record<string, unknown> & { model: string; input?: unknown };
    return { body, model: body.model, stream: false, asChat: asChat(body.model, textOf(body.input), 0) };
  },
  call: (adapter, body, ctx) => adapter.embeddings?.(body, ctx),
  outputText: () => '',
};

export function withUpstreamModel(
  body: Record<string, unknown>,
  deployment: Deployment,
): Record<string, unknown> {
  return { ...body, model: deployment.model };
}
