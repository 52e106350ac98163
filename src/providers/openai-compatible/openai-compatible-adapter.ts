import type { VendorQuirks } from '../../config/schema/vendor-schema.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import type {
  ChatResult,
  ChatStream,
  JsonResult,
  ProviderAdapter,
  UpstreamCallContext,
} from '../../spec/provider-adapter.js';
import { isRecord, readErrorBody, readJsonBody, readSseEvents, releasingIterable } from '../upstream-body.js';
import type { UpstreamClient, UpstreamResponse, UpstreamTarget } from '../upstream-client.js';
import { httpFailure, protocolFailure } from '../upstream-failure.js';
import { resolveOpenAITargets, type OpenAITargets } from './openai-targets.js';
import {
  planOpenAIBody,
  prepareOpenAIBody,
  type BodyPlan,
  type OpenAIEndpoint,
} from './prepare-openai-body.js';
import { readOpenAIError } from './read-openai-error.js';
import { readOpenAIStream, streamedFailure } from './read-openai-stream.js';
import {
  chatCompletionSchema,
  embeddingsSchema,
  modelListSchema,
  textCompletionSchema,
} from './openai-wire.js';
import type { ZodType } from 'zod';

/** Quirks of a deployment whose vendor is not declared: plain OpenAI. */
const OPENAI_DEFAULTS: VendorQuirks = {
  authHeader: 'authorization',
  authScheme: 'Bearer',
  rejects: [],
  supportsStreamUsage: true,
  extraHeaders: {},
};

interface Prepared {
  targets: OpenAITargets;
  plans: Record<`${OpenAIEndpoint}:${'once' | 'stream'}`, BodyPlan>;
}

/**
 * The adapter for every server that speaks OpenAI's protocol (OpenAI, Azure OpenAI, vLLM, SGLang,
 * TGI, Ollama, llama.cpp, Together, Fireworks, Groq, ...). Vendor differences are data
 * (`VendorQuirks`), resolved once per deployment and cached.
 */
export function createOpenAICompatibleAdapter(
  vendors: Record<string, VendorQuirks>,
  client: UpstreamClient,
): ProviderAdapter {
  const prepared = new WeakMap<Deployment, Prepared>();

  function prepare(deployment: Deployment): Prepared {
    let p = prepared.get(deployment);
    if (p === undefined) {
      const quirks = vendors[deployment.vendor] ?? vendors.openai ?? OPENAI_DEFAULTS;
      p = {
        targets: resolveOpenAITargets(deployment, quirks),
        plans: {
          'chat:once': planOpenAIBody(quirks, 'chat', false),
          'chat:stream': planOpenAIBody(quirks, 'chat', true),
          'completions:once': planOpenAIBody(quirks, 'completions', false),
          'completions:stream': planOpenAIBody(quirks, 'completions', true),
          'embeddings:once': planOpenAIBody(quirks, 'embeddings', false),
          'embeddings:stream': planOpenAIBody(quirks, 'embeddings', false),
        },
      };
      prepared.set(deployment, p);
    }
    return p;
  }

  async function send(
    endpoint: OpenAIEndpoint,
    body: Record<string, unknown>,
    stream: boolean,
    ctx: UpstreamCallContext,
  ): Promise<UpstreamResponse> {
    const p = prepare(ctx.deployment);
    const target: UpstreamTarget = p.targets[endpoint];
    const payload = prepareOpenAIBody(
      body,
      ctx.deployment.model,
      p.plans[`${endpoint}:${stream ? 'stream' : 'once'}`],
      stream,
    );
    return okOrThrow(await client.post(target, JSON.stringify(payload), ctx), ctx);
  }

  /** A 2xx answer as it is; any other status becomes the upstream failure its error body describes. */
  async function okOrThrow(res: UpstreamResponse, ctx: UpstreamCallContext): Promise<UpstreamResponse> {
    if (res.status >= 200 && res.status < 300) return res;
    const { text, json } = await readErrorBody(res.body);
    throw httpFailure(
      ctx.deployment.id,
      res.status,
      res.headers,
      readOpenAIError(json, text, res.status),
      json ?? text,
    );
  }

  async function sendForJson(
    endpoint: OpenAIEndpoint,
    body: Record<string, unknown>,
    ctx: UpstreamCallContext,
    schema: ZodType,
  ): Promise<JsonResult> {
    const res = await send(endpoint, body, false, ctx);
    const json = await readJsonBody(res.body, ctx.deployment.id, ctx.signal);
    if (!isRecord(json))
      throw protocolFailure(ctx.deployment.id, 'upstream answered with a non-object', json);
    if (json.error != null && json.choices === undefined && json.data === undefined)
      throw streamedFailure(ctx.deployment.id, json, '');
    if (!schema.safeParse(json).success)
      throw protocolFailure(ctx.deployment.id, `upstream ${endpoint} answer is not in OpenAI's shape`, json);
    return { body: json, upstreamHeaders: res.headers };
  }

  async function sendForStream(
    endpoint: OpenAIEndpoint,
    body: Record<string, unknown>,
    ctx: UpstreamCallContext,
  ): Promise<{
    events: AsyncIterable<Record<string, unknown>>;
    headers: Record<string, string>;
  }> {
    const res = await send(endpoint, body, true, ctx);
    const deployment = ctx.deployment.id;
    if ((res.headers['content-type'] ?? '').includes('application/json')) {
      // Some servers answer a streaming request with a JSON error and a 200.
      const json = await readJsonBody(res.body, deployment, ctx.signal);
      if (isRecord(json) && (json.error != null || json.object === 'error'))
        throw streamedFailure(deployment, json, '');
      throw protocolFailure(deployment, 'upstream answered a streaming request with JSON', json);
    }
    const events = readOpenAIStream(
      readSseEvents(res.body, deployment, ctx.signal),
      deployment,
      endpoint === 'chat' ? 'chat' : 'completions',
    );
    return { events: releasingIterable(events, res.body), headers: res.headers };
  }

  return {
    name: 'openai-compatible',

    async chat(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatResult> {
      const { body, upstreamHeaders } = await sendForJson('chat', request, ctx, chatCompletionSchema);
      return { completion: body as ChatCompletion, upstreamHeaders };
    },

    async chatStream(request: ChatCompletionRequest, ctx: UpstreamCallContext): Promise<ChatStream> {
      const { events, headers } = await sendForStream('chat', request, ctx);
      return {
        chunks: events as AsyncIterable<Record<string, unknown>> as AsyncIterable<ChatCompletionChunk>,
        upstreamHeaders: headers,
      };
    },

    completions(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<JsonResult> {
      return sendForJson('completions', body, ctx, textCompletionSchema);
    },

    async completionsStream(
      body: Record<string, unknown>,
      ctx: UpstreamCallContext,
    ): Promise<AsyncIterable<Record<string, unknown>>> {
      return (await sendForStream('completions', body, ctx)).events;
    },

    embeddings(body: Record<string, unknown>, ctx: UpstreamCallContext): Promise<JsonResult> {
      return sendForJson('embeddings', body, ctx, embeddingsSchema);
    },

    async listModels(ctx: UpstreamCallContext): Promise<JsonResult> {
      const res = await okOrThrow(await client.get(prepare(ctx.deployment).targets.models, ctx), ctx);
      const json = await readJsonBody(res.body, ctx.deployment.id, ctx.signal);
      if (!modelListSchema.safeParse(json).success)
        throw protocolFailure(ctx.deployment.id, "upstream model list is not in OpenAI's shape", json);
      return { body: json as Record<string, unknown>, upstreamHeaders: res.headers };
    },
  };
}
