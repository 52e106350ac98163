import type { VendorQuirks } from '../../config/schema/vendor-schema.js';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import type { SseEvent } from '../../sse/parse-sse.js';
import type {
  ChatResult,
  ChatStream,
  NativeAnswer,
  NativeEventStream,
  ProviderAdapter,
  UpstreamCallContext,
} from '../../spec/provider-adapter.js';
import { readErrorBody, readJsonBody, readSseEvents, releasingIterable } from '../upstream-body.js';
import type { UpstreamClient, UpstreamResponse, UpstreamTarget } from '../upstream-client.js';
import { httpFailure, protocolFailure } from '../upstream-failure.js';
import { AnthropicStreamTranslator } from './anthropic-stream-translator.js';
import { anthropicMessageSchema } from './anthropic-wire.js';
import { fromAnthropicMessage } from './from-anthropic-message.js';
import { readAnthropicError } from './read-anthropic-error.js';
import { readAnthropicEvents } from './read-anthropic-events.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

/** The version every request pins unless the deployment sets `anthropicVersion`. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Serves OpenAI chat completions from the Anthropic Messages API (`POST {baseUrl}/messages`, with
 * `x-api-key` and `anthropic-version`). The Messages API has no legacy completions or embeddings, so
 * this adapter has neither. Extra headers of a vendor entry named like the deployment's `vendor` are
 * sent too (for Anthropic-compatible gateways).
 */
export function createAnthropicAdapter(
  vendors: Record<string, VendorQuirks>,
  client: UpstreamClient,
): ProviderAdapter {
  const targets = new WeakMap<Deployment, UpstreamTarget>();

  function targetOf(deployment: Deployment): UpstreamTarget {
    let target = targets.get(deployment);
    if (target === undefined) {
      const base = new URL(deployment.baseUrl);
      const headers = new Map<string, string>([
        ['content-type', 'application/json'],
        ['anthropic-version', deployment.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION],
      ]);
      if (deployment.apiKey) headers.set('x-api-key', deployment.apiKey);
      for (const [k, v] of Object.entries(vendors[deployment.vendor]?.extraHeaders ?? {}))
        headers.set(k.toLowerCase(), v);
      for (const [k, v] of Object.entries(deployment.headers)) headers.set(k.toLowerCase(), v);
      target = {
        origin: base.origin,
        path: `${base.pathname.replace(/\/+$/, '')}/messages${base.search}`,
        headers: [...headers].flat(),
      };
      targets.set(deployment, target);
    }
    return target;
  }

  async function send(body: unknown, ctx: UpstreamCallContext): Promise<UpstreamResponse> {
    const res = await client.post(targetOf(ctx.deployment), JSON.stringify(body), ctx);
    if (res.status >= 200 && res.status < 300) return res;
    const { text, json } = await readErrorBody(res.body);
    throw httpFailure(
      ctx.deployment.id,
      res.status,
      res.headers,
      readAnthropicError(json, text, res.status),
      json ?? text,
    );
  }

  function nativeBody(
    body: Record<string, unknown>,
    model: string,
    stream: boolean,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...body, model };
    if (stream) out.stream = true;
    else delete out.stream;
    return out;
  }

  return {
    name: 'anthropic',

    async messages(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<NativeAnswer> {
      const deployment = ctx.deployment;
      const res = await send(nativeBody(body, deployment.model, false), ctx);
      const json = await readJsonBody(res.body, deployment.id, ctx.signal);
      const parsed = anthropicMessageSchema.safeParse(json);
      if (!parsed.success)
        throw protocolFailure(deployment.id, 'upstream answer is not an Anthropic message', json);
      const completion = fromAnthropicMessage(parsed.data, undefined, 0);
      const choice = completion.choices[0];
      const text = typeof choice?.message.content === 'string' ? choice.message.content : '';
      return {
        body: json as Record<string, unknown>,
        upstreamHeaders: res.headers,
        summary: { usage: completion.usage, text, finishReason: choice?.finish_reason ?? undefined },
        toolCalls: (choice?.message.tool_calls ?? []).map((c) => ({
          name: c.function.name,
          arguments: c.function.arguments,
        })),
      };
    },

    async messagesStream(
      body: Record<string, unknown>,
      ctx: UpstreamCallContext,
    ): Promise<NativeEventStream> {
      const deployment = ctx.deployment;
      const res = await send(nativeBody(body, deployment.model, true), ctx);
      const events = readSseEvents(res.body, deployment.id, ctx.signal);
      return {
        events: releasingIterable(readAnthropicEvents(events, deployment.id), res.body),
        upstreamHeaders: res.headers,
      };
    },

    async chat(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatResult> {
      const deployment = ctx.deployment;
      const { body, jsonToolName } = toAnthropicRequest(request, deployment.model, deployment.id, false);
      const res = await send(body, ctx);
      const json = await readJsonBody(res.body, deployment.id, ctx.signal);
      const parsed = anthropicMessageSchema.safeParse(json);
      if (!parsed.success)
        throw protocolFailure(deployment.id, 'upstream answer is not an Anthropic message', json);
      return {
        completion: fromAnthropicMessage(parsed.data, jsonToolName, Math.floor(Date.now() / 1000)),
        upstreamHeaders: res.headers,
      };
    },

    async chatStream(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatStream> {
      const deployment = ctx.deployment;
      const { body, jsonToolName } = toAnthropicRequest(request, deployment.model, deployment.id, true);
      const res = await send(body, ctx);
      const translator = new AnthropicStreamTranslator(
        deployment.id,
        jsonToolName,
        Math.floor(Date.now() / 1000),
      );
      const events = readSseEvents(res.body, deployment.id, ctx.signal);
      return {
        chunks: releasingIterable(translateStream(events, translator), res.body),
        upstreamHeaders: res.headers,
      };
    },
  };
}

async function* translateStream(
  events: AsyncIterable<SseEvent>,
  translator: AnthropicStreamTranslator,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  for await (const event of events) {
    for (const chunk of translator.translate(event)) yield chunk;
  }
  translator.finish();
}
