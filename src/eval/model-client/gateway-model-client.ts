import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionRequest } from '../../spec/chat.js';
import { ModelCallError, type CallOptions, type ModelClient } from './model-client.js';

export interface GatewayClientOptions {
  /** The gateway's OpenAI base URL, with its `/v1`. */
  baseURL: string;
  apiKey: string;
  /** Sent on every call (the run's `x-switchyard-tags`). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** `target=<deployment>` from `x-switchyard-route` (see routing/format-route-header.ts). */
export function servedByFromRouteHeader(header: string | null): string | null {
  const m = header ? /(?:^|;\s*)target=([^;]+)/.exec(header) : null;
  return m ? m[1].trim() : null;
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function toCallError(err: unknown): ModelCallError {
  if (err instanceof ModelCallError) return err;
  if (err instanceof OpenAI.APIUserAbortError)
    return new ModelCallError({ kind: 'aborted', message: 'the call was cancelled', cause: err });
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return new ModelCallError({ kind: 'timeout', message: err.message, cause: err });
  if (err instanceof OpenAI.APIConnectionError)
    return new ModelCallError({
      kind: 'connection',
      message: `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`,
      cause: err,
    });
  if (err instanceof OpenAI.APIError) {
    const body = err.error as { message?: unknown } | undefined;
    return new ModelCallError({
      kind: 'http',
      status: err.status ?? null,
      code: err.code ?? null,
      message: typeof body?.message === 'string' ? body.message : err.message,
      retryAfterMs: retryAfterMs(err.headers),
      cause: err,
    });
  }
  return new ModelCallError({
    kind: 'connection',
    message: (err as Error)?.message ?? String(err),
    cause: err,
  });
}

/**
 * A ModelClient over the official `openai` SDK pointed at a Switchyard gateway. The SDK's own
 * retries are off: retries are the run's decision (RetryingModelClient), counted and backed off
 * in one place.
 */
export function createGatewayModelClient(options: GatewayClientOptions): ModelClient {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 300_000,
    defaultHeaders: options.headers,
  });
  return {
    async chat(request: ChatCompletionRequest, callOptions: CallOptions = {}) {
      const started = performance.now();
      try {
        const body = {
          ...request,
          stream: false,
        } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
        const { data, response } = await client.chat.completions
          .create(body, { signal: callOptions.signal })
          .withResponse();
        return {
          completion: data as unknown as ChatCompletion,
          latencyMs: performance.now() - started,
          servedBy: servedByFromRouteHeader(response.headers.get('x-switchyard-route')),
          requestId: response.headers.get('x-request-id'),
          attempts: 1,
        };
      } catch (err) {
        throw toCallError(err);
      }
    },
    async embed(model: string, input: string[], callOptions: CallOptions = {}) {
      const started = performance.now();
      try {
        const { data, response } = await client.embeddings
          .create({ model, input, encoding_format: 'float' }, { signal: callOptions.signal })
          .withResponse();
        const vectors = [...data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        return {
          vectors,
          model: data.model,
          inputTokens: data.usage?.prompt_tokens ?? null,
          latencyMs: performance.now() - started,
          servedBy: servedByFromRouteHeader(response.headers.get('x-switchyard-route')),
          attempts: 1,
        };
      } catch (err) {
        throw toCallError(err);
      }
    },
  };
}
