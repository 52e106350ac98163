import type { ChatCompletion, ChatCompletionRequest } from '../../spec/chat.js';

/** One chat completion as the gateway returned it, with what the run records about the call. */
export interface ChatCall {
  completion: ChatCompletion;
  latencyMs: number;
  /** The deployment that served it, from the gateway's `x-switchyard-route` header. */
  servedBy: string | null;
  /** The gateway's `x-request-id`: the request's record id. */
  requestId: string | null;
  /** Calls made, counting retries. */
  attempts: number;
}

export interface EmbeddingsCall {
  vectors: number[][];
  /** As the response named it. */
  model: string;
  inputTokens: number | null;
  latencyMs: number;
  servedBy: string | null;
  attempts: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * How eval runs, judges and readiness checks reach models: through a Switchyard gateway, so every
 * call is routed, recorded and priced like production traffic. Tests and other transports
 * implement the same two methods.
 */
export interface ModelClient {
  chat(request: ChatCompletionRequest, options?: CallOptions): Promise<ChatCall>;
  embed(model: string, input: string[], options?: CallOptions): Promise<EmbeddingsCall>;
}

export type CallErrorKind = 'http' | 'connection' | 'timeout' | 'aborted';

/** A model call that failed: an HTTP error answer, or no answer at all. */
export class ModelCallError extends Error {
  readonly kind: CallErrorKind;
  readonly status: number | null;
  readonly code: string | null;
  /** From a Retry-After header, when the server sent one. */
  readonly retryAfterMs: number | null;
  attempts: number;

  constructor(init: {
    kind: CallErrorKind;
    message: string;
    status?: number | null;
    code?: string | null;
    retryAfterMs?: number | null;
    attempts?: number;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ModelCallError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.attempts = init.attempts ?? 1;
  }

  /** Worth another try: rate limits, server errors and calls that never got an answer. */
  get retryable(): boolean {
    if (this.kind === 'connection' || this.kind === 'timeout') return true;
    return this.status === 429 || (this.status !== null && this.status >= 500);
  }
}
